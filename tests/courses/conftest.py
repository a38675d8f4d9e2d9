"""Fixtures for course tests: the page tree from the migrations, offices, people."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, Page, Site

from courses.models import CourseIndexPage, HomePage
from lms.offices.models import CoordinatorScope, Office

from .factories import OfficeFactory, UserFactory


def ensure_site_tree() -> CourseIndexPage:
    """The home page and catalogue the migrations create, rebuilt if a transactional
    test elsewhere flushed the database."""
    if not Collection.objects.exists():  # wagtailcore's data migration made it
        Collection.add_root(name="Root")
    catalogue = CourseIndexPage.objects.first()
    if catalogue is not None:
        return catalogue
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Akademi PPID", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "root_page": home,
                "site_name": "Akademi PPID",
            },
        )
    return home.add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))


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
