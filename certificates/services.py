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

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry

from lms.offices.models import Office

from . import codes, numbering, sources
from .layouts import layouts_for_offices, render_certificate, resolve_layout
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


def _send_issue_batch_task(certificate_ids: list[int]) -> None:
    """Like `_send_issue_task`, for a batch; the sweep tries again next time."""
    from kombu.exceptions import OperationalError

    from .tasks import certificates_issue_batch_task

    try:
        certificates_issue_batch_task.delay(certificate_ids)
    except (OperationalError, OSError) as exc:
        logger.warning("%s certificates not enqueued: %s", len(certificate_ids), exc)
    except Exception:
        if not certificates_issue_batch_task.app.conf.task_always_eager:
            raise
        logger.exception("certificates %s could not be issued", certificate_ids)


def certificate_enqueue_on_commit(*, certificate_id: int) -> None:
    transaction.on_commit(lambda: _send_issue_task(certificate_id))


def certificates_sweep(*, now: datetime.datetime, stale_after=STALE_AFTER) -> int:
    """Re-queue certificates still pending after `stale_after`, and issued ones
    still without their PDF; create the rows missing for completions that never
    got one; delete week-old bundle ZIPs.
    Returns how many certificates were enqueued."""
    cutoff = now - stale_after
    for completion in sources.completions_without_certificate(completed_before=cutoff):
        try:
            certificate_request(completion=completion, now=now)
        except IntegrityError:  # created meanwhile by the normal path
            continue
    from .selectors import (
        bundles_expired,
        certificates_pending_stale,
        certificates_without_pdf_stale,
    )

    ids = list(certificates_pending_stale(cutoff=cutoff).values_list("pk", flat=True))
    # Issuing a row that is no longer pending only stores its missing PDF.
    ids += certificates_without_pdf_stale(cutoff=cutoff).values_list("pk", flat=True)
    Certificate.objects.filter(pk__in=ids).update(last_enqueued_at=now)
    for start in range(0, len(ids), ISSUE_BATCH_SIZE):
        _send_issue_batch_task(ids[start : start + ISSUE_BATCH_SIZE])
    for bundle in bundles_expired(before=now - BUNDLE_KEPT_FOR):
        if bundle.file:
            bundle.file.delete(save=False)
        bundle.delete()
    return len(ids)


# --- Issuing ------------------------------------------------------------------

# Certificates issued per transaction by the sweep (and any bulk path): one lock,
# one read of the facts, one counter update per office and one audit insert for
# the whole batch instead of per certificate.
ISSUE_BATCH_SIZE = 50


def _issuing_offices(office_ids: set[int | None]) -> dict[int | None, Office]:
    """The learners' offices by id; learners without one are certified by KPU RI."""
    offices: dict[int | None, Office] = Office.objects.in_bulk(
        [pk for pk in office_ids if pk is not None]
    )
    if None in office_ids:
        root = Office.objects.filter(parent__isnull=True).order_by("code").first()
        if root is None:
            raise ValidationError(_("No office can issue this certificate."))
        offices[None] = root
    return offices


def _take_serials(office: Office, year: int, count: int) -> int:
    """Reserve `count` consecutive serials; returns the first.

    One upsert that increments the counter row and holds its lock until the
    transaction ends (PostgreSQL and SQLite both support ON CONFLICT … RETURNING),
    so a rolled-back transaction gives its numbers back: none repeat, none skip.
    Callers take counters in office order, so two batches cannot deadlock.
    """
    table = connection.ops.quote_name(CertificateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, year, last_serial) "  # noqa: S608
            "VALUES (%s, %s, %s) "
            "ON CONFLICT (office_id, year) DO UPDATE "
            f"SET last_serial = {table}.last_serial + excluded.last_serial "
            "RETURNING last_serial",
            [office.pk, year, count],
        )
        (last,) = cursor.fetchone()
    return last - count + 1


_FILLED_FIELDS = [
    "office",
    "office_name",
    "course_id",
    "course_title",
    "holder_name",
    "nip",
    "hours",
    "completed_on",
    "score",
    "valid_until",
    "year",
    "serial",
    "number",
    "code",
    "issued_at",
    "issued_on",
    "place",
    "signatory_name",
    "signatory_title",
    "wording",
    "layout_id",
    "logo_id",
    "signature_id",
    "background_id",
    "status",
]


def _fill(
    certificate: Certificate,
    facts: sources.CertificateFacts,
    office: Office,
    resolved,
    serial: int,
    issued_at: datetime.datetime,
) -> None:
    issued_on = timezone.localdate(issued_at)
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


