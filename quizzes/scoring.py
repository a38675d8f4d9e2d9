"""Scoring of quiz responses: pure functions over plain values.

Standard library only (enforced by .importlinter and tests/quizzes/test_purity.py).
Every function returns an exact `Fraction` in [0, 1] — the share of the item's
points earned — so that a pass mark of 70 % is met by 7 of 10 and never missed by
a rounding error. Option ids are plain integers; the caller maps them to rows.

Partial credit, by type:

* single choice, true/false: 1 if the chosen option is a correct one, else 0;
* multiple response: (right chosen − wrong chosen) / number of right options,
  floored at 0, so ticking every box earns nothing;
* ordering: the share of adjacent pairs in the learner's order that are also
  adjacent, in that order, in the key (Moodle's "relative to the next item,
  excluding the last"); a step left without a position breaks its pairs;
* matching: the share of premises matched to their answer;
* date: exact day only;
* short text: equal to an accepted alternative after case folding, Unicode
  normalisation and whitespace collapsing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ZERO = Fraction(0)
ONE = Fraction(1)

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "truefalse"
ORDERING = "ordering"
MATCHING = "matching"
DATE = "date"
SHORT = "short"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING, DATE, SHORT)

_SPACE = re.compile(r"\s+")


def normalise_text(value: str) -> str:
    """Case-folded, NFKC-normalised, whitespace collapsed and stripped."""
    value = unicodedata.normalize("NFKC", value)
    return _SPACE.sub(" ", value).strip().casefold()


def score_single(correct: frozenset[int], chosen: int | None) -> Fraction:
    return ONE if chosen is not None and chosen in correct else ZERO


def score_multiple(
    correct: frozenset[int], options: frozenset[int], chosen: Iterable[int]
) -> Fraction:
    if not correct:
        return ZERO
    picked = set(chosen) & options
    right = len(picked & correct)
    wrong = len(picked - correct)
    return max(ZERO, Fraction(right - wrong, len(correct)))


def ordering_from_positions(positions: Mapping[int, int]) -> tuple[int, ...]:
    """Items sorted by the position the learner gave (ties keep id order)."""
    return tuple(
        item for item, _ in sorted(positions.items(), key=lambda p: (p[1], p[0]))
    )


def score_ordering(key: Sequence[int], positions: Mapping[int, int]) -> Fraction:
    if len(key) < 2:
        return ZERO
    wanted = {(a, b) for a, b in zip(key, key[1:], strict=False)}
    given = {item: pos for item, pos in positions.items() if item in set(key)}
    # A repeated position makes the order ambiguous: such items earn no pair.
    counts: dict[int, int] = {}
    for pos in given.values():
        counts[pos] = counts.get(pos, 0) + 1
    clean = {item: pos for item, pos in given.items() if counts[pos] == 1}
    order = ordering_from_positions(clean)
    by_pos = dict(zip(order, (clean[i] for i in order), strict=True))
    hits = sum(
        1
        for a, b in zip(order, order[1:], strict=False)
        if (a, b) in wanted and by_pos[b] == by_pos[a] + 1
    )
    return Fraction(hits, len(key) - 1)


def score_matching(key: Mapping[int, str], pairs: Mapping[int, str]) -> Fraction:
    if not key:
        return ZERO
    hits = sum(
        1
        for premise, answer in key.items()
        if premise in pairs and normalise_text(pairs[premise]) == normalise_text(answer)
    )
    return Fraction(hits, len(key))


def score_date(expected: date, given: date | None) -> Fraction:
    return ONE if given is not None and given == expected else ZERO


def score_short(accepted: Iterable[str], given: str | None) -> Fraction:
    if given is None:
        return ZERO
    wanted = {normalise_text(a) for a in accepted if normalise_text(a)}
    answer = normalise_text(given)
    return ONE if answer and answer in wanted else ZERO


@dataclass(frozen=True)
class Key:
    """What counts as right for one question, whatever its kind."""

    kind: str
    correct: frozenset[int] = frozenset()
    options: frozenset[int] = frozenset()
    order: tuple[int, ...] = ()
    pairs: Mapping[int, str] = field(default_factory=dict)
    expected_date: date | None = None
    accepted: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown question kind {self.kind!r}")


@dataclass(frozen=True)
class Response:
    """A learner's answer, already mapped from the form to option ids."""

    choice: int | None = None
    choices: frozenset[int] = frozenset()
    positions: Mapping[int, int] = field(default_factory=dict)
    pairs: Mapping[int, str] = field(default_factory=dict)
    date: date | None = None
    text: str | None = None


def score(key: Key, response: Response | None) -> Fraction:
    """The share of the question's points that `response` earns."""
    if response is None:
        return ZERO
    if key.kind in (SINGLE, TRUE_FALSE):
        return score_single(key.correct, response.choice)
    if key.kind == MULTIPLE:
        return score_multiple(key.correct, key.options, response.choices)
    if key.kind == ORDERING:
        return score_ordering(key.order, response.positions)
    if key.kind == MATCHING:
        return score_matching(key.pairs, response.pairs)
    if key.kind == DATE:
        if key.expected_date is None:
            return ZERO
        return score_date(key.expected_date, response.date)
    return score_short(key.accepted, response.text)


@dataclass(frozen=True)
class Grade:
    earned: Fraction
    possible: Fraction
    percent: Decimal  # rounded half up to 2 places, for display and storage
    passed: bool


def grade(items: Iterable[tuple[Fraction, Fraction]], *, pass_mark: int) -> Grade:
    """Total of (fraction earned, points) pairs; pass when percent >= pass_mark.

    The pass decision uses the exact fraction, not the rounded percent.
    """
    earned = possible = ZERO
    for fraction, points in items:
        if not ZERO <= fraction <= ONE:
            raise ValueError(f"fraction {fraction} outside [0, 1]")
        earned += fraction * points
        possible += points
    exact = earned / possible * 100 if possible else ZERO
    percent = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Grade(
        earned=earned,
        possible=possible,
        percent=percent,
        passed=bool(possible) and exact >= pass_mark,
    )
