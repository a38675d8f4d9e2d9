"""State changes of certificates: request, issue, render, revoke, re-issue, bundle.

Issuing is an outbox. `certificate_request` writes a *pending* row in the
transaction that records the course completion; `certificate_enqueue` hands its
id to Celery after that transaction commits; the task calls `certificate_issue`,
which numbers and fills the row in one short transaction and then renders the PDF.
A broker that is down, a worker killed mid-task or a task delivered twice cannot
lose or duplicate a certificate: the row already exists (unique per completion
and revision), issuing locks it and does nothing when it is no longer pending,
and `certificates_sweep` re-queues whatever is still pending after a while.

Numbers: one counter row per (office, year), locked with SELECT … FOR UPDATE
inside the issuing transaction, so a number is taken only by a transaction that
commits: numbers neither repeat nor skip. (SQLite serialises writers through the
IMMEDIATE transaction mode instead.)
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms.offices.models import Office

from . import codes, numbering, sources
from .layouts import layouts_for, render_certificate, resolve_layout
from .models import Certificate, CertificateBundle, CertificateCounter

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)
# ZIP bundles are a convenience copy: their files are deleted after a week.
BUNDLE_KEPT_FOR = datetime.timedelta(days=7)


# --- Requesting and enqueueing -----------------------------------------------


def certificate_request(*, completion, now: datetime.datetime) -> Certificate:
    """The pending certificate for a completion (the outbox row); idempotent.

    Called inside the transaction that created the completion, so the row commits
    or rolls back with it. The task is enqueued after the commit.
    """
    with transaction.atomic():
        certificate, created = Certificate.objects.get_or_create(
            completion=completion,
            revision=0,
            defaults={
                "user_id": sources.completion_user_id(completion),
                "last_enqueued_at": now,
            },
        )
    if created:
        certificate_enqueue_on_commit(certificate_id=certificate.pk)
    return certificate


def _send_issue_task(certificate_id: int) -> None:
    """Hand the id to Celery. Runs after the commit, so it must not raise: the
    learner's completion is already saved and the row stays pending for the sweep."""
    from kombu.exceptions import OperationalError

    from .tasks import certificate_issue_task

    try:
        certificate_issue_task.delay(certificate_id)
    except (OperationalError, OSError) as exc:  # the broker is down
        logger.warning("certificate %s not enqueued: %s", certificate_id, exc)
    except Exception:
        # Only reachable with eager tasks (the embedded default): the task itself
        # failed inside this request. Log it; the sweep retries later.
        if not certificate_issue_task.app.conf.task_always_eager:
            raise
        logger.exception("certificate %s could not be issued", certificate_id)


def certificate_enqueue_on_commit(*, certificate_id: int) -> None:
    transaction.on_commit(lambda: _send_issue_task(certificate_id))


def certificates_sweep(*, now: datetime.datetime, stale_after=STALE_AFTER) -> int:
    """Re-queue certificates still pending after `stale_after`; create the rows
    missing for completions that never got one; delete week-old bundle ZIPs.
    Returns how many certificates were enqueued."""
    cutoff = now - stale_after
    for completion in sources.completions_without_certificate(completed_before=cutoff):
        try:
            certificate_request(completion=completion, now=now)
        except IntegrityError:  # created meanwhile by the normal path
            continue
    from .selectors import bundles_expired, certificates_pending_stale

    ids = list(certificates_pending_stale(cutoff=cutoff).values_list("pk", flat=True))
    Certificate.objects.filter(pk__in=ids).update(last_enqueued_at=now)
    for certificate_id in ids:
        _send_issue_task(certificate_id)
    for bundle in bundles_expired(before=now - BUNDLE_KEPT_FOR):
        if bundle.file:
            bundle.file.delete(save=False)
        bundle.delete()
    return len(ids)


# --- Issuing ------------------------------------------------------------------