def _fill_and_number(
    certificates: list[Certificate], issued_at: datetime.datetime
) -> None:
    """Copy the facts and the layout onto locked pending rows and number them.

    Must run inside the transaction that locked the rows. Serials are taken per
    office in one step each, in office order, and handed out in row order.
    """
    facts = sources.completions_facts([c.completion_id for c in certificates])
    by_certificate = {c.pk: facts[c.completion_id] for c in certificates}
    offices = _issuing_offices({f.office_id for f in by_certificate.values()})
    default_layout, own_layouts = layouts_for_offices(offices.values())
    year = timezone.localdate(issued_at).year
    groups: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        office = offices[by_certificate[certificate.pk].office_id]
        groups.setdefault(office.pk, []).append(certificate)
    for office_pk in sorted(groups):
        members = groups[office_pk]
        office = members[0].office = offices[by_certificate[members[0].pk].office_id]
        resolved = resolve_layout(office, own_layouts.get(office.pk), default_layout)
        first = _take_serials(office, year, len(members))
        for serial, certificate in enumerate(members, start=first):
            _fill(
                certificate,
                by_certificate[certificate.pk],
                office,
                resolved,
                serial,
                issued_at,
            )
    Certificate.objects.bulk_update(certificates, _FILLED_FIELDS)


def _log_issued(certificates: list[Certificate], action: str, **extra) -> None:
    """The audit entries for a batch in one insert (what `log()` writes per row)."""
    entry_model = log_registry.get_log_model_for_model(Certificate)
    content_type = ContentType.objects.get_for_model(Certificate)
    now = timezone.now()
    context = get_active_log_context()
    entry_model.objects.bulk_create(
        [
            entry_model(
                content_type=content_type,
                label=str(certificate),
                action=action,
                timestamp=now,
                data={"number": certificate.number, **extra},
                object_id=str(certificate.pk),
                user=context.user,
                uuid=context.uuid,
            )
            for certificate in certificates
        ]
    )


def certificates_issue(
    *, certificate_ids: Iterable[int], issued_at: datetime.datetime
) -> list[Certificate]:
    """Number and fill the pending certificates among `certificate_ids` in one
    transaction, then store every PDF still missing. Safe to repeat: rows that are
    no longer pending are only given their PDF if they lack one."""
    with transaction.atomic():
        # Rows are locked in primary-key order, then counters in office order:
        # two overlapping batches wait for each other instead of deadlocking.
        certificates = list(
            Certificate.objects.select_for_update(of=("self",))
            .filter(pk__in=list(certificate_ids))
            .order_by("pk")
        )
        pending = [c for c in certificates if c.status == Certificate.Status.PENDING]
        if pending:
            _fill_and_number(pending, issued_at)
            _log_issued(pending, "certificates.issue")
            _test_delay("issue")
    certificates_store_pdfs(certificates=certificates)
    return certificates


def certificate_issue(
    *, certificate: Certificate, issued_at: datetime.datetime
) -> Certificate:
    """Number and fill one pending certificate, then store its PDF. Safe to repeat."""
    (issued,) = certificates_issue(
        certificate_ids=[certificate.pk], issued_at=issued_at
    )
    return issued


def _test_delay(stage: str) -> None:
    """A pause a test can switch on, to kill a worker at a known moment."""
    from django.conf import settings

    delay = getattr(settings, "CERTIFICATES_TEST_DELAY", {}).get(stage)
    if delay:
        import time

        time.sleep(delay)


def _pdf_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.year}/{certificate.credential_id}.pdf"


def certificates_store_pdfs(*, certificates: list[Certificate]) -> None:
    """Render and store the PDFs of issued certificates that have none yet; the
    stored names are written in one UPDATE."""
    stored: dict[int, str] = {}
    for certificate in certificates:
        if certificate.status == Certificate.Status.PENDING or certificate.pdf:
            continue
        data = render_certificate(certificate)
        _test_delay("render")
        name = _pdf_name(certificate)
        if default_storage.exists(name):  # left by a worker killed after storing
            default_storage.delete(name)
        stored[certificate.pk] = default_storage.save(name, ContentFile(data))
        certificate.pdf.name = stored[certificate.pk]
    if stored:
        Certificate.objects.filter(pk__in=stored, pdf="").update(
            pdf=Case(
                *(When(pk=pk, then=Value(name)) for pk, name in stored.items()),
                output_field=CharField(),
            )
        )


def certificate_store_pdf(*, certificate: Certificate) -> None:
    """Render and store the PDF unless it is already stored."""
    certificates_store_pdfs(certificates=[certificate])


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
    if certificate.user.is_erased:
        # Today's facts would be the placeholder of an erased account
        # (docs/privacy.md); the record as issued stays, revocable.
        raise ValidationError(
            _(
                "The holder's account has been deleted: this certificate can be "
                "revoked but not re-issued."
            )
        )
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
        _fill_and_number([new], now)
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
