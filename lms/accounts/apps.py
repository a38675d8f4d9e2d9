from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)


class WagtailUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with forms and columns for our User (full name, office, NIP,
    roles). Listed in INSTALLED_APPS in place of "wagtail.users"."""

    default = False
    user_viewset = "lms.accounts.viewsets.UserViewSet"
