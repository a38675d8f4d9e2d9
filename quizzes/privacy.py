"""Personal data in the quizzes app: attempts with their scores and answers
(lms/accounts/personal_data.py, docs/privacy.md)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from lms.accounts.personal_data import PersonalData, deleted_counts

from .models import Attempt, AttemptAnswer


def export(user) -> dict:
    answers: dict[int, list[dict]] = defaultdict(list)
    for row in (
        AttemptAnswer.objects.filter(attempt__user=user)
        .order_by("attempt_id", "slot")
        .values(
            "attempt_id",
            "slot",
            "question_id",
            "response",
            "saved_at",
            "fraction",
            "points",
            question_name=F("question__name"),
        )
    ):
        answers[row.pop("attempt_id")].append(row)
    attempts = (
        Attempt.objects.filter(user=user)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "quiz_id",
            "quiz__title",
            "number",
            "course_attempt",
            "state",
            "started_at",
            "deadline",
            "finished_at",
            "finished_by",
            "points_earned",
            "points_possible",
            "score",
            "pass_mark",
            "passed",
        )
    )
    return {"attempts": [_attempt(row, answers) for row in attempts]}


def _attempt(row: dict, answers: dict[int, list[dict]]) -> dict:
    pk = row.pop("pk")
    quiz = {"id": row.pop("quiz_id"), "title": row.pop("quiz__title")}
    return {"quiz": quiz, **row, "answers": answers.get(pk, [])}


def erase(user) -> dict[str, int]:
    """Every attempt goes, its answers with it (CASCADE)."""
    return deleted_counts(Attempt.objects.filter(user=user).delete())


PERSONAL_DATA = PersonalData(
    section="quizzes",
    export=export,
    erase=erase,
    exported=("quizzes.Attempt.user",),
)
