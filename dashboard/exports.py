"""CSV and XLSX of completion per learner and per office, safe to open in a spreadsheet.

A text cell that starts with = + - @ tab or carriage return would be read as a
formula by Excel or LibreOffice ("CSV injection"), so `neutralise` gives it a leading
apostrophe; every cell goes through it. (certificates/exports.py has the same rule
for the certificate register; one shared helper is planned.)

CSV is streamed row by row (memory stays flat); XLSX is built in memory with
openpyxl's write-only workbook, hence its lower cap. Above a cap the view refuses
with a message asking for narrower filters instead of timing out.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lms.spreadsheets import neutralise

from .selectors import EMPLOYMENT_LABELS

LEARNER_CSV_CAP = 200_000
LEARNER_XLSX_CAP = 50_000


def _plain(value):
    """Cells as a spreadsheet wants them: local naive datetimes, no None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV lines, a UTF-8 byte-order mark first so that Excel reads the accents."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise(_csv_cell(c)) for c in row])


def _csv_cell(value):
    value = _plain(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in header])
    for row in rows:
        sheet.append([neutralise(_plain(c)) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Per learner -------------------------------------------------------------------


def learner_header() -> list[str]:
    return [
        _("Name"),
        _("E-mail"),
        _("NIP"),
        _("Employment type"),
        _("Office code"),
        _("Office"),
        _("Course"),
        _("Source"),
        _("Enrolled at"),
        _("Due date"),
        _("Attempt"),
        _("Completed at"),
        _("Score"),
        _("Status"),
    ]


def learner_rows(rows: Iterable[tuple], *, today: datetime.date) -> Iterator[list]:
    """Rows of selectors.EXPORT_FIELDS, made readable, with a status column."""
    sources = {"assigned": _("Assigned"), "self": _("Self-enrolled")}
    for (
        name,
        email,
        nip,
        employment,
        office_code,
        office,
        course,
        source,
        enrolled_at,
        due_on,
        attempt,
        completed_at,
        score,
    ) in rows:
        if completed_at is not None:
            status = _("Completed")
        elif due_on is not None and due_on < today:
            status = _("Overdue")
        else:
            status = _("In progress")
        yield [
            name,
            email,
            nip,
            EMPLOYMENT_LABELS.get(employment, employment),
            office_code,
            office,
            course,
            sources.get(source, source),
            enrolled_at,
            due_on,
            attempt,
            completed_at,
            score,
            status,
        ]


# --- Per office ---------------------------------------------------------------------


def office_header(date_from: datetime.date, date_to: datetime.date) -> list[str]:
    period = f"{date_from.isoformat()}–{date_to.isoformat()}"
    return [
        _("Office code"),
        _("Office"),
        _("Level"),
        _("Parent office"),
        _("Enrolled"),
        _("Completed"),
        _("Completion (%)"),
        _("Assigned"),
        _("Overdue"),
        _("New enrolments %(period)s") % {"period": period},
        _("Completions %(period)s") % {"period": period},
        _("Certificates %(period)s") % {"period": period},
    ]


def office_rows(rows) -> Iterator[list]:
    """Rows of selectors.office_table: subtree totals of every office."""
    for row in rows:
        counts, activity = row.counts, row.activity
        yield [
            row.office.code,
            row.office.name,
            row.office.level,
            row.parent_name,
            counts.enrolled,
            counts.completed,
            round(counts.rate, 1) if counts.rate is not None else "",
            counts.assigned,
            counts.overdue,
            activity.enrolled,
            activity.completed,
            activity.certificates,
        ]
