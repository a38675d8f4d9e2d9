"""The working-day calendar: holiday data, counting at the edges, closures, errors."""

import re
from datetime import date, datetime

import holidays
import pytest

from lms.kip import (
    FIRST_YEAR,
    LAST_YEAR,
    KipError,
    Source,
    add_working_days,
    as_ordinals,
    closed_days,
    due_date,
    is_working_day,
    working_calendar,
    working_days_between,
)


def _days(year: int, month_days: str) -> set[date]:
    return {date.fromisoformat(f"{year}-{md}") for md in month_days.split()}


# kip-law.md §6.2 (SKB 3 Menteri, Keppres 7/2024, 10/2024, 33/2024; SKB 2025 as
# amended; SKB 2026): national holidays and cuti bersama, weekend ones included.
REFERENCE_CALENDARS = {
    2024: (
        "01-01 02-08 02-10 02-14 03-11 03-29 03-31 04-10 04-11 05-01 05-09 05-23 "
        "06-01 06-17 07-07 08-17 09-16 11-27 12-25",
        "02-09 03-12 04-08 04-09 04-12 04-15 05-10 05-24 06-18 12-26",
    ),
    2025: (
        "01-01 01-27 01-29 03-29 03-31 04-01 04-18 04-20 05-01 05-12 05-29 06-01 "
        "06-06 06-27 08-17 09-05 12-25",
        "01-28 03-28 04-02 04-03 04-04 04-07 05-13 05-30 06-09 08-18 12-26",
    ),
    2026: (
        "01-01 01-16 02-17 03-19 03-21 03-22 04-03 04-05 05-01 05-14 05-27 05-31 "
        "06-01 06-16 08-17 08-25 12-25",
        "02-16 03-18 03-20 03-23 03-24 05-15 05-28 12-24",
    ),
}


def _weekdays(days: set[date]) -> set[date]:
    return {day for day in days if day.weekday() < 5}


@pytest.mark.parametrize("year", REFERENCE_CALENDARS)
def test_weekday_national_holidays_match_the_reference(year):
    found = {
        day.day for day in closed_days(year) if day.source == Source.NATIONAL_HOLIDAY
    }
    assert _weekdays(found) == _weekdays(_days(year, REFERENCE_CALENDARS[year][0]))


@pytest.mark.parametrize("year", REFERENCE_CALENDARS)
def test_weekday_cuti_bersama_match_the_reference(year):
    found = {day.day for day in closed_days(year) if day.source == Source.CUTI_BERSAMA}
    assert found == _weekdays(_days(year, REFERENCE_CALENDARS[year][1]))


def test_the_known_years_run_from_2010_to_the_last_year_with_cuti_bersama_data():
    assert FIRST_YEAR == 2010
    government = holidays.Indonesia(years=LAST_YEAR + 1, categories=("government",))
    assert not government
    assert closed_days(LAST_YEAR, cuti_bersama_working=False)
    if holidays.__version__ == "0.109":
        assert LAST_YEAR == 2027


def test_a_period_crosses_the_new_year_skipping_christmas_and_new_year():
    assert add_working_days(date(2024, 12, 20), 5) == date(2024, 12, 31)
    assert add_working_days(date(2024, 12, 20), 6) == date(2025, 1, 2)


def test_a_start_on_31_december_counts_from_the_first_working_day_of_january():
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)


def test_a_start_on_a_closed_1_january_counts_like_the_working_day_before():
    assert add_working_days(date(2025, 1, 1), 1) == date(2025, 1, 2)
    assert due_date("notice", date(2025, 1, 1)) == due_date(
        "notice", date(2024, 12, 31)
    )


def test_a_start_on_a_saturday_counts_from_the_next_working_day():
    # Mon 11 Mar 2024 is Nyepi and Tue 12 Mar its cuti bersama.
    assert add_working_days(date(2024, 3, 9), 1) == date(2024, 3, 13)
    assert due_date("notice", date(2024, 3, 9)) == due_date("notice", date(2024, 3, 8))


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    # Idul Fitri 2024: 8-15 April closed; 16 April is the first working day.
    assert add_working_days(date(2024, 4, 10), 1) == date(2024, 4, 16)
    assert due_date("notice", date(2024, 4, 10)) == due_date("notice", date(2024, 4, 5))


def test_zero_days_return_the_start_itself():
    assert add_working_days(date(2024, 3, 9), 0) == date(2024, 3, 9)


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(date(2024, 3, 6), date(2024, 3, 22)) == 10
    assert working_days_between(date(2024, 3, 22), date(2024, 3, 6)) == -10
    assert working_days_between(date(2024, 3, 9), date(2024, 3, 12)) == 0


def test_cuti_bersama_are_closed_by_default_and_working_with_the_flag():
    assert not is_working_day(date(2024, 3, 12))
    assert is_working_day(date(2024, 3, 12), cuti_bersama_working=True)
    # A national holiday stays closed whatever the flag.
    assert not is_working_day(date(2024, 3, 11), cuti_bersama_working=True)


