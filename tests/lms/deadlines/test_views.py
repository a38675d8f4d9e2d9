"""The public deadline calculator /alat/tenggat/ and its JSON twin."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from lms.deadlines.models import CalendarOverride
from lms.deadlines.services import calendar_override_add, calendar_override_remove
from lms.kip import LAST_YEAR

from .conftest import DUE, DUE_CUTI_WORKING

pytestmark = pytest.mark.django_db

PAGE = "/alat/tenggat/"
JSON = "/alat/tenggat/json/"
KIP_001 = {"step": "notice", "date": "2024-03-06", "regime": "general"}


def text_of(response) -> str:
    """The page's text with tags and runs of white space collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the sample case -------------------------------------------------------


def test_the_empty_form_explains_the_counting_rule_and_shows_no_result(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<p class="deadlines-rule">\s*<strong>[^<]+</strong>[^<]{80,}', html
    )
    assert 'name="date"' in html
    assert response.context["answer"] is None
    assert b"dl-error-summary" not in response.content


def test_kip_001_shows_the_notice_due_on_friday_22_march_2024(client):
    response = client.get(PAGE, KIP_001)
    assert response.status_code == 200
    assert response.context["answer"].explanation.due == DUE
    page = text_of(response)
    assert "Jumat, 22 Maret 2024" in page  # weekday and month in Indonesian
    assert "Pemberitahuan tertulis atas permohonan informasi" in page
    assert '<time datetime="2024-03-22">' in response.content.decode()


def test_kip_001_lists_the_skipped_holidays_with_their_reasons(client):
    response = client.get(PAGE, KIP_001)
    page = text_of(response)
    answer = response.context["answer"]
    assert [(day.day, day.source) for day in answer.holidays] == [
        (date(2024, 3, 11), "national_holiday"),
        (date(2024, 3, 12), "cuti_bersama"),
    ]
    for day in answer.holidays:
        assert day.reason.id in page  # the engine's Indonesian reason
    assert "Senin, 11 Maret 2024" in page and "Nyepi" in page
    assert "Selasa, 12 Maret 2024" in page
    assert answer.weekend_count == 4


def test_kip_001_shows_the_legal_basis_with_its_marker_in_words(client):
    response = client.get(PAGE, KIP_001)
    page = text_of(response)
    assert "UU 14/2008 Pasal 22 ayat (7)" in page
    with translation.override("id"):
        assert f"[V] {gettext('verified')}" in page


def test_kip_001_shows_the_rest_of_the_case_as_a_table(client):
    response = client.get(PAGE, KIP_001)
    timeline = response.context["answer"].timeline
    assert [item.step for item in timeline][:3] == [
        "notice",
        "notice_extended",
        "objection",
    ]
    html = response.content.decode()
    assert 'class="dl-stack timeline-table"' in html
    assert '<th scope="col">' in html and '<th scope="row"' in html
    assert "Rabu, 3 April 2024" in text_of(response)  # extended notice (KIP-005)


def test_counting_cuti_bersama_as_working_moves_kip_001_to_21_march(client):
    response = client.get(PAGE, {**KIP_001, "cuti_bersama_working": "on"})
    assert response.context["answer"].explanation.due == DUE_CUTI_WORKING
    assert "Kamis, 21 Maret 2024" in text_of(response)
    assert "checked" in re.search(
        r'<input[^>]*name="cuti_bersama_working"[^>]*>', response.content.decode()
    ).group(0)


def test_the_page_is_english_after_the_language_switch(client):
    client.post("/bahasa/", {"language": "en", "next": PAGE})
    page = text_of(client.get(PAGE, KIP_001))
    assert "Friday, 22 March 2024" in page
    assert "Written notice on an information request" in page
    assert "Day of Silence" in page


