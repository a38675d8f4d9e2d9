"""The default deadline oracle: the legal engine `lms.kip`, which is pure as well.

The engine itself never imports `lms.kip`; callers pass an oracle. The Django side
builds one per office, with the administrator's closures:

    oracle = KipOracle(extra_closed=office_closures, extra_open=office_openings)
    advance(scenario, state, "2024-03-22", step_id="tenggat", now=now, oracle=oracle)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lms.kip import explain
from quizzes.scenarios.engine import Deadline, SkippedDay
from quizzes.scenarios.model import Text


@dataclass(frozen=True)
class KipOracle:
    """Due dates from `lms.kip.explain()`; its `KipError` is a `ValueError`."""

    cuti_bersama_working: bool = False
    extra_closed: tuple[date, ...] = ()
    extra_open: tuple[date, ...] = ()

    @classmethod
    def with_closures(
        cls,
        *,
        cuti_bersama_working: bool = False,
        extra_closed: Iterable[date] = (),
        extra_open: Iterable[date] = (),
    ) -> KipOracle:
        return cls(cuti_bersama_working, tuple(extra_closed), tuple(extra_open))

    def __call__(self, legal_step: str, start: date, *, regime: str) -> Deadline:
        found = explain(
            legal_step,
            start,
            regime=regime,
            cuti_bersama_working=self.cuti_bersama_working,
            extra_closed=self.extra_closed,
            extra_open=self.extra_open,
        )
        notes = [found.regime_note] if found.regime_note else []
        notes += [*found.notes, *found.warnings]
        return Deadline(
            legal_step=found.step,
            regime=found.regime,
            start=found.start,
            due=found.due,
            label=Text(found.label.id, found.label.en),
            basis=tuple(f"{b.citation} [{b.marker}]" for b in found.basis),
            counting=Text(found.counting.id, found.counting.en),
            skipped=tuple(
                SkippedDay(day.day, Text(day.reason.id, day.reason.en))
                for day in found.skipped
            ),
            notes=tuple(Text(note.id, note.en) for note in notes),
        )
