"""Reminders and digests: chosen in one query, sent once, in Indonesian, scoped, and
with an unsubscribe link that needs no login."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrolment
from dashboard import selectors, services, tasks
from dashboard.models import DigestSubscription, ReminderSent
from dashboard.tokens import unsubscribe_token, user_id_from_token
from tests.factories import UserFactory

from .conftest import TODAY, enrol, populate, refresh


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def due(office_tree, course, catalogue, people):
    """Assigned enrolments due in 9, 7, 5, 3, 2, 1, 0 days and 1 and 40 days ago."""
    from tests.courses.factories import CoursePageFactory

    made = {}
    for offset in (9, 7, 5, 3, 2, 1, 0, -1, -40):
        learner = UserFactory(office=office_tree.badung)
        made[offset] = enrol(
            learner,
            CoursePageFactory(parent=catalogue),
            source=Enrolment.Source.ASSIGNED,
            due_on=days(offset),
        )
    return made


def test_the_sweep_picks_the_reminder_each_due_date_calls_for(due):
    with CaptureQueriesContext(connection) as captured:
        candidates = selectors.due_reminder_candidates(today=TODAY)
    assert len(captured) == 1
    kinds = {enrolment_id: kind for enrolment_id, kind, _due in candidates}
    expected = {
        7: "due_7",
        5: "due_7",
        3: "due_3",
        2: "due_3",
        1: "due_1",
        0: "due_1",
        -1: "overdue",
    }
    assert kinds == {due[offset].pk: kind for offset, kind in expected.items()}


def test_completed_self_enrolled_and_inactive_are_not_reminded(
    office_tree, course, people
):
    enrol(people.learner, course, source="assigned", due_on=days(1), completed_on=TODAY)
    enrol(people.intern, course, source="self", due_on=days(1))
    gone = UserFactory(office=office_tree.badung, is_active=False)
    enrol(gone, course, source="assigned", due_on=days(1))
    assert selectors.due_reminder_candidates(today=TODAY) == []


def test_running_the_sweep_twice_sends_each_reminder_once(due):
    assert tasks.reminders_sweep() == 7
    assert len(mail.outbox) == 7
    assert tasks.reminders_sweep() == 0
    assert len(mail.outbox) == 7
    assert ReminderSent.objects.count() == 7


def test_a_task_delivered_twice_sends_once(office_tree, course, people):
    enrolment = enrol(people.learner, course, source="assigned", due_on=days(3))
    assert tasks.send_due_reminder(enrolment.pk, "due_3", days(3).isoformat()) is True
    assert tasks.send_due_reminder(enrolment.pk, "due_3", days(3).isoformat()) is False
    assert len(mail.outbox) == 1
    assert tasks.send_due_reminder(999999, "due_3", days(3).isoformat()) is False


def test_a_failed_send_can_be_retried(office_tree, course, people, monkeypatch):
    enrolment = enrol(people.learner, course, source="assigned", due_on=days(3))

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(services, "_send", broken)
    with pytest.raises(ConnectionError):
        tasks.send_due_reminder(enrolment.pk, "due_3", days(3).isoformat())
    assert ReminderSent.objects.count() == 0
    monkeypatch.undo()
    assert tasks.send_due_reminder(enrolment.pk, "due_3", days(3).isoformat()) is True


def test_a_reminder_whose_situation_changed_is_not_sent(office_tree, course, people):
    enrolment = enrol(people.learner, course, source="assigned", due_on=days(3))
    assert tasks.send_due_reminder(enrolment.pk, "due_3", days(5).isoformat()) is False
    assert mail.outbox == []


def test_the_reminder_is_in_indonesian_by_default(office_tree, course, people):
    due_on = datetime.date(TODAY.year + 1, 12, 7)  # a Tuesday in December
    enrolment = enrol(people.learner, course, source="assigned", due_on=due_on)
    services.due_reminder_send(
        enrolment=enrolment,
        kind="due_7",
        due_on=due_on,
        today=due_on - datetime.timedelta(days=7),
    )
    message = mail.outbox[0]
    assert message.to == ["peserta@example.org"]
    assert "Desember" in message.body  # Django's Indonesian date format
    assert course.title in message.subject


def test_the_reminder_follows_the_learners_language(office_tree, course, people):
    people.learner.language = "en"
    people.learner.save()
    due_on = datetime.date(TODAY.year + 1, 12, 7)
    enrolment = enrol(people.learner, course, source="assigned", due_on=due_on)
    services.due_reminder_send(
        enrolment=enrolment, kind="overdue", due_on=due_on, today=TODAY
    )
    assert "December" in mail.outbox[0].body


def test_interns_leaving_with_open_courses_are_reminded_once(
    office_tree, course, people
):
    enrol(people.intern, course, source="assigned", due_on=days(30))
    with CaptureQueriesContext(connection) as captured:
        candidates = selectors.intern_reminder_candidates(today=TODAY)
    assert len(captured) == 1
    assert candidates == [(people.intern.pk, people.intern.intern_end)]
    assert tasks.reminders_sweep() == 1
    assert tasks.reminders_sweep() == 0
    assert len(mail.outbox) == 1
    assert course.title in mail.outbox[0].body


def test_interns_far_from_the_end_or_done_are_not_reminded(office_tree, course, people):
    enrol(people.intern, course, source="assigned", due_on=days(30), completed_on=TODAY)
    assert selectors.intern_reminder_candidates(today=TODAY) == []
    people.intern.intern_end = days(40)
    people.intern.save()
    assert selectors.intern_reminder_candidates(today=TODAY) == []


# --- Digests -----------------------------------------------------------------------


WEEK = TODAY - datetime.timedelta(days=TODAY.weekday() + 28)  # a Monday, 4 weeks ago


@pytest.fixture
def activity(office_tree, course, people):
    populate(office_tree, course, 2)
    enrol(
        people.learner,
        course,
        enrolled_on=WEEK + datetime.timedelta(days=1),
        completed_on=WEEK + datetime.timedelta(days=2),
    )
    enrol(people.far, course, enrolled_on=WEEK, completed_on=WEEK)
    refresh()


def test_each_coordinator_gets_a_digest_of_their_own_offices(activity, people):
    ids = selectors.digest_recipient_ids(week_start=WEEK)
    assert set(ids) == {people.coordinator.pk, people.outsider.pk}
    for user in (people.coordinator, people.outsider):
        assert services.digest_send(user=user, week_start=WEEK, today=TODAY)
    bali, jateng = mail.outbox
    assert bali.to == ["koordinator@example.org"]
    assert "KPU Provinsi Bali" in bali.subject and "Klaten" not in bali.body
    assert "Badung" not in jateng.body and "Jawa Tengah" in jateng.subject


def test_the_digest_counts_the_week(activity, people):
    digest = selectors.digest_for(user=people.coordinator, week_start=WEEK, today=TODAY)
    assert digest.activity.completed == 1 and digest.activity.enrolled == 1
    assert digest.counts.overdue == 2  # one per office from populate()


def test_the_weekly_sweep_sends_once(activity, people):
    assert tasks.digests_sweep() == 2
    assert tasks.digests_sweep() == 0
    assert len(mail.outbox) == 2


def test_the_digest_carries_a_working_unsubscribe_link(client, activity, people):
    services.digest_send(user=people.coordinator, week_start=WEEK, today=TODAY)
    message = mail.outbox[0]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    path = link.removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))
    page = client.get(path)  # no login
    assert (
        page.status_code == 200 and b'name="action" value="unsubscribe"' in page.content
    )
    assert client.post(path, {"action": "unsubscribe"}).status_code == 200
    assert DigestSubscription.objects.get(user=people.coordinator).active is False
    assert people.coordinator.pk not in selectors.digest_recipient_ids(week_start=WEEK)
    assert (
        services.digest_send(user=people.coordinator, week_start=WEEK, today=TODAY)
        is False
    )
    client.post(path, {"action": "subscribe"})
    assert DigestSubscription.objects.get(user=people.coordinator).active is True


def test_one_click_unsubscribe_from_a_mail_client(client, people):
    path = (
        f"/koordinator/berhenti-langganan/{unsubscribe_token(people.coordinator.pk)}/"
    )
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert DigestSubscription.objects.get(user=people.coordinator).active is False


def test_a_forged_or_altered_token_is_not_found(client, people):
    token = unsubscribe_token(people.coordinator.pk)
    assert user_id_from_token(token) == people.coordinator.pk
    assert client.get(f"/koordinator/berhenti-langganan/{token}x/").status_code == 404
    assert client.get("/koordinator/berhenti-langganan/123/").status_code == 404
    assert user_id_from_token("") is None


def test_a_quiet_week_sends_nothing(office_tree, people):
    refresh()
    assert (
        services.digest_send(user=people.coordinator, week_start=WEEK, today=TODAY)
        is False
    )
    assert mail.outbox == []


def test_the_beat_schedule_names_registered_tasks():
    from lms.celery import app

    names = {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("dashboard.")
    }
    assert names == {
        "dashboard.tasks.stats_refresh_task",
        "dashboard.tasks.reminders_sweep",
        "dashboard.tasks.digests_sweep",
    }
    app.loader.import_default_modules()
    assert names <= set(app.tasks)


def test_the_refresh_task_rebuilds(office_tree, course, people):
    enrol(people.learner, course)
    assert tasks.stats_refresh_task() >= 0
    assert selectors.stats_state().refreshed_at <= timezone.now()
