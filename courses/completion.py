"""When is a course complete: a pure rule plus a registry of requirement providers.

A course is made of requirements: its lessons today; quizzes and scenarios later.
Each app that contributes requirements registers a *provider*: a function that takes
a batch of enrolments and answers, per enrolment id, the status of each requirement
it owns for the enrolment's current attempt. `evaluate()` then decides, with no
database and no clock, whether the requirements add up to a completed course.

    # quizzes/apps.py — no change to courses needed
    from courses.completion import register_requirement_provider

    class QuizzesConfig(AppConfig):
        def ready(self):
            from quizzes.selectors import quiz_requirements
            register_requirement_provider("quizzes", quiz_requirements, order=20)

A provider must run a fixed number of queries for any number of enrolments (the
"My learning" page asks for all of a learner's courses at once). Standard library
only: this module is imported by the rule's tests without Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequirementStatus:
    """One thing a learner has to do (or may do) in a course, and whether it is done.

    `score` is a percentage for graded requirements (quizzes, scenarios); a graded
    requirement counts as met only when it is done *and* reaches the course's
    passing score. `url` is where the learner goes to work on it.
    """

    key: str  # unique within a course, e.g. "lesson:42", "quiz:7"
    kind: str  # "lesson", "quiz", "scenario"
    title: str
    required: bool = True
    done: bool = False
    score: int | None = None
    url: str | None = None

    def met(self, passing_score: int) -> bool:
        if not self.done:
            return False
        return self.score is None or self.score >= passing_score


@dataclass(frozen=True)
class CompletionResult:
    complete: bool
    required_total: int
    required_met: int
    # Required requirements still unmet, in course order: the first is where to resume.
    missing: tuple[RequirementStatus, ...] = ()
    # Mean score of the graded required requirements, when there are any.
    score: int | None = None

    @property
    def percent(self) -> int:
        if self.required_total == 0:
            return 100 if self.complete else 0
        return (100 * self.required_met) // self.required_total

    @property
    def next_requirement(self) -> RequirementStatus | None:
        return self.missing[0] if self.missing else None


def evaluate(
    requirements: Sequence[RequirementStatus], passing_score: int
) -> CompletionResult:
    """Complete when every required requirement is met; optional ones never block.

    A course with no required requirement at all is not complete: an empty course
    (nothing published yet) must not hand out certificates.
    """
    if not 0 <= passing_score <= 100:
        raise ValueError(f"passing_score must be 0–100, not {passing_score!r}")
    required = [r for r in requirements if r.required]
    missing = tuple(r for r in required if not r.met(passing_score))
    scores = [r.score for r in required if r.score is not None]
    return CompletionResult(
        complete=bool(required) and not missing,
        required_total=len(required),
        required_met=len(required) - len(missing),
        missing=missing,
        score=round(sum(scores) / len(scores)) if scores else None,
    )


# Enrolments in, {enrolment id: statuses in course order} out.
Provider = Callable[[Sequence[Any]], Mapping[int, Sequence[RequirementStatus]]]


@dataclass(frozen=True)
class _Registration:
    name: str
    provider: Provider = field(compare=False)
    order: int = 0


_providers: dict[str, _Registration] = {}


def register_requirement_provider(name: str, provider: Provider, *, order: int = 0):
    """Add (or replace, by name) a provider; lower `order` comes first in the course."""
    _providers[name] = _Registration(name, provider, order)
    return provider


def unregister_requirement_provider(name: str) -> None:
    _providers.pop(name, None)


def requirement_providers() -> list[Provider]:
    return [r.provider for r in sorted(_providers.values(), key=lambda r: r.order)]


def collect_requirements(
    enrolments: Sequence[Any],
) -> dict[int, list[RequirementStatus]]:
    """Every provider's statuses for each enrolment, providers in `order`."""
    collected: dict[int, list[RequirementStatus]] = {e.pk: [] for e in enrolments}
    if not enrolments:
        return collected
    for provider in requirement_providers():
        for enrolment_id, statuses in provider(enrolments).items():
            collected.setdefault(enrolment_id, []).extend(statuses)
    return collected
