"""The register as CSV and XLSX, safe to open in a spreadsheet.

A cell that starts with = + - @ tab or carriage return would be read as a formula
by Excel or LibreOffice ("CSV injection"); such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from lms.spreadsheets import neutralise

from .models import Certificate


def header() -> list[str]:
    return [
        _("Certificate number"),
        _("Status"),
        _("Holder"),
        _("NIP"),
        _("Office"),
        _("Course"),
        _("Hours"),
        _("Score"),
        _("Completed on"),
        _("Issued on"),
        _("Valid until"),
        _("Revoked at"),
        _("Reason for revocation"),
    ]


def row(c: Certificate) -> list:
    return [
        c.number,
        c.get_status_display(),
        c.holder_name,
        c.nip,
        c.office_name,
        c.course_title,
        c.hours,
        c.score,
        c.completed_on.isoformat() if c.completed_on else "",
        c.issued_on.isoformat() if c.issued_on else "",
        c.valid_until.isoformat() if c.valid_until else "",
        c.revoked_at.date().isoformat() if c.revoked_at else "",
        c.revoked_reason,
    ]


def _safe_rows(certificates: Iterable[Certificate]):
    yield header()
    for certificate in certificates:
        yield [neutralise(v) for v in row(certificate)]


def register_csv(certificates: Iterable[Certificate]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_safe_rows(certificates))
    # A BOM, so that Excel opens the UTF-8 file with the right encoding.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register_xlsx(certificates: Iterable[Certificate]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Certificates"))
    for values in _safe_rows(certificates):
        sheet.append(["" if v is None else v for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
