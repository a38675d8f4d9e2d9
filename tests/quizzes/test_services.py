"""Attempt services: draw, resume, limits, time limit, grading once, refusals."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.layout import AnswerRefused
from quizzes.models import Attempt, AttemptAnswer, Choice
from quizzes.services import (
    AttemptClosed,
    AttemptRefused,
    attempt_finish_overdue,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)

from .factories import (
    CategoryFactory,
    UserFactory,
    enrol,
    quiz_page,
    single,
)

NOW = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def right_answers(attempt):
    """Responses that earn full marks, built the way the server stores them."""
    responses = {}
    for entry in attempt.layout:
        q = entry["q"]
        choices = list(Choice.objects.filter(question_id=q).order_by("sort_order"))
        kind = entry["kind"]
        if kind in ("single", "truefalse"):
            responses[entry["slot"]] = {
                "choice": next(c.pk for c in choices if c.is_correct)
            }
        elif kind == "multiple":
            responses[entry["slot"]] = {
                "choices": [c.pk for c in choices if c.is_correct]
            }
        elif kind == "ordering":
            responses[entry["slot"]] = {
                "positions": {str(c.pk): i for i, c in enumerate(choices, 1)}
            }
        elif kind == "matching":
            responses[entry["slot"]] = {
                "pairs": {str(c.pk): c.match_text for c in choices if c.text}
            }
        elif kind == "date":
            from quizzes.models import Question

            responses[entry["slot"]] = {
                "date": Question.objects.get(pk=q).expected_date().isoformat()
            }
        else:
            responses[entry["slot"]] = {"text": choices[0].text.upper()}
    return responses


def test_starting_fixes_questions_and_option_order_in_the_attempt(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW, rng=random.Random(1))
    assert attempt.number == 1
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert len(attempt.layout) == 7
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 7
    # Starting again resumes the same attempt with the same layout.
    again = attempt_start(user=learner, quiz=quiz, now=NOW, rng=random.Random(2))
    assert again.pk == attempt.pk
    assert again.layout == attempt.layout


def test_tokens_are_opaque_and_never_option_ids(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    tokens = [t for e in attempt.layout for t, _ in e["opts"] + e.get("answers", [])]
    ids = {str(c) for c in Choice.objects.values_list("pk", flat=True)}
    assert len(tokens) == len(set(tokens))
    assert not set(tokens) & ids
    assert all(len(t) == 8 for t in tokens)


def test_random_draw_takes_n_per_category_and_differs_between_attempts(course, learner):
    a, b = CategoryFactory(), CategoryFactory()
    pool_a = [single(a) for _ in range(6)]
    pool_b = [single(b) for _ in range(6)]
    quiz = quiz_page(course[1], draws=[(a, 2), (b, 3)], max_attempts=0)
    layouts = []
    for seed in range(4):
        attempt = attempt_start(
            user=learner, quiz=quiz, now=NOW, rng=random.Random(seed)
        )
        drawn = [e["q"] for e in attempt.layout]
        assert len(drawn) == 5 == len(set(drawn))
        assert sum(q in {x.pk for x in pool_a} for q in drawn) == 2
        assert sum(q in {x.pk for x in pool_b} for q in drawn) == 3
        layouts.append(sorted(drawn))
        attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
    assert len({tuple(x) for x in layouts}) > 1


def test_full_marks_for_right_answers_of_every_kind(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    attempt_save_answers(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        version=attempt.version,
        responses=right_answers(attempt),
        now=NOW,
    )
    graded = attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
    assert graded.score == Decimal("100.00")
    assert graded.passed
    assert graded.times_graded == 1
    assert graded.finished_by == Attempt.FinishedBy.LEARNER


def test_submitting_twice_grades_once(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    first = attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
    later = NOW + datetime.timedelta(minutes=5)
    second = attempt_submit(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        now=later,
        responses=right_answers(attempt),
    )
    assert second.finished_at == first.finished_at == NOW
    assert second.score == Decimal("0.00")
    assert Attempt.objects.get(pk=attempt.pk).times_graded == 1


def test_answers_to_a_submitted_attempt_are_refused(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    version = attempt.version
    attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
    with pytest.raises(AttemptClosed) as exc:
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            version=version,
            responses=right_answers(attempt),
            now=NOW,
        )
    assert exc.value.code == services.FINISHED
    assert not AttemptAnswer.objects.filter(
        attempt=attempt, response__isnull=False
    ).exists()


def test_a_stale_version_is_refused(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    with pytest.raises(AttemptClosed) as exc:
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            version=attempt.version + 5,
            responses={1: None},
            now=NOW,
        )
    assert exc.value.code == services.STALE


def test_an_answer_to_a_slot_outside_the_attempt_is_refused(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    with pytest.raises(AnswerRefused):
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            version=attempt.version,
            responses={99: {"text": "x"}},
            now=NOW,
        )


def test_another_learners_attempt_cannot_be_written(quiz, learner, course):
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    other = UserFactory()
    enrol(other, course[0])
    with pytest.raises(Attempt.DoesNotExist):
        attempt_save_answers(
            attempt_id=attempt.pk, user_id=other.pk, version=1, responses={}, now=NOW
        )
    with pytest.raises(Attempt.DoesNotExist):
        attempt_submit(attempt_id=attempt.pk, user_id=other.pk, now=NOW)


class TestTimeLimit:
    @pytest.fixture
    def timed(self, course, questions):
        return quiz_page(course[1], questions, time_limit_minutes=10)

    def test_the_deadline_is_stored_at_start(self, timed, learner):
        attempt = attempt_start(user=learner, quiz=timed, now=NOW)
        assert attempt.deadline == NOW + datetime.timedelta(minutes=10)

    def test_answers_within_the_grace_are_taken(self, timed, learner):
        attempt = attempt_start(user=learner, quiz=timed, now=NOW)
        late = NOW + datetime.timedelta(minutes=10, seconds=25)
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            version=attempt.version,
            responses=right_answers(attempt),
            now=late,
        )
        graded = attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=late)
        assert graded.score == Decimal("100.00")
        assert graded.finished_by == Attempt.FinishedBy.LEARNER

    def test_answers_after_deadline_and_grace_are_refused_and_the_attempt_graded(
        self, timed, learner
    ):
        attempt = attempt_start(user=learner, quiz=timed, now=NOW)
        responses = right_answers(attempt)
        first = dict(list(responses.items())[:2])
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            version=attempt.version,
            responses=first,
            now=NOW + datetime.timedelta(minutes=9),
        )
        too_late = NOW + datetime.timedelta(minutes=10, seconds=31)
        with pytest.raises(AttemptClosed) as exc:
            attempt_save_answers(
                attempt_id=attempt.pk,
                user_id=learner.pk,
                version=attempt.version,
                responses=responses,
                now=too_late,
            )
        assert exc.value.code == services.TIME_UP
        graded = Attempt.objects.get(pk=attempt.pk)
        assert graded.state == Attempt.State.FINISHED
        assert graded.finished_by == Attempt.FinishedBy.TIME_UP
        # Graded with the two answers saved in time only.
        assert graded.points_earned == Decimal(2)

    def test_a_late_submit_drops_its_answers(self, timed, learner):
        attempt = attempt_start(user=learner, quiz=timed, now=NOW)
        graded = attempt_submit(
            attempt_id=attempt.pk,
            user_id=learner.pk,
            responses=right_answers(attempt),
            now=NOW + datetime.timedelta(hours=1),
        )
        assert graded.finished_by == Attempt.FinishedBy.TIME_UP
        assert graded.score == Decimal("0.00")

    def test_the_sweep_grades_overdue_attempts_once(self, timed, learner):
        attempt = attempt_start(user=learner, quiz=timed, now=NOW)
        assert not attempt_finish_overdue(attempt_id=attempt.pk, now=NOW)
        later = NOW + datetime.timedelta(minutes=11)
        from quizzes.tasks import finish_overdue_attempts

        with _frozen(later):
            assert finish_overdue_attempts() == 1
            assert finish_overdue_attempts() == 0
        graded = Attempt.objects.get(pk=attempt.pk)
        assert graded.finished_by == Attempt.FinishedBy.TIME_UP
        assert graded.times_graded == 1

    def test_starting_again_after_the_deadline_grades_the_old_attempt_first(
        self, timed, learner
    ):
        old = attempt_start(user=learner, quiz=timed, now=NOW)
        new = attempt_start(
            user=learner, quiz=timed, now=NOW + datetime.timedelta(hours=1)
        )
        assert new.pk != old.pk
        assert new.number == 2
        assert Attempt.objects.get(pk=old.pk).finished_by == Attempt.FinishedBy.TIME_UP

    def test_a_refused_start_keeps_the_grading_of_the_overdue_attempt(
        self, course, questions, learner
    ):
        quiz = quiz_page(course[1], questions, time_limit_minutes=10, max_attempts=1)
        old = attempt_start(user=learner, quiz=quiz, now=NOW)
        with pytest.raises(AttemptRefused) as exc:
            attempt_start(
                user=learner, quiz=quiz, now=NOW + datetime.timedelta(hours=1)
            )
        assert exc.value.code == "limit_reached"
        graded = Attempt.objects.get(pk=old.pk)
        assert graded.state == Attempt.State.FINISHED
        assert graded.finished_by == Attempt.FinishedBy.TIME_UP
        assert graded.times_graded == 1


def _frozen(moment):
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)


class TestLimits:
    def test_the_attempt_limit_is_enforced(self, course, questions, learner):
        quiz = quiz_page(course[1], questions, max_attempts=2)
        for _ in range(2):
            attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
            attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
        with pytest.raises(AttemptRefused) as exc:
            attempt_start(user=learner, quiz=quiz, now=NOW)
        assert exc.value.code == "limit_reached"

    def test_the_wait_between_attempts_is_enforced(self, course, questions, learner):
        quiz = quiz_page(course[1], questions, wait_minutes=60, max_attempts=0)
        attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
        attempt_submit(attempt_id=attempt.pk, user_id=learner.pk, now=NOW)
        with pytest.raises(AttemptRefused) as exc:
            attempt_start(
                user=learner, quiz=quiz, now=NOW + datetime.timedelta(minutes=59)
            )
        assert exc.value.code == "wait"
        assert exc.value.not_before == NOW + datetime.timedelta(minutes=60)
        assert (
            attempt_start(
                user=learner, quiz=quiz, now=NOW + datetime.timedelta(minutes=60)
            ).number
            == 2
        )

    def test_a_learner_not_enrolled_cannot_start(self, quiz):
        with pytest.raises(AttemptRefused) as exc:
            attempt_start(user=UserFactory(), quiz=quiz, now=NOW)
        assert exc.value.code == services.NOT_ENROLLED

    def test_an_empty_quiz_cannot_start(self, course, learner):
        quiz = quiz_page(course[1], [])
        with pytest.raises(AttemptRefused) as exc:
            attempt_start(user=learner, quiz=quiz, now=NOW)
        assert exc.value.code == services.EMPTY_QUIZ


def test_the_pass_mark_defaults_to_the_courses_passing_score(
    course, questions, learner
):
    quiz = quiz_page(course[1], questions)
    assert attempt_start(user=learner, quiz=quiz, now=timezone.now()).pass_mark == 70
    quiz2 = quiz_page(course[1], questions, pass_mark=90)
    assert attempt_start(user=learner, quiz=quiz2, now=timezone.now()).pass_mark == 90
