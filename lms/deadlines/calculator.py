"""The deadline calculator's answer: one computation for the page and the JSON.

Built from the adapter (so administrator closures apply) and shaped for display:
skipped days carry the administrator's reason, the timeline runs from the point of
the case the entered date stands for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.translation import gettext, ngettext

from lms.kip import Explanation, LegalBasis, Source, Text, TimelineItem, Unit

from .adapters import (
    LAST_YEAR,
    MARKER_LABELS,
    REGIMES,
    SOURCE_LABELS,
    STEP_POINTS,
    STEPS,
    KipError,
    explain_for,
    localized,
    timeline_for,
)
from .selectors import calendar_override_reasons

logger = logging.getLogger(__name__)

_MARKER_ORDER = ("V", "S", "R")  # strongest first
DISPLAY_FORMAT = "l, j F Y"  # "Jumat, 22 Maret 2024" / "Friday, 22 March 2024"


class CalculationError(Exception):
    """The engine refused valid-looking input; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SkippedDay:
    day: date
    source: Source
    reason: Text
    estimated: bool

    @property
    def is_weekend(self) -> bool:
        # By weekday, not by source: Easter Sunday would be closed anyway, so the
        # page counts it with the weekends instead of listing it as a holiday.
        return self.day.weekday() >= 5

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


@dataclass(frozen=True)
class Answer:
    step: str
    regime: str
    start: date
    cuti_bersama_working: bool
    explanation: Explanation
    skipped: tuple[SkippedDay, ...]
    timeline: tuple[TimelineItem, ...]
    # False when the rest of the case runs past the last year the calendar knows.
    timeline_complete: bool

    @property
    def holidays(self) -> tuple[SkippedDay, ...]:
        """Skipped days other than plain Saturdays and Sundays."""
        return tuple(day for day in self.skipped if not day.is_weekend)

    @property
    def weekend_count(self) -> int:
        return sum(day.is_weekend for day in self.skipped)

    @property
    def marker(self) -> str:
        return weakest_marker(self.explanation.basis)

    @property
    def counted_from(self) -> Text:
        return STEPS[self.step].counted_from

    @property
    def regime_label(self) -> Text:
        return REGIMES[self.regime].label


def weakest_marker(basis: tuple[LegalBasis, ...]) -> str:
    """The weakest marker among the sources: "V" only when all are verified."""
    return max((b.marker for b in basis), key=_MARKER_ORDER.index, default="R")


def period_label(length: int, unit: Unit) -> str:
    if unit is Unit.CALENDAR_DAYS:
        return ngettext("%(n)s calendar day", "%(n)s calendar days", length) % {
            "n": length
        }
    return ngettext("%(n)s working day", "%(n)s working days", length) % {"n": length}


def display_date(day: date) -> str:
    """A date with its weekday, in the active language."""
    return dateformat.format(day, DISPLAY_FORMAT)


def _unknown_year_message() -> str:
    return gettext(
        "The deadline would fall after %(last)s, the last year whose holidays and "
        "cuti bersama the calculator knows. Choose an earlier date, or ask an "
        "administrator to update the holiday data once the SKB 3 Menteri for the "
        "next year is published."
    ) % {"last": LAST_YEAR}


def _skipped(explanation: Explanation) -> tuple[SkippedDay, ...]:
    reasons = calendar_override_reasons() if explanation.skipped else {}
    days = []
    for closed in explanation.skipped:
        reason = closed.reason
        if closed.source is not Source.WEEKEND and closed.day in reasons:
            extra = reasons[closed.day]
            reason = Text(f"{reason.id}: {extra}", f"{reason.en}: {extra}")
        days.append(SkippedDay(closed.day, closed.source, reason, closed.estimated))
    return tuple(days)


def calculate(
    *, step: str, start: date, regime: str = "general", cuti_bersama_working: bool
) -> Answer:
    """The answer for validated input; CalculationError when the engine refuses."""
    try:
        explanation = explain_for(
            step, start, regime=regime, cuti_bersama_working=cuti_bersama_working
        )
    except KipError as exc:
        # The form has checked step, regime and the start year; what is left is a
        # period that runs past the last known year.
        logger.info("deadline calculator: engine refused %s %s: %s", step, start, exc)
        raise CalculationError(_unknown_year_message()) from exc
    try:
        timeline = timeline_for(
            start,
            regime=regime,
            from_step=STEP_POINTS[step],
            cuti_bersama_working=cuti_bersama_working,
        )
        complete = True
    except KipError:
        timeline, complete = (), False
    return Answer(
        step=step,
        regime=regime,
        start=start,
        cuti_bersama_working=cuti_bersama_working,
        explanation=explanation,
        skipped=_skipped(explanation),
        timeline=timeline,
        timeline_complete=complete,
    )


# --- JSON -------------------------------------------------------------------


def _text(text: Text | None) -> dict | None:
    return None if text is None else {"id": text.id, "en": text.en}


def _basis(basis: tuple[LegalBasis, ...]) -> list[dict]:
    return [
        {
            "citation": item.citation,
            "marker": item.marker,
            "marker_label": str(MARKER_LABELS[item.marker]),
            "note": _text(item.note),
        }
        for item in basis
    ]


def _timeline_item(item: TimelineItem) -> dict:
    explanation = item.explanation
    return {
        "step": item.step,
        "label": _text(item.label),
        "point": item.point,
        "point_date": item.point_date.isoformat(),
        "counted_from": _text(STEPS[item.step].counted_from),
        "due_date": item.due.isoformat(),
        "due_date_display": display_date(item.due),
        "length": explanation.length,
        "unit": str(explanation.unit),
        "basis": _basis(explanation.basis),
        "marker": weakest_marker(explanation.basis),
        "regime_note": _text(explanation.regime_note),
        "assumption": _text(item.assumption),
    }


def answer_as_json(answer: Answer) -> dict:
    explanation = answer.explanation
    return {
        "step": answer.step,
        "step_label": _text(STEPS[answer.step].label),
        "regime": answer.regime,
        "regime_label": _text(REGIMES[answer.regime].label),
        "date": answer.start.isoformat(),
        "cuti_bersama_working": answer.cuti_bersama_working,
        "counted_from": _text(STEPS[answer.step].counted_from),
        "due_date": explanation.due.isoformat(),
        "due_date_display": display_date(explanation.due),
        "length": explanation.length,
        "unit": str(explanation.unit),
        "counting": _text(explanation.counting),
        "skipped_days": [
            {
                "date": day.day.isoformat(),
                "reason_id": day.reason.id,
                "reason_en": day.reason.en,
                "kind": str(day.source),
                "estimated": day.estimated,
            }
            for day in answer.skipped
        ],
        "basis": _basis(explanation.basis),
        "marker": answer.marker,
        "marker_label": str(MARKER_LABELS[answer.marker]),
        "regime_note": _text(explanation.regime_note),
        "notes": [_text(note) for note in explanation.notes],
        "warnings": [_text(warning) for warning in explanation.warnings],
        "alternative_due_date": (
            explanation.alternative_due.isoformat()
            if explanation.alternative_due
            else None
        ),
        "timeline": [_timeline_item(item) for item in answer.timeline],
        "timeline_complete": answer.timeline_complete,
    }


__all__ = [
    "DISPLAY_FORMAT",
    "Answer",
    "CalculationError",
    "SkippedDay",
    "answer_as_json",
    "calculate",
    "display_date",
    "localized",
    "period_label",
    "weakest_marker",
]
