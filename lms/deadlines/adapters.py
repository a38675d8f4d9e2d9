"""The single entry point from Django code to the legal engine `lms.kip`.

Call these functions, not `lms.kip` directly, from any view, block, scenario or
task: they pass the administrator's stored closures and openings (CalendarOverride,
cached) to the engine, so a course example, a quiz scenario and the calculator at
/alat/tenggat/ always give the same date.

    from lms.deadlines.adapters import KipError, due_date_for, explain_for, localized

    due = due_date_for("notice", date(2024, 3, 6))            # date(2024, 3, 22)
    explanation = explain_for("objection", start, regime="election")
    localized(explanation.label)                               # in the active language

Every function raises `KipError` (a ValueError) for input the engine refuses: an
unknown step or regime, or a date whose calendar year the engine does not know
(`KNOWN_YEARS`). See docs/deadline-calculator.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms import kip
from lms.kip import (
    FIRST_YEAR,
    KNOWN_YEARS,
    LAST_YEAR,
    REGIMES,
    STEPS,
    ClosedDay,
    Explanation,
    KipError,
    Source,
    Text,
    TimelineItem,
)

from .selectors import calendar_overrides

__all__ = [
    "FIRST_YEAR",
    "KNOWN_YEARS",
    "LAST_YEAR",
    "MARKER_LABELS",
    "REGIMES",
    "SOURCE_LABELS",
    "STEPS",
    "STEP_POINTS",
    "KipError",
    "add_working_days_for",
    "calendar_overrides",
    "closed_days_for",
    "due_date_for",
    "explain_for",
    "is_working_day_for",
    "localized",
    "regime_choices",
    "step_choices",
    "timeline_for",
    "working_days_between_for",
    "years_without_cuti_bersama",
]

# The point of a case each step's period runs from (`timeline(from_step=...)`), so
# a page can show the rest of the case from the event the user entered.
STEP_POINTS: dict[str, str] = {
    "notice": "request",
    "notice_extended": "request",
    "objection": "objection_ground_arose",
    "objection_response": "objection_filed",
    "dispute": "objection_answered",
    "dispute_start": "dispute_registered",
    "dispute_decision": "dispute_registered",
    "court_objection": "ki_decision_received",
    "cassation": "court_judgment_received",
}

MARKER_LABELS = {
    "V": _("verified"),
    "S": _("secondary source"),
    "R": _("recalled, no source found"),
}

SOURCE_LABELS = {
    Source.WEEKEND: _("Weekend"),
    Source.NATIONAL_HOLIDAY: _("National holiday"),
    Source.CUTI_BERSAMA: _("Cuti bersama"),
    Source.EXTRA_CLOSURE: _("Administrator closure"),
}


def localized(text: Text | None) -> str:
    """The engine's bilingual text in the active language (Indonesian by default)."""
    if text is None:
        return ""
    return text.en if (get_language() or "id").startswith("en") else text.id


def step_choices() -> list[tuple[str, str]]:
    return [(key, localized(step.label)) for key, step in STEPS.items()]


def regime_choices() -> list[tuple[str, str]]:
    return [(key, localized(regime.label)) for key, regime in REGIMES.items()]


Overrides = tuple[frozenset[date], frozenset[date]]


def _calendar(cuti_bersama_working: bool, overrides: Overrides | None = None) -> dict:
    extra_closed, extra_open = (
        overrides if overrides is not None else calendar_overrides()
    )
    return {
        "cuti_bersama_working": cuti_bersama_working,
        "extra_closed": extra_closed,
        "extra_open": extra_open,
    }


def due_date_for(
    step: str,
    start: date,
    *,
    regime: str = "general",
    cuti_bersama_working: bool = False,
    overrides: Overrides | None = None,
) -> date:
    """The last day of `step`'s period for an event on `start`.

    `overrides`: the (closed, open) days of `calendar_overrides()`, when the caller
    already holds them (grading many date questions reads them once).
    """
    return kip.due_date(
        step, start, regime=regime, **_calendar(cuti_bersama_working, overrides)
    )


def explain_for(
    step: str,
    start: date,
    *,
    regime: str = "general",
    cuti_bersama_working: bool = False,
) -> Explanation:
    """`due_date_for` with basis, skipped days, regime note and warnings."""
    return kip.explain(step, start, regime=regime, **_calendar(cuti_bersama_working))


def timeline_for(
    start: date,
    *,
    regime: str = "general",
    from_step: str = "request",
    cuti_bersama_working: bool = False,
) -> tuple[TimelineItem, ...]:
    """The rest of a case from the point `from_step` (see `STEP_POINTS`)."""
    return kip.timeline(
        start, regime=regime, from_step=from_step, **_calendar(cuti_bersama_working)
    )


def add_working_days_for(
    start: date, days: int, *, cuti_bersama_working: bool = False
) -> date:
    return kip.add_working_days(start, days, **_calendar(cuti_bersama_working))


def working_days_between_for(
    start: date, end: date, *, cuti_bersama_working: bool = False
) -> int:
    return kip.working_days_between(start, end, **_calendar(cuti_bersama_working))


def is_working_day_for(day: date, *, cuti_bersama_working: bool = False) -> bool:
    return kip.is_working_day(day, **_calendar(cuti_bersama_working))


def closed_days_for(
    year: int, *, cuti_bersama_working: bool = False
) -> tuple[ClosedDay, ...]:
    """Every closed day of `year`, administrator closures included."""
    return kip.closed_days(year, **_calendar(cuti_bersama_working))


def national_closure(day: date) -> ClosedDay | None:
    """Why `day` is closed in the national calendar alone (no overrides), if it is."""
    return kip.working_calendar().closure(day)


@functools.cache
def _has_cuti_bersama(year: int) -> bool:
    if year not in KNOWN_YEARS:
        return False
    # Cuti bersama data is the package's, never an override: ask without them.
    return any(day.source is Source.CUTI_BERSAMA for day in kip.closed_days(year))


def years_without_cuti_bersama(years: Iterable[int]) -> tuple[int, ...]:
    """The years among `years` for which the engine has no cuti bersama data."""
    return tuple(year for year in sorted(set(years)) if not _has_cuti_bersama(year))
