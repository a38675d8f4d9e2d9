"""Personal data in the certificates app (lms/accounts/personal_data.py,
docs/privacy.md).

An issued or revoked certificate is a record of the issuing office: it is
exported but never erased. It keeps its own copy of the holder's name, NIP,
office and course, so it still verifies after the account is anonymised; its
`user` keeps pointing at the anonymised account (PROTECT). A certificate still
*pending* has no number yet and is nobody's record: it is deleted, so the course
completion it would rest on can go too.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from lms.accounts.personal_data import PersonalData, deleted_counts

from .models import Certificate, CertificateBundle


def export(user) -> dict:
    certificates = (
        Certificate.objects.filter(user=user)
        .select_related("office")
        .order_by("created_at", "pk")
    )
    bundles = (
        CertificateBundle.objects.filter(requested_by=user)
        .select_related("office")
        .order_by("created_at", "pk")
    )
    return {
        "certificates": [_certificate(c) for c in certificates],
        "bundles_requested": [
            {
                "office": b.office.code,
                "date_from": b.date_from,
                "date_to": b.date_to,
                "status": b.status,
                "created_at": b.created_at,
            }
            for b in bundles
        ],
    }


def _certificate(c: Certificate) -> dict:
    if c.status == Certificate.Status.PENDING:
        return {"status": c.status, "created_at": c.created_at}
    return {
        "status": c.status,
        "number": c.number,
        "verification_code": c.display_code,
        "verification_url": c.verification_url(),
        "credential_id": str(c.credential_id),
        "holder_name": c.holder_name,
        "nip": c.nip,
        "office": c.office_name,
        "course": c.course_title,
        "hours": c.hours,
        "score": c.score,
        "completed_on": c.completed_on,
        "issued_on": c.issued_on,
        "valid_until": c.valid_until,
        "revoked_at": c.revoked_at,
        "revoked_reason": c.revoked_reason,
    }


def erase(user) -> dict[str, int]:
    counts: Counter[str] = Counter()
    pending = Certificate.objects.filter(user=user, status=Certificate.Status.PENDING)
    counts.update(deleted_counts(pending.delete()))
    bundles = list(CertificateBundle.objects.filter(requested_by=user))
    files = [b.file.name for b in bundles if b.file]
    counts.update(
        deleted_counts(
            CertificateBundle.objects.filter(pk__in=[b.pk for b in bundles]).delete()
        )
    )
    if files:
        storage = CertificateBundle._meta.get_field("file").storage

        def delete_files():
            for name in files:
                storage.delete(name)

        # Files are not transactional: remove them only once the rows are gone.
        transaction.on_commit(delete_files, robust=True)
    kept = Certificate.objects.filter(user=user).count()
    if kept:
        counts["certificates.Certificate kept"] = kept
    return dict(counts)


PERSONAL_DATA = PersonalData(
    section="certificates",
    export=export,
    erase=erase,
    exported=(
        "certificates.Certificate.user",
        "certificates.CertificateBundle.requested_by",
    ),
    excluded={
        "certificates.Certificate.revoked_by": (
            "revoked_by names the administrator or coordinator who revoked "
            "someone else's certificate: part of that office record, kept "
            "pointing at the anonymised account"
        ),
    },
)