def test_extra_open_and_extra_closed_override_the_package():
    assert is_working_day(date(2024, 3, 11), extra_open=[date(2024, 3, 11)])
    assert is_working_day(date(2024, 3, 9), extra_open=[date(2024, 3, 9)])
    assert not is_working_day(date(2024, 3, 13), extra_closed=[date(2024, 3, 13)])


def test_closed_days_give_the_reason_in_both_languages_and_the_source():
    year = {day.day: day for day in closed_days(2024, extra_closed=[date(2024, 7, 1)])}
    nyepi, cuti = year[date(2024, 3, 11)], year[date(2024, 3, 12)]
    assert (nyepi.source, nyepi.reason.id, nyepi.reason.en) == (
        Source.NATIONAL_HOLIDAY,
        "Hari Suci Nyepi",
        "Day of Silence",
    )
    assert cuti.source == Source.CUTI_BERSAMA
    assert cuti.reason.id.startswith("Cuti Bersama")
    assert year[date(2024, 3, 9)].reason.id == "Sabtu"
    assert year[date(2024, 3, 10)].reason.en == "Sunday"
    assert year[date(2024, 7, 1)].source == Source.EXTRA_CLOSURE
    # A holiday on a weekend has the holiday as source and both reasons.
    pancasila = year[date(2024, 6, 1)]
    assert pancasila.source == Source.NATIONAL_HOLIDAY
    assert pancasila.reason.en == "Pancasila Day; Saturday"


def test_closed_days_follow_the_configuration():
    cuti = date(2024, 3, 12)
    assert cuti in {day.day for day in closed_days(2024)}
    assert cuti not in {day.day for day in closed_days(2024, cuti_bersama_working=True)}
    assert cuti not in {day.day for day in closed_days(2024, extra_open=[cuti])}


def test_a_weekend_cuti_bersama_stays_closed_as_a_weekend_with_the_flag():
    # 2024-02-10 Imlek is a Saturday; pick any Saturday: it stays closed.
    assert not is_working_day(date(2024, 2, 10), cuti_bersama_working=True)


def test_estimated_lunar_holidays_are_flagged():
    year = {day.day: day for day in closed_days(2027)}
    assert year[date(2027, 3, 10)].estimated
    assert not year[date(2027, 1, 1)].estimated


def test_ordinals_are_a_stable_cheap_form_of_extra_days():
    closures = [date(2024, 3, 13), date(2024, 3, 14)]
    ordinals = as_ordinals(closures)
    assert ordinals == frozenset(day.toordinal() for day in closures)
    assert due_date("notice", date(2024, 3, 6), extra_closed=ordinals) == due_date(
        "notice", date(2024, 3, 6), extra_closed=closures
    )
    # Both forms hit the same cached calendar.
    assert working_calendar(extra_closed=ordinals) is working_calendar(
        extra_closed=closures
    )


def test_extra_days_outside_the_known_years_are_accepted_and_ignored():
    later = [date(LAST_YEAR + 1, 1, 2)]
    assert due_date("notice", date(2024, 3, 6), extra_closed=later) == date(2024, 3, 22)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: add_working_days(date(2009, 12, 31), 1),
            "calendar for 2009 not known",
        ),
        (
            lambda: add_working_days(date(LAST_YEAR, 12, 1), 30),
            f"calendar for {LAST_YEAR + 1} not known; "
            f"known years {FIRST_YEAR}–{LAST_YEAR}",
        ),
        (lambda: closed_days(LAST_YEAR + 3), f"calendar for {LAST_YEAR + 3} not known"),
        (lambda: add_working_days(datetime(2024, 3, 6, 9), 1), "not datetime"),
        (lambda: add_working_days("2024-03-06", 1), "must be a datetime.date, not str"),
        (lambda: add_working_days(date(2024, 3, 6), -1), "whole number >= 0"),
        (lambda: add_working_days(date(2024, 3, 6), True), "whole number >= 0"),
        (
            lambda: is_working_day(
                date(2024, 3, 6),
                extra_closed=[date(2024, 3, 7)],
                extra_open=[date(2024, 3, 7)],
            ),
            "both in extra_closed and extra_open: 2024-03-07",
        ),
        (
            lambda: is_working_day(date(2024, 3, 6), extra_closed=["2024-03-07"]),
            "extra_closed",
        ),
        (
            lambda: is_working_day(date(2024, 3, 6), cuti_bersama_working="yes"),
            "True or False",
        ),
        (lambda: closed_days("2024"), "year must be a whole number"),
    ],
)
def test_invalid_input_raises_a_value_error_that_says_what_is_allowed(call, message):
    with pytest.raises(KipError, match=re.escape(message)) as raised:
        call()
    assert isinstance(raised.value, ValueError)
