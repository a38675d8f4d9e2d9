"""Filters come from the query string: defaults, presets, and a clear error per bad
value (never an exception the view cannot explain)."""

import datetime

import pytest

from dashboard.filters import FilterError, Filters, parse_filters, preset_range

TODAY = datetime.date(2026, 5, 20)  # a Wednesday
MONDAY = datetime.date(2026, 5, 18)


def parse(**params):
    return parse_filters(params, today=TODAY, course_ids={7, 8})


def test_without_parameters_the_period_is_the_last_twelve_weeks():
    filters = parse()
    assert filters.period == "12w"
    assert filters.date_from == MONDAY - datetime.timedelta(weeks=11)
    assert filters.date_to == TODAY
    assert filters.params() == {}


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("4w", MONDAY - datetime.timedelta(weeks=3), TODAY),
        ("month", datetime.date(2026, 5, 1), TODAY),
        ("quarter", datetime.date(2026, 4, 1), TODAY),
        ("year", datetime.date(2026, 1, 1), TODAY),
        ("last_year", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ],
)
def test_each_preset_names_its_dates(preset, start, end):
    assert preset_range(preset, TODAY) == (start, end)
    filters = parse(period=preset)
    assert (filters.date_from, filters.date_to) == (start, end)


def test_dates_typed_in_win_over_the_preset_and_survive_a_round_trip():
    filters = parse(period="year", **{"from": "2026-02-01", "to": "2026-03-31"})
    assert filters.period == "custom"
    assert filters.date_from == datetime.date(2026, 2, 1)
    again = parse(**filters.params())
    assert again == filters


def test_every_filter_survives_a_round_trip_through_the_query_string():
    filters = parse(
        office="12",
        own="1",
        course="7",
        employment="intern",
        status="overdue",
        source="assigned",
        q="Ayu",
        period="month",
    )
    assert filters.employment_types == ("magang", "pkl")
    assert parse(**filters.params()) == filters


def test_staff_means_pns_pppk_and_ppnpn():
    assert parse(employment="staff").employment_types == ("pns", "pppk", "ppnpn")
    assert parse(employment="pkl").employment_types == ("pkl",)
    assert parse().employment_types is None


def test_own_without_an_office_is_ignored():
    assert parse(own="1").own is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"office": "abc"}, "office"),
        ({"office": "-3"}, "office"),
        ({"office": "1" * 20}, "office"),
        ({"course": "x"}, "course"),
        ({"course": "9"}, "course"),
        ({"employment": "boss"}, "employment"),
        ({"status": "everything"}, "status"),
        ({"source": "imported"}, "source"),
        ({"period": "forever"}, "period"),
        ({"period": "custom"}, "from"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "20260101"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "from"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "from"),
        ({"page": "two"}, "page"),
        ({"own": "yes"}, "own"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_a_malformed_value_is_named_with_a_message(params, field):
    with pytest.raises(FilterError) as caught:
        parse(**params)
    assert field in caught.value.errors
    assert str(caught.value.errors[field])


def test_a_list_value_uses_the_last_one():
    assert (
        parse_filters({"course": ["7", "8"]}, today=TODAY, course_ids={7, 8}).course_id
        == 8
    )


def test_filters_build_their_own_query_string():
    filters = Filters(date_from=TODAY, date_to=TODAY, period="custom", course_id=7)
    assert filters.query() == "course=7&from=2026-05-20&to=2026-05-20"
    assert "office=3" in filters.query(office_id=3)
