"""Between Wagtail and the pure scenario engine: page + StreamField ⇄ engine dict.

`scenario_data(source, course_slug=...)` reads a ScenarioPage (or anything with its
fields, such as a form's cleaned data) into the engine's JSON form;
`scenario_from_data()` parses it with `Scenario.from_dict()` and sets the maximum
score to what the graph can reach (the engine requires the two to be equal, so an
author never types it). `page_values()` goes the other way, for the demo content
and the round-trip tests. `check_scenario()` is what every save, the diagram and
the preview ask: the parsed scenario and the engine's problems, with the legal
engine's oracle built from the administrator's stored calendar overrides.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.text import slugify
from django.utils.translation import get_language

from lms.deadlines.selectors import calendar_overrides
from quizzes.scenarios import (
    STANDARD_EVENTS,
    KipOracle,
    Problem,
    Scenario,
    ScenarioFormatError,
    Text,
    max_achievable,
    validate,
)
from quizzes.scenarios.model import ID_RE

from .blocks import (
    ANSWER_CORRECT,
    ANSWER_IN,
    ANSWER_IS,
    ANSWER_WRONG,
    SCORE_CONDITIONS,
)

# The page has one date field per standard case event, named like the event.
EVENT_FIELDS: tuple[str, ...] = tuple(STANDARD_EVENTS)
CASE_FIELDS = {
    "requester": "case_requester",
    "request": "case_request",
    "office": "case_office",
    "regime": "case_regime",
    "summary": "case_summary",
}


def localized(text: Text | None) -> str:
    """An engine text in the active language (Indonesian unless English is active)."""
    if text is None:
        return ""
    return text.en if (get_language() or "id").startswith("en") else text.id


def kip_oracle() -> KipOracle:
    """The legal engine with the administrator's closures and openings (cached)."""
    closed, opened = calendar_overrides()
    return KipOracle.with_closures(
        extra_closed=sorted(closed), extra_open=sorted(opened)
    )


def engine_id(value: str, *, fallback: str) -> str:
    """`value` as an engine identifier (lowercase, at most 64 characters)."""
    if value and ID_RE.match(value):
        return value
    candidate = slugify(value or "")[:64].strip("-_")
    return candidate if candidate and ID_RE.match(candidate) else fallback


# --- page → engine dict ---------------------------------------------------------------


def scenario_data(source: Any, *, course_slug: str) -> dict[str, Any]:
    """The engine's dict for a ScenarioPage-like `source` (max_score still 0)."""
    steps = [step_data(child.block_type, child.value) for child in source.steps or ()]
    first = steps[0].get("id", "") if steps else ""
    documents = [
        line.strip()
        for line in (source.case_documents or "").splitlines()
        if line.strip()
    ]
    events = {
        name: getattr(source, name).isoformat()
        for name in EVENT_FIELDS
        if getattr(source, name, None) is not None
    }
    return {
        "slug": engine_id(source.slug or "", fallback="skenario"),
        "title": source.title or "",
        "course": engine_id(course_slug, fallback="kursus"),
        "summary": source.summary or "",
        "version": 1,
        "start": (source.start_step or "").strip() or first,
        "max_score": 0,
        "pass_mark": source.pass_mark,
        "case": {
            **{key: getattr(source, name) or "" for key, name in CASE_FIELDS.items()},
            "documents": documents,
            "events": events,
        },
        "steps": steps,
    }


def scenario_from_data(data: Mapping[str, Any]) -> Scenario:
    """Parse `data`; the maximum score is what the graph can reach.

    Raises `ScenarioFormatError` (with the step and field) for malformed data.
    """
    parsed = Scenario.from_dict({**data, "max_score": 0})
    return replace(parsed, max_score=max_achievable(parsed))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _next(value: Mapping[str, Any] | None) -> str | list[dict[str, Any]]:
    value = value or {}
    goto = _text(value.get("goto")).strip()
    branches = list(value.get("branches") or ())
    if not branches:
        return goto
    return [
        {"goto": _text(b.get("goto")).strip(), "when": _condition(b)} for b in branches
    ] + [{"goto": goto}]


def _wants_next_if_wrong(value: Mapping[str, Any] | None) -> bool:
    return bool(value and (value.get("goto") or value.get("branches")))


