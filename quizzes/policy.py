"""Attempt rules as pure functions: may a learner start, may they see their review.

Standard library only; `now` is always an argument. Reasons are stable keys; the
views turn them into translated sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Answers arriving this long after the deadline are still taken: the request may
# have left the browser in time.
GRACE = timedelta(seconds=30)

LIMIT_REACHED = "limit_reached"
WAIT = "wait"

NEVER = "never"
EACH = "each"
PASSED = "passed"
LAST = "last"
PASSED_OR_LAST = "passed_or_last"


@dataclass(frozen=True)
class StartDecision:
    allowed: bool
    reason: str | None = None
    not_before: datetime | None = None


def start_decision(
    *,
    finished: int,
    max_attempts: int,
    last_finished_at: datetime | None,
    wait: timedelta,
    now: datetime,
) -> StartDecision:
    """Whether a new attempt may start, given the finished ones (0 = unlimited)."""
    if max_attempts and finished >= max_attempts:
        return StartDecision(False, LIMIT_REACHED)
    if wait and last_finished_at is not None and now < last_finished_at + wait:
        return StartDecision(False, WAIT, last_finished_at + wait)
    return StartDecision(True)


def attempts_left(*, finished: int, max_attempts: int) -> int | None:
    """None when unlimited."""
    if not max_attempts:
        return None
    return max(0, max_attempts - finished)


def is_overdue(deadline: datetime | None, now: datetime) -> bool:
    """Past the deadline and its grace: answers are no longer taken."""
    return deadline is not None and now > deadline + GRACE


def review_visible(
    when: str, *, attempt_finished: bool, passed_any: bool, no_attempts_left: bool
) -> bool:
    """Whether one part of the review (score, answers, feedback) may be shown."""
    if not attempt_finished or when == NEVER:
        return False
    if when == EACH:
        return True
    if when == PASSED:
        return passed_any
    if when == LAST:
        return no_attempts_left
    if when == PASSED_OR_LAST:
        return passed_any or no_attempts_left
    raise ValueError(f"unknown review option {when!r}")
