"""Statutory steps, due dates, explanations and the case timeline."""

import re
from datetime import date, timedelta

import pytest

from lms.kip import (
    LAST_YEAR,
    REGIMES,
    STEPS,
    TIMELINE_POINTS,
    KipError,
    Regime,
    Rule,
    Text,
    Unit,
    add_working_days,
    due_date,
    explain,
    timeline,
    working_calendar,
)
from lms.kip.rules import resolve_in

WD, CD = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS

UU, PERKI_2019 = "UU 14/2008 Pasal ", "PerKI 1/2019 "
# (regime, step): days, unit, first citation, its marker, borrowed from "general".
# Checked against kip-law.md §1.4-1.7, §3, §4 and §7.
STEP_TABLE = {
    ("general", "notice"): (10, WD, UU + "22 ayat (7)", "V", False),
    ("general", "notice_extended"): (17, WD, UU + "22 ayat (7)", "V", False),
    ("general", "objection"): (30, WD, UU + "36 ayat (1)", "V", False),
    ("general", "objection_response"): (30, WD, UU + "36 ayat (2)", "V", False),
    ("general", "dispute"): (14, WD, UU + "37 ayat (2)", "V", False),
    ("general", "dispute_start"): (14, WD, UU + "38 ayat (1)", "V", False),
    ("general", "dispute_decision"): (100, WD, UU + "38 ayat (2)", "V", False),
    ("general", "court_objection"): (14, WD, UU + "48 ayat (1)", "S", False),
    ("general", "cassation"): (14, CD, UU + "50", "V", False),
    ("election", "notice"): (3, WD, PERKI_2019 + "Pasal 12", "S", False),
    ("election", "notice_extended"): (5, WD, PERKI_2019 + "Pasal 12", "S", False),
    ("election", "objection"): (30, WD, UU + "36 ayat (1)", "V", True),
    ("election", "objection_response"): (3, WD, PERKI_2019 + "Pasal 14", "S", False),
    ("election", "dispute"): (14, WD, UU + "37 ayat (2)", "V", True),
    ("election", "dispute_start"): (14, WD, UU + "38 ayat (1)", "V", True),
    ("election", "dispute_decision"): (
        14,
        WD,
        PERKI_2019 + "(nomor pasal tidak ditemukan)",
        "S",
        False,
    ),
    ("election", "court_objection"): (14, WD, UU + "48 ayat (1)", "S", True),
    ("election", "cassation"): (14, CD, UU + "50", "V", True),
}
STEP_ORDER = [
    "notice",
    "notice_extended",
    "objection",
    "objection_response",
    "dispute",
    "dispute_start",
    "dispute_decision",
    "court_objection",
    "cassation",
]


def test_the_table_covers_every_step_of_every_regime_in_order():
    assert list(STEPS) == STEP_ORDER
    assert set(STEP_TABLE) == {(regime, step) for regime in REGIMES for step in STEPS}


@pytest.mark.parametrize("regime, step", STEP_TABLE)
def test_each_step_has_its_statutory_length_unit_and_basis(regime, step):
    days, unit, citation, marker, borrowed = STEP_TABLE[regime, step]
    explanation = explain(step, date(2024, 3, 6), regime=regime)
    assert (explanation.length, explanation.unit) == (days, unit)
    assert (explanation.basis[0].citation, explanation.basis[0].marker) == (
        citation,
        marker,
    )
    assert (explanation.regime_note is not None) == borrowed


@pytest.mark.parametrize("step", ["objection", "dispute", "cassation"])
def test_the_election_regime_says_when_the_general_rule_applies(step):
    note = explain(step, date(2024, 3, 6), regime="election").regime_note
    citation = STEP_TABLE["general", step][2]
    assert note.id.startswith("PerKI 1/2019 tidak mengatur jangka waktu sendiri")
    assert f"berlaku ketentuan umum {citation} [V]" in note.id
    assert f"the general rule applies: {citation}" in note.en


def test_the_election_regime_warns_that_its_own_periods_may_apply_only_in_tahapan():
    own = explain("notice", date(2024, 3, 6), regime="election")
    borrowed = explain("objection", date(2024, 3, 6), regime="election")
    assert any("tahapan" in warning.id for warning in own.warnings)
    assert not any("tahapan" in warning.id for warning in borrowed.warnings)