def _issuing_office(office_id: int | None) -> Office:
    """The learner's office; learners without one are certified by KPU RI."""
    if office_id is not None:
        return Office.objects.get(pk=office_id)
    office = Office.objects.filter(parent__isnull=True).order_by("code").first()
    if office is None:
        raise ValidationError(_("No office can issue this certificate."))
    return office


def _next_serial(office: Office, year: int) -> int:
    """Take the next serial under a row lock held until the transaction ends."""
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(office=office, year=year, last_serial=0)],
        ignore_conflicts=True,
    )
    counter = CertificateCounter.objects.select_for_update().get(
        office=office, year=year
    )
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def _fill_and_number(
    certificate: Certificate,
    facts: sources.CertificateFacts,
    issued_at: datetime.datetime,
) -> None:
    """Copy the facts and the layout onto a locked pending row and number it."""
    issued_on = timezone.localdate(issued_at)
    office = _issuing_office(facts.office_id)
    resolved = resolve_layout(office, *layouts_for(office))
    serial = _next_serial(office, issued_on.year)
    certificate.office = office
    certificate.office_name = office.name
    certificate.course_id = facts.course_id
    certificate.course_title = facts.course_title
    certificate.holder_name = facts.holder_name
    certificate.nip = facts.nip
    certificate.hours = facts.hours
    certificate.completed_on = facts.completed_on
    certificate.score = facts.score
    certificate.valid_until = (
        numbering.add_months(facts.completed_on, facts.validity_months)
        if facts.validity_months
        else None
    )
    certificate.year = issued_on.year
    certificate.serial = serial
    certificate.number = numbering.format_number(
        resolved.number_pattern,
        numbering.NumberParts(
            seq=serial,
            abbr=resolved.office_abbreviation,
            issued_on=issued_on,
            office_code=office.code,
        ),
    )
    certificate.code = codes.generate()
    certificate.issued_at = issued_at
    certificate.issued_on = issued_on
    certificate.place = resolved.place
    certificate.signatory_name = resolved.signatory_name
    certificate.signatory_title = resolved.signatory_title
    certificate.wording = resolved.wording
    certificate.layout_id = resolved.layout_id
    certificate.logo_id = resolved.logo_id
    certificate.signature_id = resolved.signature_id
    certificate.background_id = resolved.background_id
    certificate.status = Certificate.Status.ISSUED
    certificate.save()


def certificate_issue(
    *, certificate: Certificate, issued_at: datetime.datetime
) -> Certificate:
    """Number and fill a pending certificate, then store its PDF. Safe to repeat."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(
            pk=certificate.pk
        )
        if certificate.status == Certificate.Status.PENDING:
            facts = sources.completion_facts(certificate.completion_id)
            _fill_and_number(certificate, facts, issued_at)
            log(certificate, "certificates.issue", data={"number": certificate.number})
            _test_delay("issue")
    certificate_store_pdf(certificate=certificate)
    return certificate


def _test_delay(stage: str) -> None:
    """A pause a test can switch on, to kill a worker at a known moment."""
    from django.conf import settings

    delay = getattr(settings, "CERTIFICATES_TEST_DELAY", {}).get(stage)
    if delay:
        import time

        time.sleep(delay)


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.year}/{certificate.credential_id}.pdf"


def certificate_store_pdf(*, certificate: Certificate) -> None:
    """Render and store the PDF unless it is already stored."""
    if certificate.status == Certificate.Status.PENDING or certificate.pdf:
        return
    data = render_certificate(certificate)
    _test_delay("render")
    name = _pdf_name(certificate)
    if default_storage.exists(name):
        default_storage.delete(name)
    name = default_storage.save(name, ContentFile(data))
    Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=name)
    certificate.pdf.name = name


def certificate_pdf_bytes(*, certificate: Certificate) -> bytes:
    """The stored PDF; a lost or never-stored file is rendered again (identically)."""
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as fh:
                return fh.read()
        except FileNotFoundError:
            logger.warning(
                "certificate %s: stored PDF missing, re-rendering", certificate.pk
            )
    return render_certificate(certificate)


# --- Revoking and re-issuing --------------------------------------------------


def certificate_revoke(
    *, certificate: Certificate, by, reason: str, now: datetime.datetime
) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for revoking.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(
            pk=certificate.pk
        )
        if certificate.status != Certificate.Status.ISSUED:
            raise ValidationError(_("Only an issued certificate can be revoked."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = now
        certificate.revoked_reason = reason
        certificate.revoked_by = by
        certificate.save(
            update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"]
        )
        log(certificate, "certificates.revoke", user=by, data={"reason": reason})
    return certificate


def certificate_reissue(
    *, certificate: Certificate, by, reason: str, now: datetime.datetime
) -> Certificate:
    """Revoke `certificate` and issue its replacement from today's facts
    (a corrected name, a new office head), with a new number and code."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for re-issuing.")})
    with transaction.atomic():
        old = certificate_revoke(
            certificate=certificate,
            by=by,
            reason=_("Re-issued: %(reason)s") % {"reason": reason},
            now=now,
        )
        revision = (
            Certificate.objects.filter(completion_id=old.completion_id).aggregate(
                m=Max("revision")
            )["m"]
            + 1
        )
        new = Certificate.objects.create(
            completion_id=old.completion_id,
            revision=revision,
            user_id=old.user_id,
            replaces=old,
            last_enqueued_at=now,
        )
        facts = sources.completion_facts(old.completion_id)
        _fill_and_number(new, facts, now)
        log(
            new,
            "certificates.reissue",
            user=by,
            data={"replaces": old.number, "reason": reason, "number": new.number},
        )
    certificate_store_pdf(certificate=new)
    return new


