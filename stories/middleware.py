import functools

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# A response that asks for nothing of its own (a nonce, a changed directive, a report-only policy) gets the policy
# from the settings, which is built once: building it was a good part of serving a cached page.
_PER_RESPONSE_POLICY = (
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@functools.cache
def _settings_policy() -> str:
    return build_policy()


@functools.cache
def _admin_policy() -> str:
    return build_policy(config=settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])


@receiver(setting_changed)
def _forget_settings_policy(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy.cache_clear()
        _admin_policy.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere the public goes; Wagtail's admin gets its own (CONTENT_SECURITY_POLICY_ADMIN).

    Wagtail renders a page's preview for the admin through a simulated request to the page's public URL
    (`request.is_dummy`), and shows it in a same-origin frame: that response may be framed by this site only.
    """

    def process_response(self, request, response):
        if request.path.startswith(settings.CSP_RELAXED_PATH_PREFIXES):
            response.setdefault(HEADER, _admin_policy())
            return response
        if getattr(request, "is_dummy", False):
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), "frame-ancestors": ["'self'"]}
        if self._needs_only_the_settings_policy(request, response):
            response[HEADER] = _settings_policy()
            return response
        return super().process_response(request, response)

    @staticmethod
    def _needs_only_the_settings_policy(request, response) -> bool:
        return (
            HEADER not in response
            and getattr(request, "_csp_nonce", None) is None
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not any(getattr(response, name, None) for name in _PER_RESPONSE_POLICY)
        )