def test_secondary_bases_carry_a_warning_in_both_languages():
    warnings = explain("court_objection", date(2024, 3, 6)).warnings
    assert any("[S]" in warning.id and "[S]" in warning.en for warning in warnings)
    assert not any(
        "[S]" in w.en for w in explain("objection", date(2024, 3, 6)).warnings
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: due_date("foo", date(2024, 3, 6)),
            "Unknown step 'foo'; allowed: " + ", ".join(STEP_ORDER),
        ),
        (
            lambda: due_date("notice", date(2024, 3, 6), regime="pemilu"),
            "Unknown regime 'pemilu'; allowed: general, election",
        ),
        (
            lambda: explain("notice", date(2024, 3, 6), regime="pemilu"),
            "Unknown regime 'pemilu'",
        ),
        (
            lambda: due_date("dispute_decision", date(LAST_YEAR, 11, 1)),
            f"calendar for {LAST_YEAR + 1} not known",
        ),
        (
            lambda: due_date("cassation", date(LAST_YEAR, 12, 25)),
            f"calendar for {LAST_YEAR + 1} not known",
        ),
        (
            lambda: due_date(["notice"], date(2024, 3, 6)),
            "regime and step must be strings",
        ),
        (
            lambda: timeline(date(2024, 3, 6), from_step="banding"),
            "Unknown timeline point 'banding'; allowed: " + ", ".join(TIMELINE_POINTS),
        ),
    ],
)
def test_invalid_steps_regimes_and_dates_are_rejected_with_what_is_allowed(
    call, message
):
    with pytest.raises(KipError, match=re.escape(message)):
        call()


def test_a_regime_without_fallback_rejects_a_step_it_does_not_define():
    regime = Regime("test", Text("Uji", "Test"), {"notice": Rule(1, WD, ())})
    with pytest.raises(KipError, match="'cassation' is not defined in regime 'test'"):
        resolve_in(regime, "cassation")


def test_cassation_counts_calendar_days_through_holidays():
    # 14 days over Idul Fitri 2024 (8-15 April closed).
    explanation = explain("cassation", date(2024, 4, 3))
    assert explanation.due == date(2024, 4, 17)
    assert explanation.counted == tuple(
        date(2024, 4, 3) + timedelta(days=n) for n in range(1, 15)
    )
    assert explanation.skipped == ()
    assert "calendar days" in explanation.counting.en
    assert "hari kalender" in explanation.counting.id


def test_a_cassation_deadline_on_a_holiday_is_not_moved_but_warned_about():
    explanation = explain("cassation", date(2025, 12, 11))
    assert explanation.due == date(2025, 12, 25)
    assert any("does not move it" in warning.en for warning in explanation.warnings)


@pytest.mark.parametrize("regime, step", STEP_TABLE)
def test_explain_agrees_with_due_date_and_partitions_its_window(regime, step):
    start = date(2024, 12, 20)
    explanation = explain(step, start, regime=regime)
    assert explanation.due == due_date(step, start, regime=regime)
    window = {
        start + timedelta(days=n) for n in range(1, (explanation.due - start).days + 1)
    }
    counted, skipped = (
        set(explanation.counted),
        {day.day for day in explanation.skipped},
    )
    assert counted | skipped == window and not counted & skipped
    assert len(explanation.counted) == explanation.length
    assert explanation.counted[-1] == explanation.due


def test_explain_shows_the_other_cuti_bersama_reading_when_it_differs():
    default = explain("notice", date(2024, 3, 6))
    assert default.alternative_due == date(2024, 3, 21)
    assert any("2024-03-21" in warning.en for warning in default.warnings)
    flipped = explain("notice", date(2024, 3, 6), cuti_bersama_working=True)
    assert (flipped.due, flipped.alternative_due) == (
        date(2024, 3, 21),
        date(2024, 3, 22),
    )
    assert explain("dispute_start", date(2024, 7, 1)).alternative_due is None


