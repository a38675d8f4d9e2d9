"""Fixtures for the coordinator dashboard: the office tree, people in every role,
courses, and a builder for learner records at any size."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from courses.models import CourseCompletion, Enrolment
from dashboard.services import stats_refresh
from tests.courses.conftest import ensure_site_tree
from tests.courses.factories import CoursePageFactory
from tests.factories import UserFactory

TODAY = timezone.localdate()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An aware datetime on a local day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def enrol(
    user,
    course,
    *,
    source: str = Enrolment.Source.SELF,
    due_on: datetime.date | None = None,
    enrolled_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    score: int = 80,
) -> Enrolment:
    """An enrolment written directly, and its completion without the post_save
    signal (bulk_create), so no certificate flow runs unless a test wants it."""
    enrolled = at(enrolled_on or TODAY - datetime.timedelta(days=20))
    enrolment = Enrolment.objects.create(
        user=user,
        course=course,
        source=source,
        due_on=due_on,
        enrolled_at=enrolled,
        attempt_started_at=enrolled,
    )
    if completed_on is not None:
        CourseCompletion.objects.bulk_create(
            [
                CourseCompletion(
                    enrolment=enrolment,
                    attempt=1,
                    completed_at=at(completed_on),
                    score=score,
                )
            ]
        )
    return enrolment


def refresh():
    return stats_refresh(now=timezone.now())


@pytest.fixture
def catalogue(db):
    return ensure_site_tree()


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Dasar Keterbukaan Informasi")


@pytest.fixture
def other_course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Standar Layanan Informasi")


@dataclass
class People:
    admin: object
    coordinator: object  # KPU Provinsi Bali and below
    outsider: object  # coordinator of Jawa Tengah: Bali is out of scope
    learner: object  # PNS at KPU Kabupaten Badung
    intern: object  # magang at KPU Kota Denpasar
    far: object  # PNS at KPU Kabupaten Klaten (Jawa Tengah)
    extra: list = field(default_factory=list)


@pytest.fixture
def people(office_tree):
    t = office_tree
    return People(
        admin=UserFactory(
            email="admin@example.org", admin=True, office=t.national, full_name="Admin"
        ),
        coordinator=UserFactory(
            email="koordinator@example.org",
            office=t.bali,
            coordinates=t.bali,
            full_name="Koordinator Bali",
        ),
        outsider=UserFactory(
            email="koordinator.jateng@example.org",
            office=t.jateng,
            coordinates=t.jateng,
            full_name="Koordinator Jawa Tengah",
        ),
        learner=UserFactory(
            email="peserta@example.org", office=t.badung, full_name="Ni Made Ayu"
        ),
        intern=UserFactory(
            email="magang@example.org",
            office=t.denpasar,
            employment_type="magang",
            full_name="Dimas Magang",
            intern_start=TODAY - datetime.timedelta(days=60),
            intern_end=TODAY + datetime.timedelta(days=10),
        ),
        far=UserFactory(
            email="klaten@example.org", office=t.klaten, full_name="Budi Klaten"
        ),
    )


def populate(office_tree, course, size: int) -> list:
    """`size` learners in each of Badung, Denpasar and Klaten, each enrolled:
    one in three completed, one in three overdue, the rest in progress."""
    learners = []
    for office in (office_tree.badung, office_tree.denpasar, office_tree.klaten):
        for index in range(size):
            user = UserFactory(
                office=office, employment_type=("pns", "magang", "pppk")[index % 3]
            )
            kind = index % 3
            enrol(
                user,
                course,
                source=Enrolment.Source.ASSIGNED,
                due_on=TODAY - datetime.timedelta(days=3)
                if kind == 1
                else TODAY + datetime.timedelta(days=30),
                completed_on=TODAY - datetime.timedelta(days=2) if kind == 0 else None,
            )
            learners.append(user)
    return learners