def test_the_page_follows_the_language_cookie_not_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Friday, 22 March 2024" in text_of(client.get(PAGE, KIP_001))
    client.cookies.clear()
    # Office computers often run English systems; the default stays Indonesian.
    page = text_of(client.get(PAGE, KIP_001, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Jumat, 22 Maret 2024" in page


def test_the_election_regime_borrows_the_general_rule_and_says_so(client):
    response = client.get(
        PAGE, {"step": "objection", "date": "2024-03-06", "regime": "election"}
    )
    assert response.status_code == 200
    note = response.context["answer"].explanation.regime_note
    assert note is not None and note.id in text_of(response)


def test_a_date_typed_day_first_gives_the_same_answer_and_stays_as_typed(client):
    response = client.get(PAGE, {**KIP_001, "date": "06/03/2024"})
    assert response.context["answer"].explanation.due == DUE
    field = re.search(r'<input[^>]*name="date"[^>]*>', response.content.decode())
    assert 'value="06/03/2024"' in field.group(0)
    assert 'type="text"' in field.group(0)


def test_a_regime_left_out_means_the_general_rules(client):
    response = client.get(PAGE, {"step": "notice", "date": "2024-03-06"})
    assert response.context["answer"].regime == "general"


# --- the JSON twin ---------------------------------------------------------


def test_the_json_endpoint_gives_the_same_answer_as_the_page(client):
    response = client.get(JSON, {**KIP_001, "cuti_bersama_working": "0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["due_date"] == DUE.isoformat()
    assert data["due_date_display"] == "Jumat, 22 Maret 2024"
    assert data["cuti_bersama_working"] is False
    holidays = [day for day in data["skipped_days"] if day["kind"] != "weekend"]
    assert [(d["date"], d["kind"]) for d in holidays] == [
        ("2024-03-11", "national_holiday"),
        ("2024-03-12", "cuti_bersama"),
    ]
    assert "Nyepi" in holidays[0]["reason_id"]
    assert "Day of Silence" in holidays[0]["reason_en"]
    assert len(data["skipped_days"]) == 6  # and four weekend days
    assert data["basis"][0]["citation"] == "UU 14/2008 Pasal 22 ayat (7)"
    assert data["marker"] == "V"
    assert data["regime_note"] is None
    assert data["timeline"][0]["step"] == "notice"
    assert data["timeline"][0]["due_date"] == DUE.isoformat()
    assert data["timeline_complete"] is True
    page_answer = client.get(PAGE, KIP_001).context["answer"]
    assert [item["due_date"] for item in data["timeline"]] == [
        item.due.isoformat() for item in page_answer.timeline
    ]


def test_the_json_endpoint_counts_cuti_bersama_as_working_when_asked(client):
    data = client.get(JSON, {**KIP_001, "cuti_bersama_working": "1"}).json()
    assert data["due_date"] == DUE_CUTI_WORKING.isoformat()
    assert data["cuti_bersama_working"] is True


def test_the_json_endpoint_shows_the_regime_note_under_the_election_rules(client):
    data = client.get(
        JSON, {"step": "objection", "date": "2024-03-06", "regime": "election"}
    ).json()
    assert data["regime_note"]["en"].startswith("PerKI 1/2019 sets no period")
    assert data["marker"] == "V"


# --- bad input: a clear message, never a 500 -------------------------------

BAD_INPUT = {
    "missing date": ({"step": "notice", "regime": "general"}, "date"),
    "empty date": ({**KIP_001, "date": ""}, "date"),
    "impossible date": ({**KIP_001, "date": "2024-02-30"}, "date"),
    "impossible day-first date": ({**KIP_001, "date": "31/02/2024"}, "date"),
    "not a date": ({**KIP_001, "date": "abc"}, "date"),
    "far too long": ({**KIP_001, "date": "1" * 500}, "date"),
    "year before the law": ({**KIP_001, "date": "1990-05-02"}, "date"),
    "year not published": ({**KIP_001, "date": "2099-05-04"}, "date"),
    "deadline past the calendar": (
        {**KIP_001, "date": f"{LAST_YEAR}-12-27"},
        "date",
    ),
    "unknown step": ({**KIP_001, "step": "appeal"}, "step"),
    "missing step": ({"date": "2024-03-06"}, "step"),
    "unknown regime": ({**KIP_001, "regime": "martial"}, "regime"),
    "unreadable flag": (
        {**KIP_001, "cuti_bersama_working": "maybe"},
        "cuti_bersama_working",
    ),
}


@pytest.mark.parametrize(
    ("params", "field"), list(BAD_INPUT.values()), ids=list(BAD_INPUT)
)
def test_bad_input_on_the_page_gets_a_linked_message_and_keeps_the_input(
    client, params, field
):
    response = client.get(PAGE, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and response.context["answer"] is None
    html = response.content.decode()
    assert 'class="dl-error-summary"' in html
    target = "id_regime_0" if field == "regime" else f"id_{field}"
    assert f'href="#{target}"' in html
    assert f'id="error-{field}"' in html
    control = re.search(rf'<(?:input|select)[^>]*name="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control
    assert re.search(rf'aria-describedby="[^"]*\berror-{field}\b', control)
    for message in form.errors[field]:
        assert message.replace("“", "&ldquo;") in html or message in html
    if field == "date" and params.get("date") and len(params["date"]) < 100:
        assert f'value="{params["date"]}"' in html


@pytest.mark.parametrize(
    ("params", "field"), list(BAD_INPUT.values()), ids=list(BAD_INPUT)
)
def test_bad_input_to_json_is_a_400_naming_the_field(client, params, field):
    response = client.get(JSON, params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "%(value)s is not a real date: check the day and the month."),
        ("abc", "Enter the date as dd/mm/yyyy, for example 06/03/2024."),
        ("", "Enter the date of the event, for example 06/03/2024."),
    ],
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_json_errors_come_in_the_requested_language(client, value, message, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(JSON, {**KIP_001, "date": value})
    with translation.override(language):
        expected = (
            gettext(message) % {"value": value} if "%(" in message else gettext(message)
        )
    assert response.json() == {"errors": {"date": [expected]}}


@pytest.mark.parametrize("year", [1990, 2099])
def test_an_unknown_year_names_the_years_the_calculator_covers(client, year):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    errors = client.get(JSON, {**KIP_001, "date": f"{year}-05-02"}).json()["errors"]
    assert f"2010 to {LAST_YEAR}" in errors["date"][0]


def test_only_get_is_allowed(client):
    assert client.post(PAGE, KIP_001).status_code == 405
    assert client.post(JSON, KIP_001).status_code == 405


# --- administrator closures reach the calculator ---------------------------


def test_an_administrator_closure_moves_the_deadline_and_removing_it_restores_it(
    client, superuser
):
    assert client.get(JSON, KIP_001).json()["due_date"] == "2024-03-22"
    closure = calendar_override_add(
        date=date(2024, 3, 14),  # a Thursday inside the window
        kind=CalendarOverride.Kind.CLOSED,
        reason="Banjir: kantor KPU ditutup (SE Bupati 12/2024)",
        user=superuser,
    )
    data = client.get(JSON, KIP_001).json()
    assert data["due_date"] == "2024-03-25"  # one working day later (Monday)
    (extra,) = [day for day in data["skipped_days"] if day["kind"] == "extra_closure"]
    assert extra["date"] == "2024-03-14"
    assert extra["reason_id"].endswith("Banjir: kantor KPU ditutup (SE Bupati 12/2024)")
    page = text_of(client.get(PAGE, KIP_001))
    assert "Senin, 25 Maret 2024" in page and "SE Bupati 12/2024" in page

    calendar_override_remove(override=closure, user=superuser)
    assert client.get(JSON, KIP_001).json()["due_date"] == "2024-03-22"
    assert "Jumat, 22 Maret 2024" in text_of(client.get(PAGE, KIP_001))


def test_an_administrator_opening_of_a_cuti_bersama_day_counts_it(client):
    calendar_override_add(
        date=date(2024, 3, 12),
        kind=CalendarOverride.Kind.OPEN,
        reason="Cuti bersama cancelled for this office",
        user=None,
    )
    assert client.get(JSON, KIP_001).json()["due_date"] == DUE_CUTI_WORKING.isoformat()


@pytest.mark.parametrize("stored", [1, 5])
def test_the_page_makes_no_query_once_the_overrides_are_cached(
    client, django_assert_num_queries, stored
):
    for offset in range(stored):
        calendar_override_add(
            date=date(2024, 6, 3 + offset),
            kind=CalendarOverride.Kind.CLOSED,
            reason=f"Closure {offset}",
            user=None,
        )
    client.get(PAGE, KIP_001)  # warms the cache
    with django_assert_num_queries(0):
        assert client.get(PAGE, KIP_001).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(JSON, KIP_001).status_code == 200


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("2024-03-06", "date"),
        ("06/03/2024", "text"),
        ("2024-02-30", "text"),  # a date picker would show it empty
        ("abc", "text"),
    ],
)
def test_the_date_box_is_a_picker_only_for_a_value_it_can_show(client, typed, kind):
    html = client.get(PAGE, {**KIP_001, "date": typed}).content.decode()
    field = re.search(r'<input[^>]*name="date"[^>]*>', html).group(0)
    assert f'type="{kind}"' in field and f'value="{typed}"' in field


def test_a_holiday_on_a_sunday_is_counted_with_the_weekends(client):
    # Easter Sunday, 31 March 2024, lies inside a 30-working-day objection window.
    params = {"step": "objection", "date": "2024-03-06", "regime": "general"}
    response = client.get(PAGE, params)
    answer = response.context["answer"]
    assert date(2024, 3, 31) not in [day.day for day in answer.holidays]
    assert answer.weekend_count == 16  # 15 plain weekend days and Easter Sunday
    easter = client.get(JSON, params).json()["skipped_days"]
    assert {"date": "2024-03-31", "kind": "national_holiday"}.items() <= next(
        day for day in easter if day["date"] == "2024-03-31"
    ).items()
