"""Answers a learner would give, found from the data and the engine (never typed)."""

from __future__ import annotations

from quizzes.practice.adapters import kip_oracle
from quizzes.scenarios import (
    ChecklistStep,
    ClassificationStep,
    DeadlineStep,
    DecisionStep,
    Scenario,
    deadline_for,
)


def best_post(scenario: Scenario, step_id: str) -> dict:
    """The POST data of the best answer to `step_id` (as the browser sends it)."""
    step = scenario.step(step_id)
    data: dict = {"step": step_id}
    if isinstance(step, DecisionStep):
        data["choice"] = max(step.choices, key=lambda c: c.points).id
    elif isinstance(step, DeadlineStep):
        data["date"] = deadline_for(scenario, step, oracle=kip_oracle()).due.isoformat()
    elif isinstance(step, ClassificationStep):
        for item in step.items:
            data[f"item-{item.id}"] = item.answer_key
    elif isinstance(step, ChecklistStep):
        data["element"] = [e.id for e in step.elements if e.correct]
    return data


def worst_post(scenario: Scenario, step_id: str) -> dict:
    """A wrong (but well-formed) answer to `step_id`."""
    step = scenario.step(step_id)
    data: dict = {"step": step_id}
    if isinstance(step, DecisionStep):
        data["choice"] = min(step.choices, key=lambda c: c.points).id
    elif isinstance(step, DeadlineStep):
        due = deadline_for(scenario, step, oracle=kip_oracle()).due
        data["date"] = due.replace(day=1 if due.day != 1 else 2).isoformat()
    elif isinstance(step, ClassificationStep):
        for item in step.items:
            data[f"item-{item.id}"] = (
                "berkala" if item.category != "berkala" else "setiap_saat"
            )
    elif isinstance(step, ChecklistStep):
        data["element"] = [e.id for e in step.elements if not e.correct] or [
            step.elements[0].id
        ]
    return data
