"""Benchmark of the KIP legal engine (lms.kip).

Run from the repository root:  .venv/bin/python bench/bench_kip.py

For every step and both regimes, `due_date` is called once for every start date of
2017-01-01..2026-12-31 and each call is timed on its own; the table shows the mean
and p99 in microseconds (timer overhead included). The cold first call (holiday
table and calendar built) is reported separately, as are a first call with new
closures (one more calendar built) and `explain()` / `timeline()`, which do more
work per call.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays  # noqa: E402

from lms.kip import REGIMES, STEPS, due_date, explain, timeline  # noqa: E402

FIRST, LAST = date(2017, 1, 1), date(2026, 12, 31)
STARTS = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


def _timed(call: Callable[[], object]) -> int:
    began = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - began


def _stats(samples: list[int]) -> tuple[float, float]:
    """Mean and p99 in microseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.fmean(samples) / 1000, p99 / 1000


def main() -> None:
    python = sys.version.split()[0]
    print(f"lms.kip benchmark: Python {python}, holidays {holidays.__version__}")
    print(f"start dates {FIRST}..{LAST}: {len(STARTS)} per step and regime\n")

    cold = _timed(partial(due_date, "notice", date(2024, 3, 6)))
    print(f"cold first call (holiday table + calendar built): {cold / 1000:>9,.0f} µs")
    closure = [date(2024, 3, 13)]
    new = _timed(partial(due_date, "notice", date(2024, 3, 6), extra_closed=closure))
    print(
        f"first call with new extra_closed (calendar built): {new / 1000:>8,.0f} µs\n"
    )

    print(f"{'regime':<9} {'step':<19} {'mean µs':>8} {'p99 µs':>8}")
    everything: list[int] = []
    for regime in REGIMES:
        for step in STEPS:
            samples = [
                _timed(partial(due_date, step, start, regime=regime))
                for start in STARTS
            ]
            everything += samples
            mean, p99 = _stats(samples)
            print(f"{regime:<9} {step:<19} {mean:>8.2f} {p99:>8.2f}")
    mean, p99 = _stats(everything)
    print(f"{'all':<29} {mean:>8.2f} {p99:>8.2f}  ({len(everything):,} calls)\n")

    closures = [date(2024, 3, 13), date(2024, 8, 19), date(2025, 2, 3)]
    ordinals = frozenset(day.toordinal() for day in closures)
    for label, extra in (("a list of dates", closures), ("ordinals", ordinals)):
        samples = [
            _timed(partial(due_date, "objection", start, extra_closed=extra))
            for start in STARTS
        ]
        mean, p99 = _stats(samples)
        print(f"due_date, 3 closures as {label:<15} mean {mean:>7.2f}  p99 {p99:>7.2f}")

    sample = STARTS[::7]
    for label, call in (
        ("explain('notice')", partial(explain, "notice")),
        ("explain('dispute_decision')", partial(explain, "dispute_decision")),
        ("timeline(from request, 7 items)", timeline),
    ):
        samples = [_timed(partial(call, start)) for start in sample]
        mean, p99 = _stats(samples)
        print(f"{label:<39} mean {mean:>7.1f}  p99 {p99:>7.1f}")


if __name__ == "__main__":
    main()
