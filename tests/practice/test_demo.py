"""The demo content: every library scenario under its course, published and valid."""

import io

import pytest

from quizzes.practice import demo
from quizzes.practice.models import ScenarioPage
from quizzes.scenarios import load_library
from tests.courses.conftest import ensure_site_tree
from tests.courses.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(db):
    catalogue = ensure_site_tree()
    slugs = sorted({s.course for s in load_library()})
    return {slug: CoursePageFactory(parent=catalogue, slug=slug) for slug in slugs}


def test_seed_publishes_every_library_scenario_under_its_course(courses):
    out = io.StringIO()
    demo.seed(out)
    for scenario in load_library():
        page = ScenarioPage.objects.get(slug=scenario.slug)
        assert page.live and page.get_parent().specific.slug == scenario.course
        assert page.scenario_check().ok
    assert out.getvalue().count("created") == 6


def test_seed_is_idempotent(courses):
    demo.seed(io.StringIO())
    revisions = {p.pk: p.revisions.count() for p in ScenarioPage.objects.all()}
    out = io.StringIO()
    demo.seed(out)
    assert out.getvalue().count("unchanged") == 6
    assert ScenarioPage.objects.count() == 6
    assert {p.pk: p.revisions.count() for p in ScenarioPage.objects.all()} == revisions


def test_seed_skips_a_missing_course_with_a_message(db):
    catalogue = ensure_site_tree()
    CoursePageFactory(parent=catalogue, slug="dasar-kip")
    out = io.StringIO()
    demo.seed(out)
    assert ScenarioPage.objects.count() == 1
    assert "'keberatan-sengketa' not found" in out.getvalue()