def _condition(branch: Mapping[str, Any]) -> dict[str, Any]:
    condition = branch.get("condition")
    raw = _text(branch.get("value")).strip()
    step = _text(branch.get("step")).strip()
    if condition in SCORE_CONDITIONS:
        try:
            return {condition: int(raw)}
        except ValueError:
            return {condition: raw}  # the parser names the field and the problem
    if condition == ANSWER_IN:
        values = [part.strip() for part in raw.split(",") if part.strip()]
        return {"answer_of": {"step": step, "in": values}}
    if condition in (ANSWER_CORRECT, ANSWER_WRONG):
        return {"answer_of": {"step": step, "correct": condition == ANSWER_CORRECT}}
    if condition == ANSWER_IS:
        return {"answer_of": {"step": step, "equals": raw}}
    return {}


def step_data(kind: str, value: Mapping[str, Any]) -> dict[str, Any]:
    """One StreamField child as the engine's step dict."""
    data: dict[str, Any] = {
        "id": _text(value.get("step_id")).strip(),
        "kind": kind,
        "title": _text(value.get("title")),
        "narrative": _text(value.get("narrative")),
    }
    if kind == "decision":
        data["choices"] = [
            {
                "id": _text(c.get("choice_id")).strip(),
                "text": _text(c.get("text")),
                "points": c.get("points"),
                "feedback": _text(c.get("feedback")),
                "next": _next(c.get("next")),
            }
            for c in value.get("choices") or ()
        ]
    elif kind == "deadline":
        data["legal_step"] = _text(value.get("legal_step"))
        if value.get("regime"):
            data["regime"] = value["regime"]
        start = {}
        if value.get("start_event"):
            start["event"] = value["start_event"]
        if value.get("start_step"):
            start["step"] = _text(value["start_step"]).strip()
        data["start"] = start
        data["points"] = value.get("points")
        data["feedback_correct"] = _text(value.get("feedback_correct"))
        data["feedback_wrong"] = _text(value.get("feedback_wrong"))
    elif kind == "classification":
        data["points_per_item"] = value.get("points_per_item")
        data["feedback"] = _text(value.get("feedback"))
        data["items"] = [
            {
                "id": _text(i.get("item_id")).strip(),
                "text": _text(i.get("text")),
                "category": _text(i.get("category")),
                **({"letter": i["letter"]} if i.get("letter") else {}),
                "explanation": _text(i.get("explanation")),
            }
            for i in value.get("items") or ()
        ]
    elif kind == "checklist":
        data["points_per_element"] = value.get("points_per_element")
        data["feedback"] = _text(value.get("feedback"))
        data["elements"] = [
            {
                "id": _text(e.get("element_id")).strip(),
                "text": _text(e.get("text")),
                "correct": bool(e.get("correct")),
                "explanation": _text(e.get("explanation")),
            }
            for e in value.get("elements") or ()
        ]
    else:
        data["outcome"] = _text(value.get("outcome"))
        data["debrief"] = _text(value.get("debrief"))
    if kind in ("deadline", "classification", "checklist"):
        data["next"] = _next(value.get("next"))
        if _wants_next_if_wrong(value.get("next_if_wrong")):
            data["next_if_wrong"] = _next(value.get("next_if_wrong"))
    return data


# --- engine → page values (demo content, round trips) ---------------------------------


def page_values(scenario: Scenario) -> dict[str, Any]:
    """Field values of a ScenarioPage holding `scenario` (steps as StreamField data)."""
    case = scenario.case
    return {
        "title": scenario.title,
        "slug": scenario.slug,
        "summary": scenario.summary,
        **{name: getattr(case, key) for key, name in CASE_FIELDS.items()},
        "case_documents": "\n".join(case.documents),
        **{name: case.event(name) for name in EVENT_FIELDS},
        "start_step": scenario.start,
        "pass_mark": scenario.pass_mark,
        "steps": steps_stream_data(scenario.to_dict()["steps"]),
    }


