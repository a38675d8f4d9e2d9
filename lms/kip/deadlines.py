"""Deadlines of a KIP case: due dates, their explanation, and a case timeline.

Pure functions over `rules` (which period the law sets) and `calendar` (which days
count). Dates come in as arguments; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from lms.kip.calendar import (
    CUTI_BERSAMA_VERIFIED_FROM,
    LAST_YEAR,
    ClosedDay,
    WorkingCalendar,
    check_date,
    unknown_year_error,
    working_calendar,
)
from lms.kip.common import KipError, Text
from lms.kip.rules import REGIMES, STEPS, LegalBasis, Rule, Unit, resolve

IN_FORCE = date(2010, 4, 30)  # UU 14/2008 Pasal 64: two years after 30 April 2008

_MARKERS = {
    "S": Text("sumber sekunder", "secondary source"),
    "R": Text("diingat, tanpa sumber", "recalled, no source found"),
}


@dataclass(frozen=True)
class Explanation:
    """How a due date was computed, for the calculator page and the course."""

    step: str
    regime: str
    label: Text
    start: date
    due: date
    length: int
    unit: Unit
    basis: tuple[LegalBasis, ...]
    # Set when the regime borrows the general rule for this step.
    regime_note: Text | None
    counting: Text
    # Closed days in (start, due] that were not counted (none for calendar days).
    skipped: tuple[ClosedDay, ...]
    counted: tuple[date, ...]
    notes: tuple[Text, ...]
    warnings: tuple[Text, ...]
    # The due date with cuti bersama read the other way, when that differs
    # (kip-law.md §6.1: show both results; no verified KI ruling either way).
    alternative_due: date | None


def due_date(
    step: str,
    start: date,
    *,
    regime: str = "general",
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> date:
    """The last day of `step`'s period for an event on `start`."""
    rule, _ = resolve(regime, step)
    calendar = working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    )
    return _due(rule, start, calendar)


def _due(rule: Rule, start: date, calendar: WorkingCalendar) -> date:
    if rule.unit is Unit.WORKING_DAYS:
        return calendar.add(start, rule.days)
    # Calendar days are counted without the calendar, but the answer stays inside
    # the known years so that explain() can say whether the last day is closed.
    due = check_date(start) + timedelta(days=rule.days)
    if due.year > LAST_YEAR:
        raise unknown_year_error(due.year)
    return due


def explain(
    step: str,
    start: date,
    *,
    regime: str = "general",
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> Explanation:
    """`due_date()` with its legal basis, the days counted and skipped, and warnings."""
    rule, regime_note = resolve(regime, step)
    calendar = working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    )
    due = _due(rule, start, calendar)
    alternative = _alternative_due(rule, start, calendar, due)
    notes = [rule.note] if rule.note else []
    warnings = [_basis_warning(basis) for basis in rule.basis if basis.marker != "V"]
    if regime_note is None:
        warnings.extend(REGIMES[regime].warnings)

    if rule.unit is Unit.WORKING_DAYS:
        counted = calendar.working(start, due)
        skipped = calendar.closed(start, due)
        counting = _working_days_counting(rule.days, start, due, cuti_bersama_working)
        if closed_start := calendar.closure(start):
            notes.append(
                _START_CLOSED.format(
                    id=closed_start.reason.id, en=closed_start.reason.en
                )
            )
    else:
        counted = tuple(start + timedelta(days=n) for n in range(1, rule.days + 1))
        skipped = ()
        counting = _CALENDAR_DAYS_COUNTING.format(
            days=rule.days, start=start, first=counted[0], due=due
        )
        if closed_due := calendar.closure(due):
            warnings.append(
                _CALENDAR_DUE_CLOSED.format(
                    due=due, id=closed_due.reason.id, en=closed_due.reason.en
                )
            )

    warnings.extend(
        _ESTIMATED.format(day=day.day, id=day.reason.id, en=day.reason.en)
        for day in skipped
        if day.estimated
    )
    if start.year < CUTI_BERSAMA_VERIFIED_FROM:
        warnings.append(_CUTI_DATA_BEFORE.format(year=CUTI_BERSAMA_VERIFIED_FROM))
    if start < IN_FORCE:
        warnings.append(_BEFORE_IN_FORCE)
    if alternative is not None:
        warnings.append(
            (_IF_CUTI_CLOSED if cuti_bersama_working else _IF_CUTI_WORKING).format(
                due=alternative
            )
        )

    return Explanation(
        step=step,
        regime=regime,
        label=STEPS[step].label,
        start=start,
        due=due,
        length=rule.days,
        unit=rule.unit,
        basis=rule.basis,
        regime_note=regime_note,
        counting=counting,
        skipped=skipped,
        counted=counted,
        notes=tuple(notes),
        warnings=tuple(warnings),
        alternative_due=alternative,
    )


