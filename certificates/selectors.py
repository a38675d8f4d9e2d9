"""Reads for the certificate pages, exports, bundles and the sweep."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from lms.offices.models import Office
from lms.offices.permissions import offices_visible_to

from . import codes
from .models import Certificate, CertificateBundle


def certificates_pending_stale(*, cutoff: datetime.datetime) -> QuerySet[Certificate]:
    """Pending rows created before `cutoff` and not enqueued since."""
    return (
        Certificate.objects.filter(
            status=Certificate.Status.PENDING, created_at__lt=cutoff
        )
        .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lt=cutoff))
        .order_by("pk")
    )


def certificates_without_pdf_stale(
    *, cutoff: datetime.datetime
) -> QuerySet[Certificate]:
    """Issued before `cutoff` and still without a stored PDF (a worker died between
    the commit and the file, and the broker lost the redelivery), not enqueued since."""
    return (
        Certificate.objects.filter(
            status=Certificate.Status.ISSUED, pdf="", issued_at__lt=cutoff
        )
        .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lt=cutoff))
        .order_by("pk")
    )


def certificate_by_code(code: str) -> Certificate | None:
    """An issued or revoked certificate by its normalised code, with its replacement."""
    return (
        Certificate.objects.issued()
        .select_related("office", "replaced_by")
        .filter(code=code)
        .first()
    )


def certificates_for_learner(user) -> QuerySet[Certificate]:
    return Certificate.objects.for_learner(user).select_related("replaced_by")


def certificate_links_for_completions(*, user, completion_ids) -> dict[int, str]:
    """{completion id: the row of its certificate in "My certificates"}. One query.

    A certificate still being issued is linked too (the row says so); a revoked one
    is not, unless a later revision replaced it, which is then linked instead.
    """
    rows = (
        Certificate.objects.filter(user=user, completion_id__in=list(completion_ids))
        .exclude(status=Certificate.Status.REVOKED)
        .order_by("completion_id", "revision")
        .values_list("completion_id", "pk")
    )
    base = reverse("certificates:mine")
    # Later revisions come last and win.
    return {completion_id: f"{base}#sertifikat-{pk}" for completion_id, pk in rows}


def certificate_for_owner_or_404(user, pk) -> Certificate:
    """The user's own issued certificate; 404 for missing and not-yours alike."""
    try:
        return Certificate.objects.issued().get(pk=pk, user=user)
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def certificates_in_scope(user) -> QuerySet[Certificate]:
    return Certificate.objects.for_register().filter(
        office__in=offices_visible_to(user)
    )


def certificate_in_scope_or_404(user, pk) -> Certificate:
    try:
        return (
            certificates_in_scope(user)
            .select_related("replaced_by", "replaces", "revoked_by")
            .get(pk=pk)
        )
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def register_rows(
    user,
    *,
    office: Office | None = None,
    course_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Certificate]:
    """The register in a coordinator's scope, filtered; `office` means its subtree."""
    rows = certificates_in_scope(user)
    if office is not None:
        rows = rows.filter(office__in=Office.objects.subtree(office))
    if course_id:
        rows = rows.filter(course_id=course_id)
    if date_from:
        rows = rows.filter(issued_on__gte=date_from)
    if date_to:
        rows = rows.filter(issued_on__lte=date_to)
    return rows


def register_courses(user) -> list[tuple[int, str]]:
    """(course id, title) of courses with certificates in the user's scope."""
    return list(
        certificates_in_scope(user)
        .order_by("course_title")
        .values_list("course_id", "course_title")
        .distinct()
    )


def certificates_for_bundle(
    *, office: Office, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Certificate]:
    return Certificate.objects.filter(
        status=Certificate.Status.ISSUED,
        office__in=Office.objects.subtree(office),
        issued_on__gte=date_from,
        issued_on__lte=date_to,
    ).order_by("office__code", "year", "serial")


def bundle_for_user_or_404(user, pk) -> CertificateBundle:
    """A bundle the user asked for, still within their scope."""
    try:
        return CertificateBundle.objects.select_related("office").get(
            pk=pk, requested_by=user, office__in=offices_visible_to(user)
        )
    except (CertificateBundle.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def revoked_credentials() -> QuerySet[Certificate]:
    """What the public revocation list needs: credential ids and dates, no names."""
    return (
        Certificate.objects.filter(status=Certificate.Status.REVOKED)
        .order_by("revoked_at", "pk")
        .only("credential_id", "revoked_at")
    )


def lookup_code(text: str) -> tuple[codes.CodeProblem, str, Certificate | None]:
    """Normalise what a visitor typed; the certificate only for a well-formed code."""
    normalised = codes.normalise(text)
    problem = codes.diagnose(normalised)
    if problem is not codes.CodeProblem.OK:
        return problem, normalised, None
    return problem, normalised, certificate_by_code(normalised)


def certificate_history(certificate: Certificate):
    """The audit trail (Wagtail's ModelLogEntry) of a certificate, newest first."""
    from wagtail.models import ModelLogEntry

    return (
        ModelLogEntry.objects.for_instance(certificate)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def bundles_expired(*, before: datetime.datetime) -> QuerySet[CertificateBundle]:
    return CertificateBundle.objects.filter(created_at__lt=before).order_by("pk")
