"""Which wording, numbering and signatory apply to an office, and the PDF for a record.

The glue between the models and the pure renderer: `resolve_layout` merges an
office's layout over the default one and over what the office itself says;
`document_for` turns a stored certificate into a `CertificateDocument`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lms.offices.models import Office

from . import codes, numbering
from .models import DEFAULT_WORDING, Certificate, CertificateLayout
from .rendering import CertificateDocument, render_pdf

# Wagtail image renditions used on the PDF: small enough to keep files light.
RENDITIONS = {
    "logo": "max-600x300",
    "signature": "max-600x240",
    "background": "max-1754x1240",
}


@dataclass(frozen=True)
class ResolvedLayout:
    layout_id: int | None
    title: str
    intro: str
    body: str
    place: str
    number_pattern: str
    office_abbreviation: str
    signatory_name: str
    signatory_title: str
    logo_id: int | None
    signature_id: int | None
    background_id: int | None

    @property
    def wording(self) -> dict[str, str]:
        return {"title": self.title, "intro": self.intro, "body": self.body}


def layouts_for_offices(
    offices: Iterable[Office],
) -> tuple[CertificateLayout | None, dict[int, CertificateLayout]]:
    """(the default layout, each office's own layout by office id), in one query."""
    default, own = None, {}
    office_ids = [office.pk for office in offices]
    for layout in CertificateLayout.objects.filter(
        Q(office__in=office_ids) | Q(office__isnull=True)
    ).order_by("-pk"):
        if layout.office_id is None:
            default = layout  # the oldest default wins (clean() allows only one)
        else:
            own[layout.office_id] = layout
    return default, own


def resolve_layout(
    office: Office,
    own: CertificateLayout | None,
    default: CertificateLayout | None,
) -> ResolvedLayout:
    """Wording, pattern and images inherit from the default layout; place,
    abbreviation and signatory belong to the office and are derived from it."""

    def inherited(name: str, fallback: str = ""):
        for layout in (own, default):
            value = getattr(layout, name, None) if layout else None
            if value:
                return value
        return fallback

    def inherited_id(name: str):
        for layout in (own, default):
            value = getattr(layout, f"{name}_id", None) if layout else None
            if value:
                return value
        return None

    def own_value(name: str) -> str:
        return getattr(own, name, "") if own else ""

    return ResolvedLayout(
        layout_id=(own or default).pk if (own or default) else None,
        title=inherited("title", DEFAULT_WORDING["title"]),
        intro=inherited("intro", DEFAULT_WORDING["intro"]),
        body=inherited("body", DEFAULT_WORDING["body"]),
        place=own_value("place")
        or numbering.place_name(
            level=office.level, code=office.code, region_name=office.region_name
        ),
        number_pattern=inherited("number_pattern", numbering.DEFAULT_PATTERN),
        office_abbreviation=own_value("office_abbreviation")
        or numbering.office_abbreviation(office.name),
        signatory_name=own_value("signatory_name") or office.head_name,
        signatory_title=own_value("signatory_title")
        or office.head_title
        or f"Ketua {office.name}",
        logo_id=inherited_id("logo"),
        signature_id=inherited_id("signature"),
        background_id=inherited_id("background"),
    )


@lru_cache(maxsize=32)
def _rendition_bytes(file_name: str, spec: str, image_id: int) -> bytes:
    # Keyed by the image's file name too: replacing the file gives a new name.
    from wagtail.images import get_image_model

    rendition = get_image_model().objects.get(pk=image_id).get_rendition(spec)
    with rendition.file.open("rb") as fh:
        return fh.read()


def image_bytes(image_id: int | None, kind: str) -> bytes | None:
    from wagtail.images import get_image_model

    if not image_id:
        return None
    file_name = (
        get_image_model()
        .objects.filter(pk=image_id)
        .values_list("file", flat=True)
        .first()
    )
    if not file_name:
        return None
    return _rendition_bytes(file_name, RENDITIONS[kind], image_id)


def placeholder_values(cert: Certificate) -> dict[str, str]:
    return {
        "holder": cert.holder_name,
        "nip": cert.nip,
        "course": cert.course_title,
        "hours": str(cert.hours or ""),
        "date": numbering.format_date_id(cert.completed_on)
        if cert.completed_on
        else "",
        "office": cert.office_name,
        "score": "" if cert.score is None else str(cert.score),
        "number": cert.number,
        "valid_until": numbering.format_date_id(cert.valid_until)
        if cert.valid_until
        else "",
    }


def verification_url(code: str) -> str:
    from django.urls import reverse

    path = reverse("certificates:verify_code", args=[codes.display(code)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def document_for(cert: Certificate) -> CertificateDocument:
    """Everything the PDF shows, from the stored record alone."""
    values = placeholder_values(cert)
    wording = {**DEFAULT_WORDING, **(cert.wording or {})}
    created = timezone.localtime(cert.issued_at or cert.created_at)
    return CertificateDocument(
        office_name=cert.office_name,
        title=wording["title"],
        number=cert.number,
        intro=wording["intro"],
        holder_name=cert.holder_name,
        nip=cert.nip,
        body=wording["body"],
        values=values,
        place_and_date=f"{cert.place}, {numbering.format_date_id(cert.issued_on)}",
        signatory_title=cert.signatory_title,
        signatory_name=cert.signatory_name,
        verify_url=verification_url(cert.code or ""),
        code=codes.display(cert.code or ""),
        valid_until=values["valid_until"],
        created=created,
        logo=image_bytes(cert.logo_id, "logo"),
        signature=image_bytes(cert.signature_id, "signature"),
        background=image_bytes(cert.background_id, "background"),
    )


def render_certificate(cert: Certificate) -> bytes:
    return render_pdf(document_for(cert))


SAMPLE = {
    "holder_name": "Ni Luh Putu Sari Dewi",
    "nip": "198503122010012002",
    "course_title": "Dasar-Dasar Keterbukaan Informasi Publik",
    "hours": 8,
    "score": 92,
}


def sample_certificate(
    layout: CertificateLayout, *, today: datetime.date, office: Office | None = None
) -> Certificate:
    """An unsaved certificate showing what `layout` produces (the admin preview)."""
    office = office or layout.office or Office.objects.filter(level="regency").first()
    if office is None:
        office = Office(
            code="51.03",
            level="regency",
            region_name="Kabupaten Badung",
            name="KPU Kabupaten Badung",
        )
    if layout.office_id:
        own, default = (
            layout,
            CertificateLayout.objects.filter(office__isnull=True).first(),
        )
    else:
        own, default = None, layout
    resolved = resolve_layout(office, own, default)
    number = numbering.format_number(
        resolved.number_pattern,
        numbering.NumberParts(
            seq=7,
            abbr=resolved.office_abbreviation,
            issued_on=today,
            office_code=office.code,
        ),
    )
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    return Certificate(
        status=Certificate.Status.ISSUED,
        office_name=office.name,
        course_title=SAMPLE["course_title"],
        holder_name=SAMPLE["holder_name"],
        nip=SAMPLE["nip"],
        hours=SAMPLE["hours"],
        score=SAMPLE["score"],
        completed_on=today,
        issued_on=today,
        issued_at=moment,
        created_at=moment,
        number=number,
        code="0" * (codes.LENGTH - 1) + codes.check_symbol("0" * (codes.LENGTH - 1)),
        place=resolved.place,
        signatory_name=resolved.signatory_name,
        signatory_title=resolved.signatory_title,
        wording=resolved.wording,
        logo_id=resolved.logo_id,
        signature_id=resolved.signature_id,
        background_id=resolved.background_id,
    )
