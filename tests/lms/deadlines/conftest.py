"""Shared fixtures: a clean cache per test, the sample case, and users by role."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from lms.offices.permissions import INSTRUCTOR_GROUP

CASES_FILE = Path(__file__).parents[1] / "kip" / "data" / "kip-sample-cases.jsonl"
PASSWORD = "Kalender-Kerja-2024!"


def sample_case(case_id: str) -> dict:
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["id"] == case_id:
            return case
    raise LookupError(case_id)


# KIP-001: request received Wed 6 March 2024.
KIP_001 = sample_case("KIP-001")
START = date(2024, 3, 6)
DUE = date.fromisoformat(KIP_001["expected"])  # 2024-03-22
DUE_CUTI_WORKING = date.fromisoformat(
    KIP_001["expected_if_cuti_bersama_counted_as_working"]
)  # 2024-03-21


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def make_user(django_user_model, email: str, **extra):
    return django_user_model.objects.create_user(
        email=email, password=PASSWORD, full_name=email.split("@")[0].title(), **extra
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        email="admin@example.org", password=PASSWORD, full_name="Admin Kalender"
    )


@pytest.fixture
def instructor(django_user_model):
    """An author who may open the Wagtail admin, but is no administrator."""
    user = make_user(django_user_model, "instruktur@example.org")
    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user.groups.add(group)
    return user


@pytest.fixture
def learner(django_user_model):
    return make_user(django_user_model, "peserta@example.org")
