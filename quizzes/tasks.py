"""Background work: grade attempts whose time ran out while nobody was looking.

The sweep selects candidates and enqueues one task per attempt; each task locks
its attempt and grades it only if it is still open and overdue, so running either
twice is harmless. Schedule `quizzes.tasks.finish_overdue_attempts` every minute
(CELERY_BEAT_SCHEDULE); without a beat, attempts are graded lazily on next access.
"""

from celery import shared_task
from django.utils import timezone

from .selectors import overdue_attempt_ids
from .services import attempt_finish_overdue


@shared_task(acks_late=True)
def finish_overdue_attempt(attempt_id: int) -> bool:
    return attempt_finish_overdue(attempt_id=attempt_id, now=timezone.now())


@shared_task
def finish_overdue_attempts() -> int:
    ids = overdue_attempt_ids(now=timezone.now())
    for attempt_id in ids:
        finish_overdue_attempt.delay(attempt_id)
    return len(ids)
