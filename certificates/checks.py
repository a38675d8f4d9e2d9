"""System checks: production must sign credentials with its own key."""

from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def credential_key_configured(app_configs, **kwargs):
    from .credentials import key_from_settings, signing_key

    configured, present = key_from_settings()
    if not present:
        return [
            Error(
                "LMS_CREDENTIAL_PRIVATE_KEY is not set: credentials would be signed "
                "with a development key derived from SECRET_KEY.",
                hint="Run `manage.py credential_keygen` and put its output in the "
                "environment (see docs/certificates.md).",
                id="certificates.E001",
            )
        ]
    try:
        signing_key()
    except ValueError as exc:
        return [
            Error(
                f"LMS_CREDENTIAL_PRIVATE_KEY cannot be read: {exc}",
                id="certificates.E002",
            )
        ]
    return []
