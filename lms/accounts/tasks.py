"""Background work for accounts: invitation e-mails, the erasure notice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .services import erasure_notice_send, invitation_send, staff_imports_purge

# Uploaded staff lists hold personal data; keep them only as long as a
# coordinator may want to look back at an import's result.
STAFF_IMPORT_RETENTION = timedelta(days=30)


@shared_task(acks_late=True)
def send_invitation(user_id: int, requested_at: str | None = None) -> bool:
    """E-mail user `user_id` their invitation; a repeat run sends nothing.

    `requested_at` (ISO 8601) marks a repeat invitation a coordinator asked for.
    """
    return invitation_send(
        user_id=user_id,
        requested_at=parse_datetime(requested_at) if requested_at else None,
    )


@shared_task
def purge_staff_imports() -> int:
    """Daily: delete staff uploads older than STAFF_IMPORT_RETENTION."""
    return staff_imports_purge(before=timezone.now() - STAFF_IMPORT_RETENTION)


@shared_task
def send_erasure_notice(email: str, name: str, language: str) -> None:
    """E-mail the notice of an erasure to the address the account had.

    Takes the address itself: by the time this runs the account holds only a
    placeholder. Not retried on failure: the erasure stands either way.
    """
    erasure_notice_send(email=email, name=name, language=language)
