from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere the public goes; Wagtail's admin (inline scripts and styles) is left out."""

    def process_response(self, request, response):
        if request.path.startswith(settings.CSP_RELAXED_PATH_PREFIXES):
            return response
        return super().process_response(request, response)
