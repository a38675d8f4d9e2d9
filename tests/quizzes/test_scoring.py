"""Scoring of every question type, and the attempt total: pure, no database."""

from datetime import date
from decimal import Decimal
from fractions import Fraction as F

import pytest

from quizzes import scoring
from quizzes.scoring import Key, Response, grade, score


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(2, F(1)), (1, F(0)), (None, F(0)), (99, F(0))],
)
def test_single_choice_scores_the_chosen_option(chosen, expected):
    key = Key("single", correct=frozenset({2}), options=frozenset({1, 2, 3}))
    assert score(key, Response(choice=chosen)) == expected


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(10, F(1)), (11, F(0))],
)
def test_true_false_scores_like_a_single_choice(chosen, expected):
    key = Key("truefalse", correct=frozenset({10}), options=frozenset({10, 11}))
    assert score(key, Response(choice=chosen)) == expected


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({1, 3}, F(1)),  # both right
        ({1}, F(1, 2)),  # one of two
        ({1, 2}, F(0)),  # one right, one wrong
        ({1, 3, 2}, F(1, 2)),  # two right, one wrong
        ({1, 2, 3, 4}, F(0)),  # ticking everything earns nothing
        (set(), F(0)),
        ({2, 4}, F(0)),  # floored at zero
        ({1, 3, 77}, F(1)),  # an id outside the question is ignored
    ],
)
def test_multiple_response_is_right_minus_wrong_over_right(chosen, expected):
    key = Key("multiple", correct=frozenset({1, 3}), options=frozenset({1, 2, 3, 4}))
    assert score(key, Response(choices=frozenset(chosen))) == expected


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        ({5: 1, 6: 2, 7: 3, 8: 4}, F(1)),
        ({5: 4, 6: 3, 7: 2, 8: 1}, F(0)),  # reversed: no pair in order
        ({5: 1, 6: 2, 8: 3, 7: 4}, F(1, 3)),  # 5→6 only
        ({6: 1, 7: 2, 8: 3, 5: 4}, F(2, 3)),  # first moved last: 6→7, 7→8
        ({5: 1, 6: 2}, F(1, 3)),  # steps left without a position
        ({5: 1, 6: 1, 7: 2, 8: 3}, F(1, 3)),  # a repeated position earns no pair: 7→8
        ({}, F(0)),
    ],
)
def test_ordering_counts_adjacent_pairs_in_order(positions, expected):
    key = Key("ordering", order=(5, 6, 7, 8))
    assert score(key, Response(positions=positions)) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ({1: "Berkala", 2: "Serta merta", 3: "Dikecualikan"}, F(1)),
        ({1: "berkala ", 2: "Serta  merta", 3: "Berkala"}, F(2, 3)),
        ({1: "Dikecualikan"}, F(0)),
        ({}, F(0)),
    ],
)
def test_matching_scores_each_premise(pairs, expected):
    key = Key("matching", pairs={1: "Berkala", 2: "Serta merta", 3: "Dikecualikan"})
    assert score(key, Response(pairs=pairs)) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [(date(2024, 4, 25), F(1)), (date(2024, 4, 24), F(0)), (None, F(0))],
)
def test_date_is_graded_exactly(given, expected):
    key = Key("date", expected_date=date(2024, 4, 25))
    assert score(key, Response(date=given)) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Atasan PPID", F(1)),
        ("  atasan   ppid ", F(1)),
        ("ATASAN PPID", F(1)),
        ("Atasan\tPPID\n", F(1)),
        ("Ａｔａｓａｎ PPID", F(1)),  # full-width letters normalised (NFKC)
        ("atasan pejabat ppid", F(1)),  # an accepted alternative
        ("PPID", F(0)),
        ("", F(0)),
        (None, F(0)),
    ],
)
def test_short_text_is_case_and_space_insensitive(given, expected):
    key = Key("short", accepted=("Atasan PPID", "Atasan pejabat PPID"))
    assert score(key, Response(text=given)) == expected


def test_no_response_scores_zero_for_every_kind():
    for kind in scoring.KINDS:
        assert score(Key(kind), None) == 0


def test_an_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="unknown question kind"):
        Key("essay")


def test_grade_passes_at_exactly_the_pass_mark():
    result = grade([(F(1), F(1))] * 7 + [(F(0), F(1))] * 3, pass_mark=70)
    assert result.passed
    assert result.percent == Decimal("70.00")


def test_grade_does_not_round_a_fail_into_a_pass():
    # 2/3 = 66.666…% rounds to 66.67 for display, and fails a 66.67 threshold… but
    # an integer pass mark of 67 must fail while the display shows 66.67.
    result = grade([(F(1), F(1)), (F(1), F(1)), (F(0), F(1))], pass_mark=67)
    assert result.percent == Decimal("66.67")
    assert not result.passed


def test_grade_weights_by_points_and_partial_credit():
    result = grade([(F(1, 2), F(2)), (F(1), F(1)), (F(0), F(1))], pass_mark=50)
    assert result.earned == F(2)
    assert result.possible == F(4)
    assert result.percent == Decimal("50.00")
    assert result.passed


def test_grade_of_nothing_never_passes():
    assert not grade([], pass_mark=0).passed


def test_grade_refuses_a_fraction_outside_zero_to_one():
    with pytest.raises(ValueError):
        grade([(F(3, 2), F(1))], pass_mark=50)
