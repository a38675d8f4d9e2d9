"""Shared helpers for the scenario engine tests: a fake oracle, builders, a solver."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from quizzes.scenarios import (
    ChecklistStep,
    ClassificationStep,
    Deadline,
    DeadlineStep,
    DecisionStep,
    EndingStep,
    PlayState,
    Scenario,
    StepResult,
    Text,
    advance,
    deadline_for,
    start,
)
from quizzes.scenarios.engine import DeadlineOracle, SkippedDay

NOW = datetime(2024, 3, 7, 9, 30, tzinfo=UTC)

# Calendar days per legal step: easy to check by hand, and unlike lms.kip.
FAKE_DAYS = {
    "notice": 10,
    "notice_extended": 17,
    "objection": 30,
    "objection_response": 30,
    "dispute": 14,
    "dispute_start": 14,
    "dispute_decision": 100,
    "court_objection": 14,
    "cassation": 14,
}


class FakeOracle:
    """Adds calendar days; records its calls; rejects unknown steps like lms.kip."""

    def __init__(self, days: dict[str, int] | None = None) -> None:
        self.days = FAKE_DAYS if days is None else days
        self.calls: list[tuple[str, date, str]] = []

    def __call__(self, legal_step: str, start: date, *, regime: str) -> Deadline:
        self.calls.append((legal_step, start, regime))
        if legal_step not in self.days:
            raise ValueError(f"Unknown step {legal_step!r}")
        if regime not in ("general", "election"):
            raise ValueError(f"Unknown regime {regime!r}")
        length = self.days[legal_step] // (3 if regime == "election" else 1)
        return Deadline(
            legal_step=legal_step,
            regime=regime,
            start=start,
            due=start + timedelta(days=length),
            label=Text(f"Langkah {legal_step}", f"Step {legal_step}"),
            basis=("Pasal Uji [V]",),
            counting=Text(f"{length} hari", f"{length} days"),
            skipped=(SkippedDay(start + timedelta(days=1), Text("Libur uji", "Test")),),
            notes=(Text("catatan", "note"),),
        )


def case(**events: str) -> dict[str, Any]:
    return {
        "requester": "Pemohon Uji",
        "request": "Salinan dokumen uji",
        "office": "KPU Kabupaten Gianyar",
        "regime": "general",
        "events": events or {"received_on": "2024-03-06"},
    }


def scenario_dict(
    steps: list[dict[str, Any]],
    *,
    start: str | None = None,
    max_score: int = 0,
    pass_mark: int = 0,
    **case_events: str,
) -> dict[str, Any]:
    return {
        "slug": "uji",
        "title": "Skenario uji",
        "course": "dasar-kip",
        "start": start or steps[0]["id"],
        "max_score": max_score,
        "pass_mark": pass_mark,
        "case": case(**case_events),
        "steps": steps,
    }


def decision(step_id: str, *choices: tuple[str, str, int], title: str = "") -> dict:
    """choices: (choice id, next, points)."""
    return {
        "id": step_id,
        "kind": "decision",
        "title": title or f"Keputusan {step_id}",
        "narrative": "Apa yang Anda lakukan?",
        "choices": [
            {"id": cid, "text": f"Pilihan {cid}", "points": pts, "next": nxt}
            for cid, nxt, pts in choices
        ],
    }


def deadline(step_id: str, next_: Any, *, points: int = 3, **extra: Any) -> dict:
    data = {
        "id": step_id,
        "kind": "deadline",
        "title": f"Tenggat {step_id}",
        "legal_step": "notice",
        "start": {"event": "received_on"},
        "points": points,
        "next": next_,
    }
    data.update(extra)
    return data


def ending(step_id: str) -> dict:
    return {
        "id": step_id,
        "kind": "ending",
        "title": f"Akhir {step_id}",
        "outcome": "Selesai",
    }


def classification(step_id: str, next_: Any, **extra: Any) -> dict:
    data = {
        "id": step_id,
        "kind": "classification",
        "title": "Klasifikasi",
        "items": [
            {"id": "lra", "text": "Laporan keuangan", "category": "berkala"},
            {"id": "sk", "text": "SK penetapan", "category": "setiap_saat"},
            {
                "id": "ijazah",
                "text": "Ijazah peserta",
                "category": "dikecualikan",
                "letter": "h",
            },
        ],
        "next": next_,
    }
    data.update(extra)
    return data


def checklist(step_id: str, next_: Any, **extra: Any) -> dict:
    data = {
        "id": step_id,
        "kind": "checklist",
        "title": "Daftar periksa",
        "elements": [
            {"id": "a", "text": "Unsur a", "correct": True},
            {"id": "c", "text": "Unsur c", "correct": True},
            {"id": "x", "text": "Pengecoh", "correct": False},
        ],
        "next": next_,
    }
    data.update(extra)
    return data


def build(data: dict[str, Any]) -> Scenario:
    return Scenario.from_dict(copy.deepcopy(data))


# --- the solver ----------------------------------------------------------------------


def best_answer(scenario: Scenario, step_id: str, oracle: DeadlineOracle) -> Any:
    """The answer that scores the step's maximum, found from the data and the oracle."""
    step = scenario.step(step_id)
    if isinstance(step, DecisionStep):
        return max(step.choices, key=lambda c: c.points).id
    if isinstance(step, DeadlineStep):
        return deadline_for(scenario, step, oracle=oracle).due.isoformat()
    if isinstance(step, ClassificationStep):
        return {item.id: item.answer_key for item in step.items}
    if isinstance(step, ChecklistStep):
        return [e.id for e in step.elements if e.correct]
    raise AssertionError(f"{step_id} is an ending")


def worst_answer(scenario: Scenario, step_id: str, oracle: DeadlineOracle) -> Any:
    step = scenario.step(step_id)
    if isinstance(step, DecisionStep):
        return min(step.choices, key=lambda c: c.points).id
    if isinstance(step, DeadlineStep):
        due = deadline_for(scenario, step, oracle=oracle).due
        return (due + timedelta(days=1)).isoformat()
    if isinstance(step, ClassificationStep):
        return {item.id: wrong_category(item.answer_key) for item in step.items}
    if isinstance(step, ChecklistStep):
        wrong = [e.id for e in step.elements if not e.correct]
        return wrong or [step.elements[0].id]
    raise AssertionError(f"{step_id} is an ending")


def wrong_category(key: str) -> str:
    return "setiap_saat" if key == "berkala" else "berkala"


def play(
    scenario: Scenario,
    oracle: DeadlineOracle,
    choose=best_answer,
    *,
    limit: int = 50,
) -> tuple[PlayState, list[StepResult]]:
    state = start(scenario)
    results = []
    while not state.finished:
        assert len(results) < limit, f"no ending after {limit} moves: {state.path}"
        answer = choose(scenario, state.current, oracle)
        result = advance(
            scenario, state, answer, step_id=state.current, now=NOW, oracle=oracle
        )
        results.append(result)
        state = result.new_state
    assert isinstance(scenario.step(state.current), EndingStep)
    return state, results
