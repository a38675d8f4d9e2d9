"""Personal data in the dashboard app: reminders and digests sent to a person and
their digest choice (lms/accounts/personal_data.py, docs/privacy.md).

The aggregate tables hold counts by office, course and employment type, never a
person; they only count active accounts, so an erased account leaves them at the
next rebuild, which erasure asks for once it commits.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import F

from lms.accounts.personal_data import PersonalData, deleted_counts

from .models import DigestSubscription, ReminderSent


def export(user) -> dict:
    subscription = DigestSubscription.objects.filter(user=user).first()
    return {
        "digest_subscription": (
            {"active": subscription.active, "changed_at": subscription.changed_at}
            if subscription
            else None
        ),
        "reminders_sent": list(
            ReminderSent.objects.filter(recipient=user)
            .order_by("sent_at", "pk")
            .values(
                "kind", "due_on", "sent_at", course_title=F("enrolment__course__title")
            )
        ),
    }


def _refresh_aggregates() -> None:
    from .tasks import stats_refresh_task

    stats_refresh_task.delay()


def erase(user) -> dict[str, int]:
    counts: Counter[str] = Counter()
    counts.update(deleted_counts(ReminderSent.objects.filter(recipient=user).delete()))
    counts.update(deleted_counts(DigestSubscription.objects.filter(user=user).delete()))
    # A broker that is down must not undo a committed erasure: the periodic
    # rebuild catches up.
    transaction.on_commit(_refresh_aggregates, robust=True)
    return dict(counts)


PERSONAL_DATA = PersonalData(
    section="dashboard",
    export=export,
    erase=erase,
    exported=(
        "dashboard.ReminderSent.recipient",
        "dashboard.DigestSubscription.user",
    ),
)
