"""Celery tasks: ids and ISO dates in, rehydrate, one service; each safe to run twice.

Periodic (settings.CELERY_BEAT_SCHEDULE):
`stats_refresh_task` every five minutes, `reminders_sweep` daily, `digests_sweep`
weekly. The sweeps select candidates with one query each and enqueue one task per
message; the per-message tasks insert their ReminderSent row before sending, so a
duplicate delivery (acks_late after a worker crash) sends nothing twice.
"""

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import Enrolment

from . import selectors, services
from .filters import week_start

REFRESH_MIN_AGE = datetime.timedelta(seconds=60)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def stats_refresh_task() -> int:
    state = services.stats_refresh(now=timezone.now())
    return state.duration_ms


@shared_task(acks_late=True, reject_on_worker_lost=True)
def stats_refresh_requested() -> bool:
    """The "refresh now" button: skipped when the figures are under a minute old."""
    state = services.stats_refresh_if_stale(now=timezone.now(), min_age=REFRESH_MIN_AGE)
    return state is not None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_reminder(enrolment_id: int, kind: str, due_on: str) -> bool:
    enrolment = (
        Enrolment.objects.select_related("user", "course")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return False
    return services.due_reminder_send(
        enrolment=enrolment,
        kind=kind,
        due_on=datetime.date.fromisoformat(due_on),
        today=timezone.localdate(),
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_intern_reminder(user_id: int, intern_end: str) -> bool:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return services.intern_reminder_send(
        user=user,
        intern_end=datetime.date.fromisoformat(intern_end),
        today=timezone.localdate(),
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_digest(user_id: int, week: str) -> bool:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return services.digest_send(
        user=user,
        week_start=datetime.date.fromisoformat(week),
        today=timezone.localdate(),
    )


@shared_task
def reminders_sweep() -> int:
    """Daily: due-date, overdue and end-of-internship reminders."""
    today = timezone.localdate()
    due = selectors.due_reminder_candidates(today=today)
    for enrolment_id, kind, due_on in due:
        send_due_reminder.delay(enrolment_id, kind, due_on.isoformat())
    interns = selectors.intern_reminder_candidates(today=today)
    for user_id, intern_end in interns:
        send_intern_reminder.delay(user_id, intern_end.isoformat())
    return len(due) + len(interns)


@shared_task
def digests_sweep() -> int:
    """Weekly (Monday morning): last week's digest to every coordinator."""
    week = week_start(timezone.localdate()) - datetime.timedelta(weeks=1)
    ids = selectors.digest_recipient_ids(week_start=week)
    for user_id in ids:
        send_digest.delay(user_id, week.isoformat())
    return len(ids)
