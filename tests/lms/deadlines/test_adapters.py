"""The adapter is the engine plus the stored overrides, in the active language."""

from datetime import date
from unittest import mock

import pytest
from django.utils import translation

from lms import kip
from lms.deadlines import adapters
from lms.deadlines.adapters import (
    STEP_POINTS,
    due_date_for,
    explain_for,
    is_working_day_for,
    localized,
    timeline_for,
    years_without_cuti_bersama,
)
from lms.deadlines.models import CalendarOverride
from lms.deadlines.services import calendar_override_add

from .conftest import DUE, DUE_CUTI_WORKING, START


@pytest.mark.django_db
def test_without_overrides_the_adapter_gives_the_engines_answer():
    assert due_date_for("notice", START) == DUE == kip.due_date("notice", START)
    assert due_date_for("notice", START, cuti_bersama_working=True) == DUE_CUTI_WORKING


@pytest.mark.django_db
def test_the_adapter_passes_the_stored_closures_and_openings():
    calendar_override_add(
        date=date(2024, 3, 14), kind="closed", reason="Regional closure", user=None
    )
    assert due_date_for("notice", START) == date(2024, 3, 25)
    assert not is_working_day_for(date(2024, 3, 14))
    calendar_override_add(
        date=date(2024, 3, 12),
        kind=CalendarOverride.Kind.OPEN,
        reason="Cuti bersama cancelled",
        user=None,
    )
    assert due_date_for("notice", START) == date(2024, 3, 22)
    assert explain_for("notice", START).due == date(2024, 3, 22)
    assert timeline_for(START)[0].due == date(2024, 3, 22)


@pytest.mark.django_db
def test_bad_input_raises_the_engines_value_error():
    with pytest.raises(adapters.KipError):
        due_date_for("nope", START)
    with pytest.raises(ValueError, match="regime"):
        due_date_for("notice", START, regime="nope")
    with pytest.raises(ValueError, match="2099"):
        due_date_for("notice", date(2099, 1, 5))


@pytest.mark.django_db
@pytest.mark.parametrize("step", list(kip.STEPS))
def test_every_step_has_the_timeline_point_its_period_runs_from(step):
    items = timeline_for(START, from_step=STEP_POINTS[step])
    (item,) = [item for item in items if item.step == step]
    assert item.point == STEP_POINTS[step] and item.point_date == START


def test_step_points_cover_exactly_the_engines_steps():
    assert set(STEP_POINTS) == set(kip.STEPS)
    assert set(STEP_POINTS.values()) <= set(kip.TIMELINE_POINTS)


def test_engine_text_is_shown_in_the_active_language():
    text = kip.Text("Sabtu", "Saturday")
    with translation.override("id"):
        assert localized(text) == "Sabtu"
    with translation.override("en"):
        assert localized(text) == "Saturday"
    assert localized(None) == ""


def test_years_without_cuti_bersama_are_those_the_engine_has_no_data_for():
    assert years_without_cuti_bersama([2024, 2025, 2026]) == ()
    assert years_without_cuti_bersama([2024, kip.LAST_YEAR + 1, 1990]) == (
        1990,
        kip.LAST_YEAR + 1,
    )


def test_a_known_year_without_cuti_bersama_days_is_reported():
    no_cuti = (kip.ClosedDay(date(2024, 1, 6), kip.Source.WEEKEND, kip.Text("", "")),)
    adapters._has_cuti_bersama.cache_clear()
    try:
        with mock.patch.object(adapters.kip, "closed_days", return_value=no_cuti):
            assert years_without_cuti_bersama([2024]) == (2024,)
    finally:
        adapters._has_cuti_bersama.cache_clear()
