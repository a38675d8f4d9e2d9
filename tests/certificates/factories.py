"""Factories for certificate tests: offices, people, courses and completions."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CourseCompletion, CourseIndexPage, CoursePage, Enrolment
from lms.offices.models import CoordinatorScope, Office
from tests.factories import ensure_site_tree

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"51.{n + 10:02d}")
    level = Office.Level.REGENCY
    region_name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    name = factory.LazyAttribute(lambda o: "KPU " + o.region_name)
    head_name = "I Made Wirasa"
    head_title = factory.LazyAttribute(lambda o: "Ketua " + o.name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"peserta{n}@kpu.go.id")
    full_name = factory.Sequence(lambda n: f"Peserta Uji {n}")
    nip = ""
    office = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kursus Uji {n}")
    slug = factory.Sequence(lambda n: f"kursus-uji-{n}")
    summary = "Ringkasan."
    objectives = "Memahami tenggat."
    regulations = "UU 14/2008"
    hours = 8


def default_layout(**fields):
    """The default layout (a migration ships it; a flushed database has none)."""
    from certificates.models import CertificateLayout

    layout = (
        CertificateLayout.objects.filter(office__isnull=True).order_by("pk").first()
    )
    layout = layout or CertificateLayout()
    for name, value in fields.items():
        setattr(layout, name, value)
    layout.save()
    return layout


def catalogue() -> CourseIndexPage:
    return ensure_site_tree()


def course(**kwargs) -> CoursePage:
    return CoursePageFactory(parent=catalogue(), **kwargs)


def completion(
    *,
    user,
    course_page,
    attempt: int = 1,
    completed_at: datetime.datetime | None = None,
    score: int | None = 90,
) -> CourseCompletion:
    """Record a completion the way the courses app does (one row per attempt)."""
    enrolment, _ = Enrolment.objects.get_or_create(user=user, course=course_page)
    if enrolment.attempt != attempt:
        enrolment.attempt = attempt
        enrolment.save(update_fields=["attempt"])
    return CourseCompletion.objects.create(
        enrolment=enrolment,
        attempt=attempt,
        completed_at=completed_at or timezone.now(),
        score=score,
    )


def coordinator(office: Office, **kwargs):
    user = UserFactory(**kwargs)
    CoordinatorScope.objects.create(user=user, office=office)
    return user
