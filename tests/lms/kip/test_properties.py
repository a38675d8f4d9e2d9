"""Properties of the calendar and the deadlines, checked with hypothesis."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.kip import (
    REGIMES,
    STEPS,
    Unit,
    add_working_days,
    due_date,
    explain,
    is_working_day,
    working_days_between,
)
from lms.kip.rules import resolve

# Leave room after the start for the longest period (100 working days).
starts = st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 12, 31))
steps = st.sampled_from(list(STEPS))
regimes = st.sampled_from(list(REGIMES))
counts = st.integers(min_value=0, max_value=150)
# Up to 300 working days are added below: start early enough to stay inside the
# calendar's known years (the last one is 2027).
early_starts = st.dates(min_value=date(2010, 1, 1), max_value=date(2025, 12, 31))
flags = st.booleans()
# A few closures near the start, so they matter; each new set builds a calendar.
closures = st.frozensets(st.integers(min_value=0, max_value=40), max_size=3)

fast = settings(max_examples=150, deadline=None)
slow = settings(max_examples=40, deadline=None)  # each example builds a calendar


@fast
@given(steps, regimes, starts, starts, flags)
def test_a_later_event_never_has_an_earlier_deadline(step, regime, s1, s2, cuti):
    s1, s2 = min(s1, s2), max(s1, s2)
    assert due_date(step, s1, regime=regime, cuti_bersama_working=cuti) <= due_date(
        step, s2, regime=regime, cuti_bersama_working=cuti
    )


@fast
@given(steps, regimes, starts, flags)
def test_a_working_day_deadline_is_always_a_working_day(step, regime, start, cuti):
    rule, _ = resolve(regime, step)
    due = due_date(step, start, regime=regime, cuti_bersama_working=cuti)
    assert due > start
    if rule.unit is Unit.WORKING_DAYS:
        assert is_working_day(due, cuti_bersama_working=cuti)
    else:
        assert due == start + timedelta(days=rule.days)


@fast
@given(early_starts, counts, counts, flags)
def test_adding_m_then_n_working_days_is_adding_m_plus_n(start, m, n, cuti):
    config = {"cuti_bersama_working": cuti}
    assert add_working_days(add_working_days(start, m, **config), n, **config) == (
        add_working_days(start, m + n, **config)
    )


@fast
@given(starts, counts, flags)
def test_working_days_between_inverts_add_working_days(start, n, cuti):
    end = add_working_days(start, n, cuti_bersama_working=cuti)
    assert working_days_between(start, end, cuti_bersama_working=cuti) == n


@fast
@given(steps, regimes, starts)
def test_counting_cuti_bersama_as_working_never_makes_a_deadline_later(
    step, regime, start
):
    assert due_date(step, start, regime=regime, cuti_bersama_working=True) <= due_date(
        step, start, regime=regime
    )


@slow
@given(starts, flags)
def test_extra_open_makes_any_day_a_working_day(day, cuti):
    assert is_working_day(day, cuti_bersama_working=cuti, extra_open=[day])


@slow
@given(starts, flags)
def test_extra_closed_closes_any_day(day, cuti):
    assert not is_working_day(day, cuti_bersama_working=cuti, extra_closed=[day])


@slow
@given(steps, regimes, starts, closures)
def test_extra_closures_never_make_a_deadline_earlier(step, regime, start, offsets):
    extra = [start + timedelta(days=offset) for offset in offsets]
    assert due_date(step, start, regime=regime, extra_closed=extra) >= due_date(
        step, start, regime=regime
    )


@slow
@given(steps, regimes, starts, flags)
def test_explain_counts_exactly_the_length_for_working_day_steps(
    step, regime, start, cuti
):
    explanation = explain(step, start, regime=regime, cuti_bersama_working=cuti)
    assert len(explanation.counted) == explanation.length
    assert all(day.day not in explanation.counted for day in explanation.skipped)