def steps_stream_data(steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Engine step dicts as raw StreamField data (a list of {type, value})."""
    return [{"type": step["kind"], "value": step_block_value(step)} for step in steps]


def step_block_value(step: Mapping[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = {
        "step_id": step["id"],
        "title": step["title"],
        "narrative": step.get("narrative", ""),
    }
    kind = step["kind"]
    if kind == "decision":
        value["choices"] = [
            {
                "choice_id": c["id"],
                "text": c["text"],
                "points": c.get("points", 0),
                "feedback": c.get("feedback", ""),
                "next": _next_value(c["next"]),
            }
            for c in step["choices"]
        ]
    elif kind == "deadline":
        value.update(
            legal_step=step["legal_step"],
            regime=step.get("regime") or "",
            start_event=step["start"].get("event") or "",
            start_step=step["start"].get("step") or "",
            points=step["points"],
            feedback_correct=step.get("feedback_correct", ""),
            feedback_wrong=step.get("feedback_wrong", ""),
        )
    elif kind == "classification":
        value["points_per_item"] = step.get("points_per_item", 1)
        value["feedback"] = step.get("feedback", "")
        value["items"] = [
            {
                "item_id": i["id"],
                "text": i["text"],
                "category": i["category"],
                "letter": i.get("letter") or "",
                "explanation": i.get("explanation", ""),
            }
            for i in step["items"]
        ]
    elif kind == "checklist":
        value["points_per_element"] = step.get("points_per_element", 1)
        value["feedback"] = step.get("feedback", "")
        value["elements"] = [
            {
                "element_id": e["id"],
                "text": e["text"],
                "correct": e["correct"],
                "explanation": e.get("explanation", ""),
            }
            for e in step["elements"]
        ]
    else:
        value["outcome"] = step["outcome"]
        value["debrief"] = step.get("debrief", "")
    if kind in ("deadline", "classification", "checklist"):
        value["next"] = _next_value(step["next"])
        value["next_if_wrong"] = _next_value(step.get("next_if_wrong"))
    return value


def _next_value(next_: object) -> dict[str, Any]:
    if next_ is None:
        return {"goto": "", "branches": []}
    if isinstance(next_, str):
        return {"goto": next_, "branches": []}
    transitions = list(next_)  # type: ignore[call-overload]
    return {
        "goto": transitions[-1]["goto"],
        "branches": [_branch_value(t) for t in transitions[:-1]],
    }


def _branch_value(transition: Mapping[str, Any]) -> dict[str, Any]:
    when = transition["when"]
    branch = {"condition": "", "step": "", "value": "", "goto": transition["goto"]}
    for key in SCORE_CONDITIONS:
        if key in when:
            branch.update(condition=key, value=str(when[key]))
            return branch
    test = when["answer_of"]
    branch["step"] = test["step"]
    if "correct" in test:
        branch["condition"] = ANSWER_CORRECT if test["correct"] else ANSWER_WRONG
    elif "in" in test:
        branch.update(condition=ANSWER_IN, value=", ".join(test["in"]))
    else:
        branch.update(condition=ANSWER_IS, value=test["equals"])
    return branch


# --- checking -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioCheck:
    """A scenario as the engine sees it: parsed (or why not) and its problems."""

    data: Mapping[str, Any]
    scenario: Scenario | None
    problems: tuple[Problem, ...] = ()
    format_error: ScenarioFormatError | None = None

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.problems

    @property
    def count(self) -> int:
        return len(self.problems) + (1 if self.format_error else 0)

    def step_titles(self) -> dict[str, str]:
        return {
            s.get("id", ""): s.get("title", "") for s in self.data.get("steps") or ()
        }

    def format_step_index(self) -> int | None:
        """The stream index of the step the parse error is in, if it is in one."""
        error = self.format_error
        if error is None:
            return None
        steps = list(self.data.get("steps") or ())
        if error.step_id is not None:
            for index, step in enumerate(steps):
                if step.get("id") == error.step_id:
                    return index
        field = error.field or ""
        if field.startswith("steps["):
            number = field[len("steps[") :].split("]", 1)[0]
            if number.isdigit() and int(number) < len(steps):
                return int(number)
        return None


def check_scenario(
    data: Mapping[str, Any], *, oracle: KipOracle | None = None
) -> ScenarioCheck:
    """Parse and validate `data` with the legal engine (stored overrides included)."""
    try:
        scenario = scenario_from_data(data)
    except ScenarioFormatError as error:
        return ScenarioCheck(data, None, (), error)
    problems = validate(scenario, oracle=oracle or kip_oracle())
    return ScenarioCheck(data, scenario, tuple(problems))


def format_message(error: ScenarioFormatError) -> Text:
    """A parse error as one bilingual line, with the field it is about."""
    field = error.field or ""
    if field.startswith("steps[") and "]." in field:
        field = field.split("].", 1)[1]
    if not field:
        return error.message
    return Text(f"{field}: {error.message.id}", f"{field}: {error.message.en}")


def snapshot_digest(data: Mapping[str, Any]) -> str:
    """A stable fingerprint of a scenario's dict (keys sorted, UTF-8)."""
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
