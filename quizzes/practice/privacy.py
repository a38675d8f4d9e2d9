"""Personal data in the practice app: scenario plays and their answers
(lms/accounts/personal_data.py, docs/privacy.md)."""

from __future__ import annotations

from collections import defaultdict

from lms.accounts.personal_data import PersonalData, deleted_counts

from .models import ScenarioAnswer, ScenarioPlay


def export(user) -> dict:
    answers: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ScenarioAnswer.objects.filter(play__user=user)
        .order_by("play_id", "seq")
        .values(
            "play_id",
            "seq",
            "step_id",
            "kind",
            "value",
            "correct",
            "points",
            "next_step",
            "answered_at",
        )
    ):
        answers[row.pop("play_id")].append(row)
    plays = (
        ScenarioPlay.objects.filter(user=user)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "page_id",
            "page__title",
            "number",
            "course_attempt",
            "status",
            "current_step",
            "path",
            "state",
            "score",
            "max_score",
            "pass_mark",
            "passed",
            "started_at",
            "updated_at",
            "finished_at",
        )
    )
    return {"plays": [_play(row, answers) for row in plays]}


def _play(row: dict, answers: dict[int, list[dict]]) -> dict:
    pk = row.pop("pk")
    scenario = {"id": row.pop("page_id"), "title": row.pop("page__title")}
    return {"scenario": scenario, **row, "answers": answers.get(pk, [])}


def erase(user) -> dict[str, int]:
    """Every play goes, its answers with it (CASCADE)."""
    return deleted_counts(ScenarioPlay.objects.filter(user=user).delete())


PERSONAL_DATA = PersonalData(
    section="practice",
    export=export,
    erase=erase,
    exported=("practice.ScenarioPlay.user",),
)
