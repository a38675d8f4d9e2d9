"""Course pages in a real browser: axe-core finds no serious or critical violations
on the catalogue, a course, a lesson with every block kind of the real curriculum,
and "Pembelajaran saya"."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_self_create
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import TEST_PASSWORD, UserFactory, build_office_tree

pytestmark = [pytest.mark.browser, pytest.mark.services]

CONTENT = Path(__file__).resolve().parents[2] / "courses" / "content"


@pytest.fixture
def course(live_server):
    call_command("import_course", str(CONTENT / "dasar-kip"), verbosity=0)
    return CoursePage.objects.get(slug="dasar-kip")


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_catalogue_course_and_lesson_pages_are_accessible(page, live_server, course):
    for url in ["/kursus/", course.url, LessonPage.objects.live().first().url]:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert_accessible(page)


def test_my_learning_is_accessible(page, live_server, course):
    tree = build_office_tree()
    learner = UserFactory(office=tree.badung)
    enrolment_self_create(user=learner, course=course, now=timezone.now())
    sign_in(page, live_server.url, learner.email, TEST_PASSWORD)
    response = page.goto(live_server.url + "/belajar/")
    assert response.status == 200
    assert course.title in page.content()
    assert_accessible(page)
