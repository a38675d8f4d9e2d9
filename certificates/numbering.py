"""Certificate numbers, office abbreviations, places and Indonesian dates.

Standard library only: plain values in and out, `today` and `issued_on` are
arguments. The database side (the per-office, per-year counter) is in services.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

DEFAULT_PATTERN = "{seq:04}/PPID/{abbr}/{month_roman}/{year}"
TOKENS = ("seq", "abbr", "month_roman", "month", "year", "office_code")
_TOKEN = re.compile(r"\{([a-z_]+)(?::0?(\d{1,2}))?\}")

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN_MONTHS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
)

# Where each province's KPU signs its letters: the provincial capital.
PROVINCE_CAPITALS = {
    "11": "Banda Aceh",
    "12": "Medan",
    "13": "Padang",
    "14": "Pekanbaru",
    "15": "Jambi",
    "16": "Palembang",
    "17": "Bengkulu",
    "18": "Bandar Lampung",
    "19": "Pangkalpinang",
    "21": "Tanjungpinang",
    "31": "Jakarta",
    "32": "Bandung",
    "33": "Semarang",
    "34": "Yogyakarta",
    "35": "Surabaya",
    "36": "Serang",
    "51": "Denpasar",
    "52": "Mataram",
    "53": "Kupang",
    "61": "Pontianak",
    "62": "Palangka Raya",
    "63": "Banjarbaru",
    "64": "Samarinda",
    "65": "Tanjung Selor",
    "71": "Manado",
    "72": "Palu",
    "73": "Makassar",
    "74": "Kendari",
    "75": "Gorontalo",
    "76": "Mamuju",
    "81": "Ambon",
    "82": "Sofifi",
    "91": "Jayapura",
    "92": "Manokwari",
    "93": "Merauke",
    "94": "Nabire",
    "95": "Wamena",
    "96": "Sorong",
}
_KIND_ABBREVIATIONS = {"Kabupaten": "Kab.", "Kota": "Kota.", "Provinsi": "Prov."}
_NAME_ABBREVIATIONS = {
    "Republik Indonesia": "RI",
    "Daerah Istimewa Yogyakarta": "DIY",
}


class PatternError(ValueError):
    pass


def roman_month(month: int) -> str:
    return ROMAN_MONTHS[month - 1]


def format_date_id(day: date) -> str:
    """23 November 2026 — the way an Indonesian official letter writes a date."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def office_abbreviation(office_name: str) -> str:
    """KPU Kabupaten Badung → KPU-Kab.Badung; KIP Aceh → KIP-Aceh; KPU RI → KPU-RI.

    Words after the kind are joined without spaces (KPU-Kota.BandaAceh) so that
    the abbreviation reads as one token inside a number. Administrators can edit
    the result on the office's certificate layout.
    """
    words = office_name.split()
    if not words:
        return ""
    body, rest = words[0], words[1:]
    kind = ""
    if rest and rest[0] in _KIND_ABBREVIATIONS:
        kind = _KIND_ABBREVIATIONS[rest[0]]
        rest = rest[1:]
    name = " ".join(rest)
    name = _NAME_ABBREVIATIONS.get(name, name)
    return f"{body}-{kind}{name.replace(' ', '')}" if name or kind else body


def place_name(*, level: str, code: str, region_name: str) -> str:
    """The town in "Badung, 23 November 2026": the regency or city, or the capital."""
    if level == "national":
        return "Jakarta"
    if level == "province":
        return PROVINCE_CAPITALS.get(code.split(".")[0], region_name)
    for prefix in (
        "Kabupaten Administrasi ",
        "Kota Administrasi ",
        "Kabupaten ",
        "Kota ",
    ):
        if region_name.startswith(prefix):
            return region_name.removeprefix(prefix)
    return region_name


def validate_pattern(pattern: str) -> None:
    """A pattern must number within a year: it needs both {seq} and {year}."""
    names = [m.group(1) for m in _TOKEN.finditer(pattern)]
    unknown = sorted(set(names) - set(TOKENS))
    if unknown:
        raise PatternError(f"unknown placeholder(s): {', '.join(unknown)}")
    for required in ("seq", "year"):
        if required not in names:
            raise PatternError(f"the pattern needs {{{required}}}")
    leftover = _TOKEN.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        raise PatternError("unbalanced or malformed braces")


@dataclass(frozen=True)
class NumberParts:
    seq: int
    abbr: str
    issued_on: date
    office_code: str = ""


def format_number(pattern: str, parts: NumberParts) -> str:
    """Fill a validated pattern; `{seq:04}` pads the serial to four digits."""
    values = {
        "abbr": parts.abbr,
        "month_roman": roman_month(parts.issued_on.month),
        "month": f"{parts.issued_on.month:02d}",
        "year": str(parts.issued_on.year),
        "office_code": parts.office_code,
    }

    def replace(match: re.Match) -> str:
        name, width = match.group(1), match.group(2)
        if name == "seq":
            return str(parts.seq).zfill(int(width or 0))
        return values[name]

    return _TOKEN.sub(replace, pattern)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def mask_nip(nip: str) -> str:
    """1985**********1002: enough to recognise one's own NIP, not to harvest it."""
    if not nip:
        return ""
    if len(nip) <= 8:
        return "*" * len(nip)
    return nip[:4] + "*" * (len(nip) - 8) + nip[-4:]
