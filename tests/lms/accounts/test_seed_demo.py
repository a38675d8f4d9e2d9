"""`manage.py seed_demo`: offices and demo accounts, idempotent, never in production."""

import sys
import textwrap
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from lms.accounts.demo import DEMO_PASSWORD
from lms.accounts.management.commands import seed_demo
from lms.accounts.models import User
from lms.offices.models import CoordinatorScope, Office
from lms.offices.permissions import (
    user_is_admin,
    user_is_coordinator,
    user_is_instructor,
)


def seed_accounts_only(stdout):
    """The command with other apps' demo content left out (tested apart below)."""
    with mock.patch.object(seed_demo, "demo_modules", list):
        call_command("seed_demo", stdout=stdout)


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.out = StringIO()
        seed_accounts_only(cls.out)

    def test_it_loads_the_offices_and_five_accounts_sharing_one_password(self):
        assert Office.objects.count() == 553
        emails = [
            "admin@example.org",
            "instruktur@example.org",
            "koordinator@example.org",
            "peserta@example.org",
            "magang@example.org",
        ]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        assert set(users) == set(emails)
        for user in users.values():
            assert user.check_password(DEMO_PASSWORD)
            assert EmailAddress.objects.filter(
                user=user, email=user.email, verified=True, primary=True
            ).exists()
            assert user.full_name

    def test_each_account_has_its_role(self):
        get = User.objects.get
        admin = get(email="admin@example.org")
        assert user_is_admin(admin) and admin.full_name == "Admin Akademi"
        instructor = get(email="instruktur@example.org")
        assert user_is_instructor(instructor) and not user_is_coordinator(instructor)
        coordinator = get(email="koordinator@example.org")
        assert coordinator.office.name == "KPU Provinsi Bali"
        assert list(
            CoordinatorScope.objects.filter(user=coordinator).values_list(
                "office__name", flat=True
            )
        ) == ["KPU Provinsi Bali"]
        learner = get(email="peserta@example.org")
        assert learner.office.name == "KPU Kabupaten Badung"
        assert learner.employment_type == User.EmploymentType.PNS
        assert len(learner.nip) == 18 and learner.nip.isdigit()
        intern = get(email="magang@example.org")
        assert intern.office.name == "KPU Kabupaten Klaten"
        assert intern.employment_type == User.EmploymentType.MAGANG
        assert intern.intern_start < intern.intern_end

    def test_running_it_again_changes_nothing(self):
        before = (User.objects.count(), CoordinatorScope.objects.count())
        out = StringIO()
        seed_accounts_only(out)
        assert (User.objects.count(), CoordinatorScope.objects.count()) == before
        assert "0 created, 0 updated, 553 unchanged" in out.getvalue()
        assert "updated koordinator@example.org" in out.getvalue()

    def test_it_says_what_it_did(self):
        output = self.out.getvalue()
        assert "553 created" in output
        assert "created admin@example.org (administrator)" in output
        assert DEMO_PASSWORD in output


@pytest.mark.parametrize(
    "overrides",
    [
        {"SETTINGS_MODULE": "lms.settings.production"},
        {"LMS_ENVIRONMENT": "production"},
    ],
)
def test_it_refuses_to_run_under_production_settings(overrides):
    with (
        override_settings(**overrides),
        pytest.raises(CommandError, match="production"),
    ):
        call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def fake_apps(tmp_path, monkeypatch):
    """Three importable apps: one with demo.seed, one with a demo but no seed, one
    without a demo module."""
    for name, demo in [
        ("demoapp_first", "def seed(stdout):\n    stdout.write('first seeded')\n"),
        ("demoapp_noseed", "VALUE = 1\n"),
        ("demoapp_nodemo", None),
        ("demoapp_last", "def seed(stdout):\n    stdout.write('last seeded')\n"),
    ]:
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text("")
        if demo is not None:
            (package / "demo.py").write_text(textwrap.dedent(demo))
    monkeypatch.syspath_prepend(str(tmp_path))
    configs = [
        SimpleNamespace(name=n)
        for n in (
            "lms.accounts",
            "demoapp_first",
            "demoapp_noseed",
            "demoapp_nodemo",
            "demoapp_last",
        )
    ]
    monkeypatch.setattr(seed_demo.apps, "get_app_configs", lambda: configs)
    yield
    for name in list(sys.modules):
        if name.startswith("demoapp_"):
            del sys.modules[name]


def test_apps_demo_modules_are_found_in_installed_apps_order(fake_apps):
    assert [m.__name__ for m in seed_demo.demo_modules()] == [
        "demoapp_first.demo",
        "demoapp_last.demo",
    ]


@pytest.mark.django_db
def test_the_command_seeds_accounts_first_then_each_app(fake_apps, monkeypatch):
    calls = []
    monkeypatch.setattr(
        seed_demo, "seed_accounts", lambda stdout: calls.append("accounts")
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert calls == ["accounts"]
    output = out.getvalue()
    assert output.index("first seeded") < output.index("last seeded")
