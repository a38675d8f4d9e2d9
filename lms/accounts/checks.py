"""Deploy checks for account security."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def admin_mfa_required(app_configs, **kwargs):
    if settings.LMS_REQUIRE_ADMIN_MFA:
        return []
    return [
        Warning(
            "LMS_REQUIRE_ADMIN_MFA is off: admin users can work without TOTP.",
            hint="Leave LMS_REQUIRE_ADMIN_MFA unset (default on) in production.",
            id="lms.W001",
        )
    ]
