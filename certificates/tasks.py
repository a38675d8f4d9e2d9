"""Celery tasks: ids in, rehydrate, one service; each safe to run twice.

`acks_late` + `reject_on_worker_lost`: a worker that dies mid-task leaves the
message unacknowledged, so the broker hands it to another worker. That is only
safe because issuing is idempotent (unique (completion, revision), the pending →
issued transition under a row lock).
"""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services
from .models import CertificateBundle

_ISSUE_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**_ISSUE_OPTIONS)
def certificate_issue_task(certificate_id: int) -> None:
    # The service re-reads the row under a lock; a deleted row is simply absent.
    services.certificates_issue(
        certificate_ids=[certificate_id], issued_at=timezone.now()
    )


@shared_task(**_ISSUE_OPTIONS)
def certificates_issue_batch_task(certificate_ids: list[int]) -> None:
    """Up to `services.ISSUE_BATCH_SIZE` certificates in one transaction (the
    sweep's way of draining a backlog)."""
    services.certificates_issue(
        certificate_ids=certificate_ids, issued_at=timezone.now()
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def certificates_sweep_task() -> int:
    return services.certificates_sweep(now=timezone.now())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def bundle_build_task(bundle_id: int) -> None:
    bundle = (
        CertificateBundle.objects.select_related("office").filter(pk=bundle_id).first()
    )
    if bundle is None or bundle.status == CertificateBundle.Status.DONE:
        return
    services.bundle_build(bundle=bundle, now=timezone.now())
