"""allauth adapter and the self sign-up rule."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def email_domain_allowed(email: str) -> bool:
    """Whether `email` is at one of LMS_SIGNUP_EMAIL_DOMAINS or a subdomain of one."""
    domain = email.rsplit("@", 1)[-1].lower()
    allowed = [d.lower().lstrip("@") for d in settings.LMS_SIGNUP_EMAIL_DOMAINS]
    return any(domain == d or domain.endswith("." + d) for d in allowed)


def signup_domain_error() -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "Self sign-up is only open to addresses at %(domains)s. "
            "Ask your office's coordinator for an invitation."
        )
        % {"domains": ", ".join(settings.LMS_SIGNUP_EMAIL_DOMAINS)},
        code="signup_domain",
    )


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return super().clean_email(email).lower()
