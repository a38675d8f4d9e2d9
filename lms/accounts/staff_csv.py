"""Reading a staff list exported from a spreadsheet.

Accepts what Indonesian offices actually produce: UTF-8 with or without a BOM,
comma- or semicolon-separated (Excel with Indonesian regional settings saves ";"),
English or Indonesian column names in any order. Everything here works on the
bytes of the upload; checking rows against the database is `staff_import`'s job.
"""

import csv
import io
import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000

FIELDS = ("name", "email", "nip", "employment_type", "office_code")
REQUIRED_FIELDS = ("name", "email", "employment_type", "office_code")

# Normalised header → field. Headers are lower-cased, with spaces, dashes and
# dots turned into underscores before lookup.
HEADER_ALIASES = {
    "name": "name",
    "full_name": "name",
    "nama": "name",
    "nama_lengkap": "name",
    "email": "email",
    "e_mail": "email",
    "surel": "email",
    "alamat_email": "email",
    "nip": "nip",
    "employment_type": "employment_type",
    "jenis_kepegawaian": "employment_type",
    "status_kepegawaian": "employment_type",
    "office_code": "office_code",
    "kode_kantor": "office_code",
    "kode_satker": "office_code",
}

HEADER_LABELS = {
    "name": "nama",
    "email": "email",
    "nip": "nip",
    "employment_type": "jenis_kepegawaian",
    "office_code": "kode_kantor",
}


class StaffCsvError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def _normalise_header(value: str) -> str:
    value = value.strip().strip("\ufeff").strip().lower()
    return re.sub(r"[\s.\-]+", "_", value)


def _decode(data: bytes) -> str:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        raise StaffCsvError(
            _(
                "This is an Excel workbook, not a CSV file. In Excel choose "
                "File → Save As → “CSV UTF-8 (Comma delimited)”."
            )
        )
    if b"\x00" in data[:4096]:
        raise StaffCsvError(
            _("This file is not a text file. Upload a CSV file saved as UTF-8.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StaffCsvError(
            _(
                "The file is not saved as UTF-8. In Excel choose “CSV UTF-8 "
                "(Comma delimited)” when saving, then upload it again."
            )
        ) from exc


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_staff_csv(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> list[dict]:
    """The data rows as dicts with FIELDS plus `line` (the spreadsheet row number).

    Raises StaffCsvError for a file that cannot be used at all. Row-level problems
    (a bad e-mail, an unknown office) are left for the row checks, so that the
    preview can name every one of them.
    """
    if len(data) > max_bytes:
        raise StaffCsvError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": max_bytes // (1024 * 1024) or 1}
        )
    text = _decode(data)
    if not text.strip():
        raise StaffCsvError(_("The file is empty."))
    first_line = text.lstrip("\ufeff").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise StaffCsvError(_("The file could not be read as CSV.")) from exc
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        field = HEADER_ALIASES.get(_normalise_header(raw))
        if field and field not in columns:
            columns[field] = index
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise StaffCsvError(
            _(
                "Missing column(s): %(columns)s. The first row must name the "
                "columns: nama, email, nip, jenis_kepegawaian, kode_kantor."
            )
            % {"columns": ", ".join(HEADER_LABELS[f] for f in missing)}
        )
    rows: list[dict] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                raise StaffCsvError(
                    ngettext_lazy(
                        "The file has more than %(max)d row. Split it into "
                        "smaller files.",
                        "The file has more than %(max)d rows. Split it into "
                        "smaller files.",
                        max_rows,
                    )
                    % {"max": max_rows}
                )
            row = {"line": reader.line_num}
            for field in FIELDS:
                index = columns.get(field)
                value = cells[index] if index is not None and index < len(cells) else ""
                row[field] = value.strip()
            rows.append(row)
    except csv.Error as exc:
        raise StaffCsvError(
            _("Row %(line)s could not be read: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    if not rows:
        raise StaffCsvError(_("The file has column names but no rows."))
    return rows
