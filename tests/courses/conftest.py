"""Fixtures for course tests: the page tree from the migrations, offices, people."""

import pytest
from django.contrib.auth.models import Group

from lms.offices.models import CoordinatorScope, Office
from tests.factories import ensure_site_tree

from .factories import OfficeFactory, UserFactory


@pytest.fixture
def catalogue(db):
    return ensure_site_tree()


@pytest.fixture
def offices(db):
    """KPU RI → Bali → Badung, and KPU RI → Jawa Tengah → Klaten."""
    national = OfficeFactory(
        code="00", level=Office.Level.NATIONAL, name="KPU Republik Indonesia"
    )
    bali = OfficeFactory(code="51", parent=national, name="KPU Provinsi Bali")
    badung = OfficeFactory(
        code="51.03",
        level=Office.Level.REGENCY,
        parent=bali,
        name="KPU Kabupaten Badung",
    )
    gianyar = OfficeFactory(
        code="51.04",
        level=Office.Level.REGENCY,
        parent=bali,
        name="KPU Kabupaten Gianyar",
    )
    jateng = OfficeFactory(code="33", parent=national, name="KPU Provinsi Jawa Tengah")
    klaten = OfficeFactory(
        code="33.10",
        level=Office.Level.REGENCY,
        parent=jateng,
        name="KPU Kabupaten Klaten",
    )
    return {
        "national": national,
        "bali": bali,
        "badung": badung,
        "gianyar": gianyar,
        "jateng": jateng,
        "klaten": klaten,
    }


@pytest.fixture
def learner(offices):
    return UserFactory(email="peserta@example.org", office=offices["badung"])


@pytest.fixture
def coordinator(offices):
    user = UserFactory(email="koordinator@example.org", office=offices["bali"])
    CoordinatorScope.objects.create(user=user, office=offices["bali"])
    return user


@pytest.fixture
def instructor(db):
    user = UserFactory(email="instruktur@example.org")
    group, _ = Group.objects.get_or_create(name="Instruktur")
    user.groups.add(group)
    return user