def test_explain_lists_the_skipped_days_with_reasons_in_both_languages():
    skipped = {day.day: day for day in explain("notice", date(2024, 3, 6)).skipped}
    assert skipped[date(2024, 3, 11)].reason == Text(
        "Hari Suci Nyepi", "Day of Silence"
    )
    assert skipped[date(2024, 3, 9)].reason == Text("Sabtu", "Saturday")


def test_explain_notes_a_start_on_a_closed_day():
    notes = explain("notice", date(2024, 3, 11)).notes
    assert any(
        "Hari Suci Nyepi" in note.id and "Day of Silence" in note.en for note in notes
    )


@pytest.mark.parametrize(
    "start, text",
    [
        (date(2020, 11, 3), "before 2021"),  # cuti bersama data not verified
        (date(2010, 1, 4), "30 April 2010"),  # before UU 14/2008 was in force
        (date(2027, 3, 5), "estimated"),  # Idul Fitri 2027 not yet fixed by isbat
    ],
)
def test_explain_warns_when_the_data_or_the_law_is_uncertain(start, text):
    assert any(text in warning.en for warning in explain("notice", start).warnings)


def _chain(start: date) -> dict[str, date]:
    due = {
        "notice": due_date("notice", start),
        "notice_extended": due_date("notice_extended", start),
    }
    due["objection"] = add_working_days(due["notice_extended"], 30)
    due["objection_response"] = add_working_days(due["objection"], 30)
    due["dispute"] = add_working_days(due["objection_response"], 14)
    due["dispute_start"] = add_working_days(due["dispute"], 14)
    due["dispute_decision"] = add_working_days(due["dispute"], 100)
    return due


def test_the_timeline_from_a_request_chains_every_period_at_its_latest():
    items = timeline(date(2024, 3, 6))
    assert {item.step: item.due for item in items} == _chain(date(2024, 3, 6))
    assert [item.step for item in items] == STEP_ORDER[:7]
    assert items[0].point_date == date(2024, 3, 6)
    # Every item after the request is counted from the previous link's due date.
    by_step = {item.step: item for item in items}
    assert by_step["objection"].point_date == by_step["notice_extended"].due
    assert by_step["dispute"].point_date == by_step["objection_response"].due
    assert by_step["dispute_decision"].point_date == by_step["dispute"].due


def test_every_timeline_item_states_its_assumption_and_explanation():
    items = timeline(date(2024, 3, 6))
    assert all(item.assumption.id and item.assumption.en for item in items)
    assert "received the request" in items[0].assumption.en
    objection = next(item for item in items if item.step == "objection")
    assert "35(1)(c)/(g)" in objection.assumption.en
    assert all(item.explanation.due == item.due for item in items)


@pytest.mark.parametrize(
    "point, steps",
    [
        ("objection_ground_arose", STEP_ORDER[2:7]),
        ("objection_filed", STEP_ORDER[3:7]),
        ("objection_answered", STEP_ORDER[4:7]),
        ("dispute_registered", ["dispute_start", "dispute_decision"]),
        ("ki_decision_received", ["court_objection"]),
        ("court_judgment_received", ["cassation"]),
    ],
)
def test_the_timeline_can_start_at_a_later_point(point, steps):
    items = timeline(date(2024, 7, 1), from_step=point)
    assert [item.step for item in items] == steps
    assert items[0].point == point and items[0].point_date == date(2024, 7, 1)


def test_the_election_timeline_uses_its_own_periods_and_says_where_it_borrows():
    items = {item.step: item for item in timeline(date(2024, 3, 6), regime="election")}
    assert items["notice"].due == add_working_days(date(2024, 3, 6), 3)
    assert items["objection_response"].explanation.length == 3
    assert items["objection"].explanation.regime_note is not None
    assert items["dispute_decision"].explanation.length == 14


def test_the_timeline_configuration_reaches_every_item():
    closure = date(2024, 3, 13)
    items = timeline(date(2024, 3, 6), extra_closed=[closure])
    assert items[0].due == due_date("notice", date(2024, 3, 6), extra_closed=[closure])
    assert working_calendar(extra_closed=[closure]).closure(closure) in (
        items[0].explanation.skipped
    )
