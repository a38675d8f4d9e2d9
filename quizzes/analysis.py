"""Item analysis of a quiz: pure functions over plain values.

Standard library only. Input is one `AttemptScores` per graded attempt: the
fraction earned on each question it contained (0..1) and the points each was
worth. Output per question:

* facility index — the mean fraction earned (0 = nobody, 1 = everybody right);
* discrimination index — the **corrected item-total correlation**: Pearson's r
  between the item's fraction and the attempt's score on the *rest* of the test
  (total points minus this item's points), so an item does not correlate with
  itself. Undefined (None) with fewer than 3 attempts or when either side has no
  variance. Rule of thumb: below 0.2 look at the question, negative means the
  stronger learners tend to get it wrong (often a wrong key);
* how often each option was chosen (counted by the caller, passed through).

Also a score distribution in ten bands of 10 % (the last band includes 100 %).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_ATTEMPTS_FOR_DISCRIMINATION = 3


@dataclass(frozen=True)
class AttemptScores:
    # question id -> (fraction earned 0..1, points the question was worth)
    items: Mapping[int, tuple[float, float]]


@dataclass(frozen=True)
class ItemStats:
    question: int
    attempts: int
    facility: float | None
    discrimination: float | None
    mean_points: float | None
    sd: float | None


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    count: int


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def stdev(values: Sequence[float]) -> float | None:
    """Population standard deviation."""
    if not values:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(attempts: Iterable[AttemptScores]) -> dict[int, ItemStats]:
    attempts = list(attempts)
    totals = [sum(f * p for f, p in a.items.values()) for a in attempts]
    questions = sorted({q for a in attempts for q in a.items})
    result = {}
    for question in questions:
        fractions: list[float] = []
        rests: list[float] = []
        for attempt, total in zip(attempts, totals, strict=True):
            if question not in attempt.items:
                continue  # a random draw may leave a question out of an attempt
            fraction, points = attempt.items[question]
            fractions.append(fraction)
            rests.append(total - fraction * points)
        discrimination = (
            pearson(fractions, rests)
            if len(fractions) >= MIN_ATTEMPTS_FOR_DISCRIMINATION
            else None
        )
        result[question] = ItemStats(
            question=question,
            attempts=len(fractions),
            facility=mean(fractions),
            discrimination=discrimination,
            mean_points=mean(
                [
                    f * attempt.items[question][1]
                    for f, attempt in zip(
                        fractions,
                        [a for a in attempts if question in a.items],
                        strict=True,
                    )
                ]
            ),
            sd=stdev(fractions),
        )
    return result


def score_distribution(percents: Iterable[float]) -> list[Band]:
    counts = [0] * 10
    for percent in percents:
        counts[min(9, max(0, int(percent // 10)))] += 1
    return [
        Band(low=i * 10, high=i * 10 + (10 if i == 9 else 9), count=c)
        for i, c in enumerate(counts)
    ]
