"""The StreamField ⇄ engine adapter: every library scenario survives a round trip."""

import pytest

from quizzes.practice.adapters import (
    page_values,
    scenario_data,
    scenario_from_data,
    snapshot_digest,
)
from quizzes.practice.models import ScenarioPage
from quizzes.scenarios import Scenario, load_library

from .factories import library_dict, scenario_page

# Page() needs its content type: a database (pytest-django) even for unsaved pages.
pytestmark = pytest.mark.django_db
LIBRARY = load_library()


@pytest.mark.parametrize("scenario", LIBRARY, ids=lambda s: s.slug)
def test_a_library_scenario_round_trips_through_an_unsaved_page(scenario):
    page = ScenarioPage(**page_values(scenario))
    data = scenario_data(page, course_slug=scenario.course)
    assert scenario_from_data(data) == scenario
    # The JSON files may leave defaults out; the engine's own dump never does.
    normalised = Scenario.from_dict(library_dict(scenario.slug)).to_dict()
    assert scenario_from_data(data).to_dict() == normalised


@pytest.mark.parametrize("scenario", LIBRARY, ids=lambda s: s.slug)
def test_a_library_scenario_round_trips_through_a_published_page(course, scenario):
    page = scenario_page(course[0], scenario)
    fresh = ScenarioPage.objects.get(pk=page.pk)
    assert fresh.live
    data = scenario_data(fresh, course_slug=scenario.course)
    assert scenario_from_data(data) == scenario
    check = fresh.scenario_check(course_slug=scenario.course)
    assert check.ok, check.problems


def test_the_maximum_score_is_computed_from_the_steps():
    scenario = LIBRARY[0]
    data = scenario_data(ScenarioPage(**page_values(scenario)), course_slug="x")
    assert data["max_score"] == 0  # never typed by the author
    assert scenario_from_data(data).max_score == scenario.max_score


def test_an_empty_first_step_field_means_the_first_step():
    scenario = LIBRARY[0]
    page = ScenarioPage(**{**page_values(scenario), "start_step": ""})
    assert scenario_data(page, course_slug="x")["start"] == scenario.steps[0].id


def test_the_digest_ignores_key_order():
    a = {"x": 1, "y": [1, 2]}
    assert snapshot_digest(a) == snapshot_digest({"y": [1, 2], "x": 1})
    assert snapshot_digest(a) != snapshot_digest({"x": 2, "y": [1, 2]})


def test_a_unicode_page_slug_still_gives_an_engine_slug():
    scenario = LIBRARY[0]
    page = ScenarioPage(**{**page_values(scenario), "slug": "Kasus Ñ 1"})
    parsed = scenario_from_data(scenario_data(page, course_slug="Dasar KIP"))
    assert isinstance(parsed, Scenario)
    assert parsed.slug == "kasus-n-1"
    assert parsed.course == "dasar-kip"
