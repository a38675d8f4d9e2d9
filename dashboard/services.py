"""State changes of the dashboard: rebuilding the aggregates, sending reminders and
digests, digest opt-outs.

Every function is keyword-only and takes the time it needs as an argument.
Reminder and digest senders insert their `ReminderSent` row first, inside the
transaction that sends: a second run (a duplicate task, a second sweep) hits the
unique constraint and sends nothing, and a failed send rolls the row back so that a
retry can send.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from courses.models import Enrolment

from . import aggregates, selectors, tokens
from .models import (
    ActivityStat,
    CompletionStat,
    DigestSubscription,
    ReminderSent,
    StatsState,
)

# --- Aggregates ----------------------------------------------------------------


def stats_refresh(*, now: datetime.datetime) -> StatsState:
    """Rebuild both aggregate tables from the learner records, in one transaction.

    Readers keep seeing the previous figures until the commit. Two refreshes never
    interleave: the state row is locked first (on SQLite the IMMEDIATE transaction
    mode serialises writers anyway).
    """
    started = time.monotonic()
    StatsState.objects.get_or_create(pk=1)
    with transaction.atomic():
        state = StatsState.objects.select_for_update().get(pk=1)
        CompletionStat.objects.all().delete()
        ActivityStat.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Group in memory, not in sort files (this transaction only).
                cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute(*aggregates.status_insert())
            status_rows = cursor.rowcount
            cursor.execute(*aggregates.activity_insert())
            activity_rows = cursor.rowcount
            for statement in aggregates.analyze_sql():
                cursor.execute(statement)
        state.refreshed_at = now
        state.duration_ms = int((time.monotonic() - started) * 1000)
        state.status_rows = max(status_rows, 0)
        state.activity_rows = max(activity_rows, 0)
        state.save()
    return state


def stats_refresh_if_stale(
    *, now: datetime.datetime, min_age: datetime.timedelta
) -> StatsState | None:
    """Rebuild unless the last rebuild is younger than `min_age` (for the button)."""
    state = selectors.stats_state()
    if state and state.refreshed_at and now - state.refreshed_at < min_age:
        return None
    return stats_refresh(now=now)


# --- E-mail ------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _language(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def _send(*, user, template: str, context: dict, headers: dict | None = None) -> None:
    """Render `dashboard/email/<template>_{subject,body}.txt` in the user's language
    (Indonesian unless they chose otherwise) and send it."""
    with translation.override(_language(user)):
        context = {"user": user, "site_name": settings.WAGTAIL_SITE_NAME, **context}
        subject = render_to_string(f"dashboard/email/{template}_subject.txt", context)
        body = render_to_string(f"dashboard/email/{template}_body.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[user.email],
        headers=headers or {},
    )
    message.send()


def _claim(**key) -> bool:
    """Insert the ReminderSent row; False when it exists (already sent)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(**key)
    except IntegrityError:
        return False
    return True


def due_reminder_send(
    *, enrolment: Enrolment, kind: str, due_on: datetime.date, today: datetime.date
) -> bool:
    """Remind a learner of an assigned course that is due soon or overdue, once.

    Nothing is sent when things changed since the sweep chose it (completed, due
    date moved, learner deactivated).
    """
    if kind not in ReminderSent.PER_ENROLMENT:
        raise ValueError(f"not an enrolment reminder: {kind}")
    if (
        enrolment.due_on != due_on
        or enrolment.source != Enrolment.Source.ASSIGNED
        or not enrolment.user.is_active
        or selectors.enrolment_completed(enrolment)
    ):
        return False
    with transaction.atomic():
        if not _claim(
            kind=kind, recipient=enrolment.user, enrolment=enrolment, due_on=due_on
        ):
            return False
        _send(
            user=enrolment.user,
            template="reminder",
            context={
                "kind": kind,
                "course": enrolment.course,
                "due_on": due_on,
                "days_left": (due_on - today).days,
                "course_url": absolute_url(enrolment.course.url or "/belajar/"),
                "learning_url": absolute_url(reverse("courses:my_learning")),
            },
        )
    return True


def intern_reminder_send(
    *, user, intern_end: datetime.date, today: datetime.date
) -> bool:
    """Tell an intern whose internship ends soon which assigned courses are open."""
    if not user.is_active or not user.is_intern or user.intern_end != intern_end:
        return False
    courses = selectors.open_assigned_enrolments(user)
    if not courses:
        return False
    with transaction.atomic():
        if not _claim(
            kind=ReminderSent.Kind.INTERN_END, recipient=user, due_on=intern_end
        ):
            return False
        _send(
            user=user,
            template="intern_end",
            context={
                "intern_end": intern_end,
                "days_left": (intern_end - today).days,
                "enrolments": courses,
                "learning_url": absolute_url(reverse("courses:my_learning")),
            },
        )
    return True


def digest_send(*, user, week_start: datetime.date, today: datetime.date) -> bool:
    """The weekly digest of a coordinator's offices; nothing when nothing happened."""
    if not user.is_active or not selectors.digest_wanted(user):
        return False
    digest = selectors.digest_for(user=user, week_start=week_start, today=today)
    if digest is None or digest.is_empty:
        return False
    token = tokens.unsubscribe_token(user.pk)
    unsubscribe = absolute_url(reverse("dashboard:unsubscribe", args=[token]))
    with transaction.atomic():
        if not _claim(kind=ReminderSent.Kind.DIGEST, recipient=user, due_on=week_start):
            return False
        _send(
            user=user,
            template="digest",
            context={
                "digest": digest,
                "dashboard_url": absolute_url(reverse("dashboard:home")),
                "unsubscribe_url": unsubscribe,
            },
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    return True


def digest_subscription_set(*, user, active: bool) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.update_or_create(
        user=user, defaults={"active": active}
    )
    return subscription
