"""`manage.py seed_demo`: offices, demo accounts, then every app's demo content.

Idempotent. Refuses to run under production settings, because the demo accounts'
password is public.
"""

import importlib
import importlib.util
import os

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.accounts.demo import seed_accounts


def settings_module() -> str:
    # SETTINGS_MODULE is None while settings are overridden (tests); the
    # environment still names the module that was loaded.
    return settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")


def is_production() -> bool:
    return getattr(
        settings, "LMS_ENVIRONMENT", ""
    ) == "production" or settings_module().endswith(".production")


def demo_modules() -> list:
    """Installed apps' `demo` modules with a `seed(stdout)`, in INSTALLED_APPS order."""
    modules = []
    for app in apps.get_app_configs():
        if app.name == "lms.accounts":
            continue  # seeded first, by seed_accounts()
        try:
            spec = importlib.util.find_spec(f"{app.name}.demo")
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        module = importlib.import_module(f"{app.name}.demo")
        if callable(getattr(module, "seed", None)):
            modules.append(module)
    return modules


class Command(BaseCommand):
    help = "Load the offices, the demo accounts and every app's demo content."

    def handle(self, *args, **options):
        if is_production():
            raise CommandError(
                "seed_demo refuses to run under production settings "
                f"({settings_module()}): the demo accounts' password is "
                "public. Use a development database."
            )
        seed_accounts(self.stdout)
        for module in demo_modules():
            self.stdout.write(f"{module.__name__}:")
            module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
