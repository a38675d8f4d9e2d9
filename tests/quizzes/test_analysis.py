"""Item analysis on a small example computed by hand, and the policy rules."""

import datetime

import pytest

from quizzes import policy
from quizzes.analysis import AttemptScores, item_statistics, pearson, score_distribution

# Four attempts at three one-point questions (fractions earned):
#        q1  q2  q3  total
#   A1    1   1   0    2
#   A2    1   0   0    1
#   A3    0   1   1    2
#   A4    0   0   0    0
ATTEMPTS = [
    AttemptScores({1: (1, 1), 2: (1, 1), 3: (0, 1)}),
    AttemptScores({1: (1, 1), 2: (0, 1), 3: (0, 1)}),
    AttemptScores({1: (0, 1), 2: (1, 1), 3: (1, 1)}),
    AttemptScores({1: (0, 1), 2: (0, 1), 3: (0, 1)}),
]


def test_facility_is_the_mean_fraction():
    stats = item_statistics(ATTEMPTS)
    assert [stats[q].facility for q in (1, 2, 3)] == [0.5, 0.5, 0.25]


def test_discrimination_is_the_corrected_item_total_correlation():
    # q1 against the rest [1, 0, 2, 0]: r = −0.5 / √2.75 = −0.3015
    # q2 against the rest [1, 1, 1, 0]: r = 0.5 / √0.75 = 0.5774
    # q3 against the rest [2, 1, 1, 0]: r = 0
    stats = item_statistics(ATTEMPTS)
    assert stats[1].discrimination == pytest.approx(-0.30151, abs=1e-5)
    assert stats[2].discrimination == pytest.approx(0.57735, abs=1e-5)
    assert stats[3].discrimination == pytest.approx(0.0, abs=1e-12)


def test_discrimination_needs_three_attempts_and_variance():
    assert item_statistics(ATTEMPTS[:2])[1].discrimination is None
    same = [AttemptScores({1: (1, 1), 2: (f, 1)}) for f in (0, 1, 1)]
    assert item_statistics(same)[1].discrimination is None  # everybody right
    assert pearson([1, 2], [1]) is None


def test_a_question_missing_from_a_drawn_attempt_is_not_counted_there():
    stats = item_statistics([*ATTEMPTS, AttemptScores({1: (1, 1)})])
    assert stats[1].attempts == 5
    assert stats[2].attempts == 4


def test_score_distribution_in_bands_of_ten():
    bands = score_distribution([66.67, 33.33, 66.67, 0, 100, 90])
    counts = {b.low: b.count for b in bands}
    assert counts == {
        0: 1,
        10: 0,
        20: 0,
        30: 1,
        40: 0,
        50: 0,
        60: 2,
        70: 0,
        80: 0,
        90: 2,
    }
    assert (bands[-1].low, bands[-1].high) == (90, 100)


NOW = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("finished", "limit", "last", "wait", "allowed", "reason"),
    [
        (0, 3, None, 0, True, None),
        (3, 3, NOW, 0, False, "limit_reached"),
        (9, 0, NOW, 0, True, None),  # unlimited
        (1, 3, NOW - datetime.timedelta(minutes=10), 30, False, "wait"),
        (1, 3, NOW - datetime.timedelta(minutes=30), 30, True, None),
    ],
)
def test_start_decision(finished, limit, last, wait, allowed, reason):
    decision = policy.start_decision(
        finished=finished,
        max_attempts=limit,
        last_finished_at=last,
        wait=datetime.timedelta(minutes=wait),
        now=NOW,
    )
    assert (decision.allowed, decision.reason) == (allowed, reason)


@pytest.mark.parametrize(
    ("when", "finished", "passed", "none_left", "visible"),
    [
        ("never", True, True, True, False),
        ("each", True, False, False, True),
        ("each", False, False, False, False),  # never before the attempt is finished
        ("passed", True, False, False, False),
        ("passed", True, True, False, True),
        ("last", True, True, False, False),
        ("last", True, False, True, True),
        ("passed_or_last", True, False, False, False),
        ("passed_or_last", True, True, False, True),
        ("passed_or_last", True, False, True, True),
    ],
)
def test_review_visibility(when, finished, passed, none_left, visible):
    assert (
        policy.review_visible(
            when,
            attempt_finished=finished,
            passed_any=passed,
            no_attempts_left=none_left,
        )
        is visible
    )


def test_the_deadline_grace_is_thirty_seconds():
    deadline = NOW
    assert not policy.is_overdue(deadline, NOW + datetime.timedelta(seconds=30))
    assert policy.is_overdue(deadline, NOW + datetime.timedelta(seconds=31))
    assert not policy.is_overdue(None, NOW + datetime.timedelta(days=999))
