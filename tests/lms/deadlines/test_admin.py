"""The working-calendar admin screen: who may open it, adding, removing, warnings."""

from datetime import date
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.deadlines.models import CalendarOverride
from lms.kip import LAST_YEAR
from tests.conftest import admin_in_english

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CALENDAR = "/admin/kalender-kerja/"


def signed_in(user) -> Client:
    """A client signed in as `user`, with the Wagtail admin in English (the source
    language of the assertions; the admin follows the user's profile)."""
    admin_in_english(user)
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def add_closure(day=date(2024, 3, 14), reason="Banjir (SE Bupati 12/2024)", user=None):
    return CalendarOverride.objects.create(
        date=day, kind=CalendarOverride.Kind.CLOSED, reason=reason, created_by=user
    )


def test_the_calendar_urls_are_stable():
    assert reverse("deadlines_calendar") == CALENDAR
    assert reverse("deadlines_calendar_remove", args=[7]) == f"{CALENDAR}7/hapus/"


# --- who may open it ---------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CALENDAR)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_learners_without_admin_access_are_turned_away(learner):
    response = signed_in(learner).get(CALENDAR)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_instructors_with_admin_access_are_refused(instructor):
    client = signed_in(instructor)
    response = client.get(CALENDAR)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    response = client.post(
        CALENDAR, {"date": "2024-03-14", "kind": "closed", "reason": "x"}
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    closure = add_closure()
    client.post(reverse("deadlines_calendar_remove", args=[closure.pk]))
    assert CalendarOverride.objects.filter(pk=closure.pk).exists()


def test_administrators_see_the_closed_weekdays_of_a_year(superuser):
    add_closure(user=superuser)
    response = signed_in(superuser).get(CALENDAR, {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.day: row for row in response.context["closed_weekdays"]}
    assert rows[date(2024, 3, 11)].reason == "Day of Silence"  # Nyepi, in English
    assert rows[date(2024, 3, 12)].source_label in html
    assert rows[date(2024, 3, 14)].override.created_by == superuser
    assert "Banjir (SE Bupati 12/2024)" in html
    assert all(day.weekday() < 5 for day in rows)
    assert response.context["weekend_count"] == 104
    assert response.context["working_count"] == 366 - 104 - len(rows)
    assert "Admin Kalender" in html


def test_the_year_defaults_to_this_year_and_ignores_nonsense(superuser):
    client = signed_in(superuser)
    this_year = timezone.localdate().year
    assert client.get(CALENDAR).context["year"] == this_year
    assert client.get(CALENDAR, {"year": "abc"}).context["year"] == this_year
    assert client.get(CALENDAR, {"year": "1066"}).context["year"] == this_year


def test_only_administrators_see_the_menu_item(superuser, instructor):
    assert CALENDAR in signed_in(superuser).get("/admin/").content.decode()
    assert CALENDAR not in signed_in(instructor).get("/admin/").content.decode()


# --- adding and removing ---------------------------------------------------


def test_an_administrator_adds_a_closure_with_a_reason(superuser):
    client = signed_in(superuser)
    response = client.post(
        f"{CALENDAR}?year=2024",
        {"date": "2024-03-14", "kind": "closed", "reason": "Keppres 99/2024"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{CALENDAR}?year=2024"
    override = CalendarOverride.objects.get()
    assert (override.date, override.kind, override.created_by) == (
        date(2024, 3, 14),
        "closed",
        superuser,
    )
    assert (
        client.get(
            "/alat/tenggat/json/", {"step": "notice", "date": "2024-03-06"}
        ).json()["due_date"]
        == "2024-03-25"
    )


def test_a_change_without_a_reason_is_refused_with_a_message(superuser):
    response = signed_in(superuser).post(
        CALENDAR, {"date": "2024-03-14", "kind": "closed", "reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "Keppres" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_a_second_change_on_the_same_day_is_refused_with_a_message(superuser):
    add_closure(reason="Regional closure")
    response = signed_in(superuser).post(
        CALENDAR, {"date": "14/03/2024", "kind": "open", "reason": "Mistake"}
    )
    assert response.status_code == 200
    assert "Regional closure" in str(response.context["form"].errors)
    assert CalendarOverride.objects.count() == 1


def test_removing_asks_for_confirmation_then_removes(superuser):
    closure = add_closure()
    client = signed_in(superuser)
    url = reverse("deadlines_calendar_remove", args=[closure.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert CalendarOverride.objects.filter(pk=closure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{CALENDAR}?year=2024"
    assert not CalendarOverride.objects.exists()
    assert client.get(url).status_code == 404


def test_changes_need_the_csrf_token(superuser):
    client = Client(enforce_csrf_checks=True)
    client.login(email=superuser.email, password=PASSWORD)
    response = client.post(
        CALENDAR, {"date": "2024-03-14", "kind": "closed", "reason": "Keppres"}
    )
    assert response.status_code == 403
    closure = add_closure()
    assert (
        client.post(reverse("deadlines_calendar_remove", args=[closure.pk])).status_code
        == 403
    )
    assert CalendarOverride.objects.count() == 1


# --- the missing cuti bersama warning --------------------------------------


def test_a_selected_year_without_cuti_bersama_data_is_flagged(superuser):
    response = signed_in(superuser).get(CALENDAR, {"year": LAST_YEAR + 1})
    assert response.status_code == 200
    assert response.context["selected_year_warning"] or (
        LAST_YEAR + 1 in response.context["warning_years"]
    )
    assert response.context["year_known"] is False
    assert f"no cuti bersama data for {LAST_YEAR + 1}" in response.content.decode()


def with_today(day: date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def test_the_screen_and_the_dashboard_warn_when_next_year_has_no_cuti_bersama(
    superuser,
):
    client = signed_in(superuser)
    with with_today(date(LAST_YEAR, 6, 1)):
        calendar = client.get(CALENDAR)
        dashboard = client.get("/admin/")
    message = f"The working calendar has no cuti bersama for {LAST_YEAR + 1}."
    assert calendar.context["warning_years"] == (LAST_YEAR + 1,)
    assert message in " ".join(calendar.content.decode().split())
    assert dashboard.status_code == 200
    assert message in " ".join(dashboard.content.decode().split())


def test_there_is_no_warning_when_both_years_have_cuti_bersama(superuser):
    with with_today(date(2025, 6, 1)):
        calendar = signed_in(superuser).get(CALENDAR)
        dashboard = signed_in(superuser).get("/admin/")
    assert calendar.context["warning_years"] == ()
    assert "no cuti bersama" not in dashboard.content.decode()


def test_instructors_do_not_get_the_dashboard_warning(instructor):
    with with_today(date(LAST_YEAR, 6, 1)):
        dashboard = signed_in(instructor).get("/admin/")
    assert dashboard.status_code == 200
    assert "no cuti bersama" not in dashboard.content.decode()
