from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere the public goes; Wagtail's admin (inline scripts and styles) is left out.

    Wagtail renders a page's preview for the admin through a simulated request to the page's public URL
    (`request.is_dummy`), and shows it in a same-origin frame: that response may be framed by this site only.
    """

    def process_response(self, request, response):
        if request.path.startswith(settings.CSP_RELAXED_PATH_PREFIXES):
            return response
        if getattr(request, "is_dummy", False):
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), "frame-ancestors": ["'self'"]}
        return super().process_response(request, response)