def _alternative_due(
    rule: Rule, start: date, calendar: WorkingCalendar, due: date
) -> date | None:
    other = working_calendar(
        cuti_bersama_working=not calendar.cuti_bersama_working,
        extra_closed=calendar.extra_closed,
        extra_open=calendar.extra_open,
    )
    try:
        alternative = _due(rule, start, other)
    except KipError:  # the other reading may run past the known years
        return None
    return None if alternative == due else alternative


def _basis_warning(basis: LegalBasis) -> Text:
    kind = _MARKERS[basis.marker]
    return Text(
        f"Dasar hukum {basis.citation} bertanda [{basis.marker}] ({kind.id}), belum "
        "final: periksa teks resmi sebelum dipakai untuk sertifikasi.",
        f"Legal basis {basis.citation} is marked [{basis.marker}] ({kind.en}) and "
        "not settled: check the official text before certification use.",
    )


def _working_days_counting(
    days: int, start: date, due: date, cuti_bersama_working: bool
) -> Text:
    closed_id = "hari libur nasional" + (
        "" if cuti_bersama_working else ", cuti bersama"
    )
    closed_en = "national holidays" + ("" if cuti_bersama_working else ", cuti bersama")
    return Text(
        f"Hari ke-1 adalah hari kerja pertama setelah {start}; batas waktu adalah "
        f"hari kerja ke-{days} ({due}), inklusif. Tidak dihitung: Sabtu, Minggu, "
        f"{closed_id} dan penutupan tambahan.",
        f"Day 1 is the first working day after {start}; the deadline is working day "
        f"{days} ({due}), inclusive. Not counted: Saturdays, Sundays, {closed_en} "
        "and additional closures.",
    )


_CALENDAR_DAYS_COUNTING = Text(
    "{days} hari kalender sejak {start}: hari ke-1 adalah {first}, batas waktu "
    "{due}. Undang-undang hanya menyebut 'hari': hari libur ikut dihitung dan "
    "tanggal tidak digeser bila jatuh pada hari libur.",
    "{days} calendar days from {start}: day 1 is {first}, the deadline {due}. The "
    "Act says only 'days': closed days count, and the date is not moved when it "
    "falls on a closed day.",
)
_CALENDAR_DUE_CLOSED = Text(
    "Hari terakhir {due} jatuh pada hari tutup ({id}); mesin tidak menggesernya. "
    "Ajukan paling lambat hari kerja sebelumnya atau periksa Perma 2/2011 [R].",
    "The last day {due} falls on a closed day ({en}); the engine does not move it. "
    "File by the working day before, or check Perma 2/2011 [R].",
)
_START_CLOSED = Text(
    "Peristiwa terjadi pada hari tutup ({id}); hari itu tidak dihitung, sama seperti "
    "hari kerja, dan hari ke-1 adalah hari kerja pertama sesudahnya.",
    "The event fell on a closed day ({en}); it is not counted, as for a working "
    "day, and day 1 is the first working day after it.",
)
_ESTIMATED = Text(
    "Tanggal {id} ({day}) masih perkiraan sampai sidang isbat; batas waktu dapat "
    "berubah.",
    "The date of {en} ({day}) is estimated until the isbat decision; the deadline "
    "may change.",
)
_CUTI_DATA_BEFORE = Text(
    "Data cuti bersama sebelum {year} dalam paket holidays belum terverifikasi "
    "lengkap; periksa SKB tahun itu dan tambahkan hari yang hilang sebagai "
    "penutupan tambahan.",
    "Cuti bersama data before {year} in the holidays package is not verified as "
    "complete; check that year's SKB and add missing days as extra closures.",
)
_BEFORE_IN_FORCE = Text(
    "UU 14/2008 baru berlaku sejak 30 April 2010 (Pasal 64).",
    "UU 14/2008 is in force only from 30 April 2010 (Article 64).",
)
_IF_CUTI_WORKING = Text(
    "Jika cuti bersama dihitung sebagai hari kerja, batas waktu menjadi {due}; "
    "belum ada putusan KI terverifikasi tentang hal ini.",
    "If cuti bersama are counted as working days, the deadline is {due}; no "
    "verified Commission ruling settles this.",
)
_IF_CUTI_CLOSED = Text(
    "Jika cuti bersama dihitung sebagai hari libur (bawaan), batas waktu menjadi "
    "{due}; belum ada putusan KI terverifikasi tentang hal ini.",
    "If cuti bersama are counted as closed days (the default), the deadline is "
    "{due}; no verified Commission ruling settles this.",
)


# The timeline: the points of a case, and the periods that run from them. When a
# case goes on as late as it can, a period's due date stands for the next point; the
# link that leads there says what that assumes.


@dataclass(frozen=True)
class _Link:
    step: str
    at: str
    leads_to: str | None = None
    assumption: Text | None = None

    def __post_init__(self) -> None:
        if (self.leads_to is None) != (self.assumption is None):
            raise TypeError(f"{self.step}: leads_to needs an assumption and back")


