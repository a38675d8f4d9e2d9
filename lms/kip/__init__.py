"""The KIP legal engine: working days, statutory steps and deadlines of KIP cases.

Pure Python (standard library and `holidays` only; no Django or Wagtail, enforced by
.importlinter), so the calculator page, the courses and the quizzes share one answer.
Dates are passed in; nothing reads the clock. Every invalid input raises `KipError`,
a `ValueError`. See docs/decisions/0001-working-day-counting.md and
0002-election-regime.md.

    >>> from datetime import date
    >>> from lms.kip import due_date
    >>> due_date("notice", date(2024, 3, 6))
    datetime.date(2024, 3, 22)
"""

from lms.kip.calendar import (
    FIRST_YEAR,
    KNOWN_YEARS,
    LAST_YEAR,
    ClosedDay,
    Source,
    WorkingCalendar,
    add_working_days,
    as_ordinals,
    closed_days,
    is_working_day,
    working_calendar,
    working_days_between,
)
from lms.kip.common import KipError, Text
from lms.kip.deadlines import (
    TIMELINE_POINTS,
    Explanation,
    TimelineItem,
    due_date,
    explain,
    timeline,
)
from lms.kip.rules import REGIMES, STEPS, LegalBasis, Regime, Rule, Step, Unit

__all__ = [
    "FIRST_YEAR",
    "KNOWN_YEARS",
    "LAST_YEAR",
    "REGIMES",
    "STEPS",
    "TIMELINE_POINTS",
    "ClosedDay",
    "Explanation",
    "KipError",
    "LegalBasis",
    "Regime",
    "Rule",
    "Source",
    "Step",
    "Text",
    "TimelineItem",
    "Unit",
    "WorkingCalendar",
    "add_working_days",
    "as_ordinals",
    "closed_days",
    "due_date",
    "explain",
    "is_working_day",
    "timeline",
    "working_calendar",
    "working_days_between",
]
