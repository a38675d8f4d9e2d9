"""The completion rule (pure) and the requirement-provider registry."""

import pytest

from courses.completion import (
    RequirementStatus,
    collect_requirements,
    evaluate,
    register_requirement_provider,
    requirement_providers,
    unregister_requirement_provider,
)


def lesson(n, *, done=False, required=True):
    return RequirementStatus(
        key=f"lesson:{n}",
        kind="lesson",
        title=f"L{n}",
        required=required,
        done=done,
        url=f"/l{n}/",
    )


def quiz(n, *, done=True, score=None, required=True):
    return RequirementStatus(
        key=f"quiz:{n}",
        kind="quiz",
        title=f"Q{n}",
        required=required,
        done=done,
        score=score,
    )


def test_a_course_is_complete_when_every_required_lesson_is_done():
    result = evaluate([lesson(1, done=True), lesson(2, done=True)], 70)
    assert result.complete
    assert result.percent == 100


def test_optional_lessons_never_block_completion():
    result = evaluate([lesson(1, done=True), lesson(2, required=False)], 70)
    assert result.complete
    assert result.required_total == 1


def test_progress_counts_required_items_and_points_at_the_first_missing_one():
    result = evaluate([lesson(1, done=True), lesson(2), lesson(3)], 70)
    assert not result.complete
    assert result.percent == 33
    assert result.next_requirement.key == "lesson:2"


def test_a_graded_requirement_must_reach_the_passing_score():
    assert not evaluate([lesson(1, done=True), quiz(1, score=60)], 70).complete
    passed = evaluate([lesson(1, done=True), quiz(1, score=70)], 70)
    assert passed.complete
    assert passed.score == 70


def test_an_empty_course_is_never_complete():
    assert not evaluate([], 70).complete
    assert not evaluate([lesson(1, required=False, done=True)], 70).complete


@pytest.mark.parametrize("score", [-1, 101])
def test_a_passing_score_outside_0_to_100_is_rejected(score):
    with pytest.raises(ValueError):
        evaluate([], score)


class FakeEnrolment:
    def __init__(self, pk):
        self.pk = pk


def test_another_app_can_register_a_provider_without_changing_courses(monkeypatch):
    from courses import completion

    monkeypatch.setattr(completion, "_providers", {})
    register_requirement_provider("lessons", lambda es: {e.pk: [lesson(1)] for e in es})

    def quizzes(enrolments):
        return {e.pk: [quiz(1, score=90)] for e in enrolments}

    register_requirement_provider("test-quizzes", quizzes, order=99)
    try:
        assert requirement_providers()[-1] is quizzes
        collected = collect_requirements([FakeEnrolment(7)])
        assert [s.kind for s in collected[7]] == ["lesson", "quiz"]
    finally:
        unregister_requirement_provider("test-quizzes")
    assert quizzes not in requirement_providers()
