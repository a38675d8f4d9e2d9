"""allauth adapter: who may sign up on their own."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    allowed = [d.lower().lstrip("@") for d in settings.LMS_SIGNUP_EMAIL_DOMAINS]
    return any(domain == d or domain.endswith("." + d) for d in allowed)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email).lower()
        return email

    def validate_signup_email(self, email: str) -> None:
        if not email_domain_allowed(email):
            raise forms.ValidationError(
                _(
                    "Self sign-up is only open to addresses at %(domains)s. "
                    "Ask your office's coordinator for an invitation."
                )
                % {"domains": ", ".join(settings.LMS_SIGNUP_EMAIL_DOMAINS)}
            )
