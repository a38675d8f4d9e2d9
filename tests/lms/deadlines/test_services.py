"""Adding and removing closures and openings: validation, audit, cache."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import ModelLogEntry

from lms.deadlines.models import CalendarOverride
from lms.deadlines.selectors import calendar_override_reasons, calendar_overrides
from lms.deadlines.services import calendar_override_add, calendar_override_remove

pytestmark = pytest.mark.django_db

CLOSED, OPEN = CalendarOverride.Kind.CLOSED, CalendarOverride.Kind.OPEN
THURSDAY = date(2024, 3, 14)


def add(
    day=THURSDAY, kind=CLOSED, reason="Banjir: kantor ditutup (SE Bupati)", user=None
):
    return calendar_override_add(date=day, kind=kind, reason=reason, user=user)


def test_a_closure_is_stored_with_its_reason_and_who_added_it(superuser):
    override = add(user=superuser, reason="  Keppres 10/2024: hari pemungutan suara  ")
    override.refresh_from_db()
    assert (override.date, override.kind) == (THURSDAY, CLOSED)
    assert override.reason == "Keppres 10/2024: hari pemungutan suara"
    assert override.created_by == superuser
    assert override.created_at is not None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_change_without_a_reason_is_refused_with_a_message(reason):
    with pytest.raises(ValidationError) as error:
        add(reason=reason)
    assert "reason" in error.value.message_dict
    assert "Keppres" in error.value.message_dict["reason"][0]
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("kind", [CLOSED, OPEN])
def test_a_second_change_on_the_same_day_is_refused_naming_the_first(kind):
    add(reason="Regional closure")
    with pytest.raises(ValidationError) as error:
        add(kind=kind, reason="Another")
    (message,) = error.value.message_dict["date"]
    assert "2024-03-14" in message and "Regional closure" in message
    assert CalendarOverride.objects.count() == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        add(kind="maybe")
    assert "kind" in error.value.message_dict


@pytest.mark.parametrize("day", [date(2009, 12, 31), date(2099, 1, 1)])
def test_a_date_far_outside_the_calendar_is_refused(day):
    with pytest.raises(ValidationError) as error:
        add(day=day)
    assert "2010" in error.value.message_dict["date"][0]


def test_next_years_closure_may_be_stored_before_the_engine_knows_the_year():
    from lms.kip import LAST_YEAR

    override = add(day=date(LAST_YEAR + 1, 1, 2))
    assert override.pk


def test_the_messages_follow_the_active_language():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            add(reason="")
        assert error.value.message_dict["reason"] == [
            "Give the reason and its source, e.g. the Keppres or SKB number."
        ]


def test_adding_and_removing_are_written_to_the_wagtail_history(superuser):
    override = add(user=superuser)
    pk = override.pk
    calendar_override_remove(override=override, user=superuser)
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(pk))
        .order_by("timestamp")
        .values_list("action", "user")
    )
    assert actions == [
        ("wagtail.create", superuser.pk),
        ("wagtail.delete", superuser.pk),
    ]
    assert not CalendarOverride.objects.exists()


def test_the_cached_overrides_follow_every_change(superuser, django_assert_num_queries):
    assert calendar_overrides() == (frozenset(), frozenset())
    closure = add(user=superuser)
    opening = add(day=date(2024, 3, 12), kind=OPEN, reason="Cuti bersama dibatalkan")
    with django_assert_num_queries(1):
        assert calendar_overrides() == (
            frozenset({THURSDAY}),
            frozenset({date(2024, 3, 12)}),
        )
    with django_assert_num_queries(0):  # warm: no query until the next change
        calendar_overrides()
        assert (
            calendar_override_reasons()[date(2024, 3, 12)] == "Cuti bersama dibatalkan"
        )
    calendar_override_remove(override=closure, user=superuser)
    assert calendar_overrides() == (frozenset(), frozenset({date(2024, 3, 12)}))
    calendar_override_remove(override=opening, user=superuser)
    assert calendar_overrides() == (frozenset(), frozenset())


def test_the_cache_is_cleared_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add()
    assert callbacks, "the cache must also be cleared on commit"
