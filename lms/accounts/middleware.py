"""Per-user language, and TOTP required for everyone who reaches the Wagtail admin."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose English (the language cookie).

    The browser's Accept-Language is ignored on purpose: office computers often run
    English systems while the service's language is Indonesian, and a choice made
    with the switcher is remembered in the cookie and on the user.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    """Activate the language a signed-in user chose, on any device."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if request.path_info == "/healthz":
            # Loading the user reads the session from the database: a health
            # check with a session cookie must still answer 503, not fail.
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.codes:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class AdminMFARequiredMiddleware:
    """allauth has no "MFA required" switch, so the project enforces it here.

    With LMS_REQUIRE_ADMIN_MFA on (the production default), a signed-in user who
    may access the Wagtail admin but has no TOTP authenticator is sent to set one
    up before any admin page opens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LMS_REQUIRE_ADMIN_MFA and self._needs_mfa(request):
            messages.warning(
                request,
                _("Set up two-factor authentication before opening the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request) -> bool:
        if not request.path.startswith(("/admin/", "/django-admin/")):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        if not (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
            return False
        return not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
