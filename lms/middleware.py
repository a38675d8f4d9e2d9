"""Security response headers that Django does not set itself (docs/security.md).

- `ContentSecurityPolicyMiddleware`: django-csp's middleware, plus the one exception
  the policy has: under the admin prefixes in `LMS_CSP_ADMIN_PREFIXES` the
  directives in `LMS_CSP_ADMIN_EXTRA` are added, today inline styles only (Wagtail's
  panels use them). Inline script stays refused there too: Wagtail's inline
  initialisers are replaced by data (lms/admin_init.py). Every other page keeps the
  strict policy of CONTENT_SECURITY_POLICY.
- `PermissionsPolicyMiddleware`: the Permissions-Policy header from
  PERMISSIONS_POLICY (browser features nobody here needs are switched off).
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "LMS_CSP_ADMIN_PREFIXES", ()))
        if not report_only and prefixes and request.path_info.startswith(prefixes):
            extra = getattr(settings, "LMS_CSP_ADMIN_EXTRA", {})
            parts.update = {**extra, **(parts.update or {})}
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items()
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(
            getattr(settings, "PERMISSIONS_POLICY", {})
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
