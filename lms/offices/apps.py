from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, using="default", **kwargs):
    """Keep the instructor group in step with the installed snippets.

    post_migrate is sent once per app; acting on the last app's signal means every
    app's permissions already exist (Django creates them in the same signal).
    """
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label or using != "default":
        return
    from .services import instructor_group_sync

    instructor_group_sync()


class OfficesConfig(AppConfig):
    name = "lms.offices"
    label = "offices"
    verbose_name = _("Offices")

    def ready(self):
        post_migrate.connect(
            _sync_roles_after_migrate, dispatch_uid="lms.offices.sync_roles"
        )
