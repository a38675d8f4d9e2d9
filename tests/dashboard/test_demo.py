"""The demo seed: idempotent, and the figures are ready afterwards."""

import io

from courses.models import CourseCompletion, Enrolment
from dashboard import demo
from dashboard.models import CompletionStat, StatsState
from lms.accounts.models import User
from lms.offices.models import Office
from tests.courses.factories import CoursePageFactory
from tests.factories import UserFactory


def test_seeding_twice_adds_nothing_and_rebuilds_the_figures(catalogue):
    from lms.offices.services import offices_load

    offices_load()
    CoursePageFactory(parent=catalogue, slug=demo.BASICS, title="Dasar")
    CoursePageFactory(parent=catalogue, slug=demo.SERVICE, title="Standar Layanan")
    UserFactory(
        email="koordinator@example.org",
        office=Office.objects.get(code="51"),
        coordinates=Office.objects.get(code="51"),
    )
    demo.seed(io.StringIO())
    counts = (
        User.objects.count(),
        Enrolment.objects.count(),
        CourseCompletion.objects.count(),
    )
    assert counts[1] > 40 and counts[2] > 10
    bali = Office.objects.get(code="51")
    assert CompletionStat.objects.filter(office=bali, due_on__isnull=False).exists()
    out = io.StringIO()
    demo.seed(out)
    assert (
        User.objects.count(),
        Enrolment.objects.count(),
        CourseCompletion.objects.count(),
    ) == counts
    assert StatsState.objects.get().refreshed_at is not None
    assert "aggregates rebuilt" in out.getvalue()


def test_without_the_demo_courses_it_still_rebuilds(catalogue):
    out = io.StringIO()
    demo.seed(out)
    assert "aggregates rebuilt" in out.getvalue()
