"""Shared factories: offices, users, coordinator scopes, staff imports, the site tree.

Other apps' tests import these; keep them small and their defaults boring.
"""

from dataclasses import dataclass

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from lms.accounts.models import StaffImport, User
from lms.offices.models import CoordinatorScope, Office
from lms.offices.permissions import INSTRUCTOR_GROUP

# Satisfies the password validators (12+ characters, no context words).
TEST_PASSWORD = "Merapi-Hujan-Sore-48"  # noqa: S105


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    level = Office.Level.REGENCY
    region_name = factory.Sequence(lambda n: f"Kabupaten Contoh {n}")
    name = factory.LazyAttribute(lambda o: f"KPU {o.region_name}")


class UserFactory(DjangoModelFactory):
    """A learner with a verified e-mail address, able to sign in with TEST_PASSWORD.

    `UserFactory(verified_email=False)` leaves the address unverified.
    """

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    class Params:
        admin = factory.Trait(is_superuser=True, is_staff=True)

    email = factory.Sequence(lambda n: f"pegawai{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Pegawai Contoh {n}")
    office = factory.SubFactory(OfficeFactory)
    employment_type = User.EmploymentType.PNS
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def coordinates(obj, create, extracted, **kwargs):
        """`UserFactory(coordinates=office)` or a list of offices."""
        if create and extracted:
            offices = extracted if isinstance(extracted, list | tuple) else [extracted]
            for office in offices:
                CoordinatorScope.objects.get_or_create(user=obj, office=office)

    @factory.post_generation
    def instructor(obj, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
            obj.groups.add(group)


class CoordinatorScopeFactory(DjangoModelFactory):
    class Meta:
        model = CoordinatorScope

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)


class StaffImportFactory(DjangoModelFactory):
    class Meta:
        model = StaffImport

    owner = factory.SubFactory(UserFactory)
    file_name = "pegawai.csv"
    rows = factory.LazyFunction(list)


@dataclass(frozen=True)
class OfficeTree:
    """A small slice of the real tree, with real codes."""

    national: Office
    bali: Office
    badung: Office
    denpasar: Office
    jateng: Office
    klaten: Office


def build_office_tree() -> OfficeTree:
    """KPU RI; Bali with Badung and Denpasar; Jawa Tengah with Klaten. Idempotent."""
    national = OfficeFactory(
        code="00",
        level=Office.Level.NATIONAL,
        region_name="Indonesia",
        name="KPU Republik Indonesia",
        parent=None,
    )
    bali = OfficeFactory(
        code="51",
        level=Office.Level.PROVINCE,
        region_name="Bali",
        name="KPU Provinsi Bali",
        parent=national,
    )
    jateng = OfficeFactory(
        code="33",
        level=Office.Level.PROVINCE,
        region_name="Jawa Tengah",
        name="KPU Provinsi Jawa Tengah",
        parent=national,
    )
    return OfficeTree(
        national=national,
        bali=bali,
        badung=OfficeFactory(
            code="51.03",
            level=Office.Level.REGENCY,
            region_name="Kabupaten Badung",
            name="KPU Kabupaten Badung",
            parent=bali,
        ),
        denpasar=OfficeFactory(
            code="51.71",
            level=Office.Level.CITY,
            region_name="Kota Denpasar",
            name="KPU Kota Denpasar",
            parent=bali,
        ),
        jateng=jateng,
        klaten=OfficeFactory(
            code="33.10",
            level=Office.Level.REGENCY,
            region_name="Kabupaten Klaten",
            name="KPU Kabupaten Klaten",
            parent=jateng,
        ),
    )


def ensure_site_tree():
    """The home page and catalogue (/kursus/) the data migrations create, with the
    Wagtail rows around them (locale, root collection, default site), rebuilt when a
    transactional test flushed the database. Returns the CourseIndexPage."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page, Site

    from courses.models import CourseIndexPage, HomePage

    if not Collection.objects.exists():  # wagtailcore's data migration made it
        Collection.add_root(name="Root")
    catalogue = CourseIndexPage.objects.first()
    if catalogue is not None:
        return catalogue
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
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
