"""The Content-Security-Policy middleware: the policy in settings, and Wagtail's admin exception.

`CONTENT_SECURITY_POLICY` (settings) allows scripts from this site only. Wagtail's
admin still renders a few inline scripts of its own (inline panels, date
widgets), so under WAGTAILADMIN_PATH, and only there, script-src also allows
inline scripts: those pages are for signed-in editors, and customers' text
never reaches a script context in them.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(settings.WAGTAILADMIN_PATH):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts
