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
from .models import Certificate, CertificateBundle


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def certificate_issue_task(certificate_id: int) -> None:
    # Only the id is needed here: the service re-reads the row under a lock.
    certificate = Certificate.objects.only("pk").filter(pk=certificate_id).first()
    if certificate is None:
        return
    services.certificate_issue(certificate=certificate, issued_at=timezone.now())


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