# What the start date means when the timeline starts at each point.
_POINTS: dict[str, Text] = {
    "request": Text(
        "Permohonan diterima PPID pada tanggal ini; hari penerimaan tidak dihitung.",
        "The PPID received the request on this date; that day is not counted.",
    ),
    "objection_ground_arose": Text(
        "Alasan keberatan (Pasal 35 ayat (1)) timbul pada tanggal ini, misalnya "
        "surat penolakan diterima.",
        "The ground for objection (Article 35(1)) arose on this date, e.g. a "
        "refusal letter was received.",
    ),
    "objection_filed": Text(
        "Keberatan tertulis diterima Atasan PPID pada tanggal ini.",
        "The PPID's superior received the written objection on this date.",
    ),
    "objection_answered": Text(
        "Tanggapan tertulis Atasan PPID diterima pemohon pada tanggal ini.",
        "The requester received the superior's written answer on this date.",
    ),
    "dispute_registered": Text(
        "Komisi Informasi meregistrasi permohonan (akta registrasi) pada tanggal ini.",
        "The Commission registered the application on this date.",
    ),
    "ki_decision_received": Text(
        "Putusan ajudikasi Komisi Informasi diterima pada tanggal ini.",
        "The Commission's adjudication decision was received on this date.",
    ),
    "court_judgment_received": Text(
        "Putusan PTUN/PN diterima pada tanggal ini.",
        "The court's judgment was received on this date.",
    ),
}

_LINKS: tuple[_Link, ...] = (
    _Link("notice", "request"),
    _Link(
        "notice_extended",
        "request",
        "objection_ground_arose",
        Text(
            "PPID tidak memberi pemberitahuan tertulis sampai batas perpanjangan "
            "berakhir, sehingga alasan keberatan Pasal 35 ayat (1) huruf c/g timbul "
            "pada hari itu. Bila PPID menjawab lebih awal, hitung dari tanggal "
            "jawaban diterima.",
            "The PPID sends no written notice by the extended deadline, so the ground "
            "of Article 35(1)(c)/(g) arises that day. If the PPID answers earlier, "
            "count from the day the answer is received.",
        ),
    ),
    _Link(
        "objection",
        "objection_ground_arose",
        "objection_filed",
        Text(
            "Keberatan diajukan pada hari terakhir yang diperbolehkan; bila diajukan "
            "lebih awal, semua tanggal berikutnya maju.",
            "The objection is filed on its last allowed day; filed earlier, every "
            "later date moves earlier.",
        ),
    ),
    _Link(
        "objection_response",
        "objection_filed",
        "objection_answered",
        Text(
            "Atasan PPID tidak menanggapi; pengajuan sengketa dihitung sejak jangka "
            "waktu Atasan berakhir (PerKI 1/2013 [S]; UU Pasal 37 ayat (2) hanya "
            "menyebut tanggapan tertulis). Bila tanggapan diterima lebih awal, "
            "hitung dari tanggal penerimaannya.",
            "The superior does not answer; the dispute filing period runs from the "
            "end of the superior's period (PerKI 1/2013 [S]; Article 37(2) names only "
            "a written answer). If an answer is received earlier, count from then.",
        ),
    ),
    _Link(
        "dispute",
        "objection_answered",
        "dispute_registered",
        Text(
            "Permohonan diajukan lengkap pada hari terakhir dan diregistrasi pada "
            "hari yang sama.",
            "The application is filed complete on its last day and registered the "
            "same day.",
        ),
    ),
    _Link("dispute_start", "dispute_registered"),
    # The decision is a target ("dapat"), not a date the next stage runs from.
    _Link("dispute_decision", "dispute_registered"),
    _Link("court_objection", "ki_decision_received"),
    _Link("cassation", "court_judgment_received"),
)

TIMELINE_POINTS = tuple(_POINTS)


@dataclass(frozen=True)
class TimelineItem:
    """One period of the timeline, counted from `point` on `point_date`."""

    step: str
    label: Text
    point: str
    point_date: date
    due: date
    assumption: Text
    explanation: Explanation


def timeline(
    start: date,
    *,
    regime: str = "general",
    from_step: str = "request",
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> tuple[TimelineItem, ...]:
    """The rest of a case from the point `from_step` on `start`, each at its latest."""
    if not isinstance(from_step, str) or from_step not in _POINTS:
        raise KipError(
            f"Unknown timeline point {from_step!r}; allowed: {', '.join(_POINTS)}"
        )
    reached: dict[str, tuple[date, Text]] = {from_step: (start, _POINTS[from_step])}
    items = []
    for link in _LINKS:
        if link.at not in reached:
            continue
        at, assumption = reached[link.at]
        explanation = explain(
            link.step,
            at,
            regime=regime,
            cuti_bersama_working=cuti_bersama_working,
            extra_closed=extra_closed,
            extra_open=extra_open,
        )
        items.append(
            TimelineItem(
                step=link.step,
                label=explanation.label,
                point=link.at,
                point_date=at,
                due=explanation.due,
                assumption=assumption,
                explanation=explanation,
            )
        )
        if link.leads_to and link.assumption:  # both or neither (__post_init__)
            reached[link.leads_to] = (explanation.due, link.assumption)
    return tuple(items)