# --- Bundles -------------------------------------------------------------------


def bundle_request(
    *, user, office: Office, date_from: datetime.date, date_to: datetime.date
) -> CertificateBundle:
    if date_to < date_from:
        raise ValidationError(_("The period ends before it starts."))
    with transaction.atomic():
        bundle = CertificateBundle.objects.create(
            requested_by=user, office=office, date_from=date_from, date_to=date_to
        )

        def enqueue():
            from .tasks import bundle_build_task

            bundle_build_task.delay(bundle.pk)

        transaction.on_commit(enqueue)
    return bundle


def _bundle_members(bundle: CertificateBundle) -> Iterable[Certificate]:
    from .selectors import certificates_for_bundle

    return certificates_for_bundle(
        office=bundle.office, date_from=bundle.date_from, date_to=bundle.date_to
    )


def bundle_build(
    *, bundle: CertificateBundle, now: datetime.datetime
) -> CertificateBundle:
    """Write the ZIP, updating `done` as it goes. Running it again rebuilds it."""
    members = list(_bundle_members(bundle))
    CertificateBundle.objects.filter(pk=bundle.pk).update(
        status=CertificateBundle.Status.RUNNING, total=len(members), done=0
    )
    # Spooled: small bundles stay in memory, large ones go to a temporary file.
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as buffer:
        name = _write_bundle(bundle, members, buffer)
    CertificateBundle.objects.filter(pk=bundle.pk).update(
        status=CertificateBundle.Status.DONE,
        done=len(members),
        file=name,
        finished_at=now,
    )
    bundle.refresh_from_db()
    return bundle


def _write_bundle(bundle: CertificateBundle, members: list, buffer) -> str:
    step = max(1, len(members) // 50)
    try:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for index, certificate in enumerate(members, start=1):
                safe = certificate.number.replace("/", "_") or str(certificate.pk)
                archive.writestr(
                    f"{safe}.pdf", certificate_pdf_bytes(certificate=certificate)
                )
                if index % step == 0:
                    CertificateBundle.objects.filter(pk=bundle.pk).update(done=index)
        buffer.seek(0)
        name = default_storage.save(
            f"certificate-bundles/{bundle.pk}-{bundle.office.code}.zip",
            File(buffer),
        )
    except Exception as exc:
        CertificateBundle.objects.filter(pk=bundle.pk).update(
            status=CertificateBundle.Status.FAILED, error=str(exc)[:1000]
        )
        raise
    return name
