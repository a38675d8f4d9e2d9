"""What the learner's templates show, built from the engine's values.

Engine texts (`Text`) are turned into the active language here, dates into long
Indonesian-style dates ("Jumat, 22 Maret 2024"), and answers into words (the choice's
text, the item's category), so the templates only lay things out. Author text stays
plain text: the templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import ngettext

from quizzes.scenarios import (
    CATEGORIES,
    STANDARD_EVENTS,
    Answer,
    ChecklistStep,
    ClassificationStep,
    Deadline,
    DeadlineOracle,
    DeadlineStep,
    DecisionStep,
    EndingStep,
    PlayState,
    Scenario,
    ScenarioError,
    Step,
    Text,
    deadline_for,
    debrief,
)
from quizzes.scenarios.model import EXEMPT, PASAL_17_LETTERS

from .adapters import localized

# Short names of the Pasal 17 letters (UU 14/2008; docs/reference/kip-law.md §1.3).
PASAL_17_NAMES = {
    "a": Text("menghambat proses penegakan hukum", "would obstruct law enforcement"),
    "b": Text(
        "mengganggu perlindungan HKI dan persaingan usaha yang sehat",
        "intellectual property, fair competition",
    ),
    "c": Text("membahayakan pertahanan dan keamanan negara", "defence and security"),
    "d": Text("mengungkapkan kekayaan alam Indonesia", "Indonesia's natural wealth"),
    "e": Text("merugikan ketahanan ekonomi nasional", "national economic resilience"),
    "f": Text("merugikan kepentingan hubungan luar negeri", "foreign relations"),
    "g": Text(
        "mengungkapkan isi akta otentik yang bersifat pribadi dan wasiat",
        "private authentic deeds and wills",
    ),
    "h": Text("mengungkap rahasia pribadi", "personal secrets"),
    "i": Text(
        "memorandum atau surat antar/dalam Badan Publik yang dirahasiakan",
        "confidential memoranda within or between public bodies",
    ),
    "j": Text(
        "tidak boleh diungkapkan berdasarkan Undang-Undang",
        "may not be disclosed under another law",
    ),
}


def long_date(day: date | None) -> str:
    return formats.date_format(day, "l, j F Y") if day else ""


def moment(at: datetime | None) -> str:
    return formats.date_format(timezone.localtime(at), "j F Y H:i") if at else ""


def category_label(key: str) -> str:
    category, _sep, letter = key.partition(":")
    if letter:
        name = PASAL_17_NAMES.get(letter)
        label = localized(
            Text(
                f"Dikecualikan, Pasal 17 huruf {letter}",
                f"Exempt, Article 17({letter})",
            )
        )
        return f"{label}: {localized(name)}" if name else label
    return localized(CATEGORIES.get(category, Text(category, category)))


def category_options() -> list[dict]:
    """The classification choices: three open categories, then exempt a–j."""
    open_ = [
        {"value": key, "label": localized(text)}
        for key, text in CATEGORIES.items()
        if key != EXEMPT
    ]
    exempt = [
        {"value": f"{EXEMPT}:{letter}", "label": category_label(f"{EXEMPT}:{letter}")}
        for letter in PASAL_17_LETTERS
    ]
    return [
        {"group": None, "options": open_},
        {"group": localized(CATEGORIES[EXEMPT]), "options": exempt},
    ]


# --- the case file --------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    requester: str
    request: str
    office: str
    regime: str
    summary: str
    documents: tuple[str, ...]
    events: tuple[tuple[str, str], ...]  # (label, long date)


def case_view(scenario: Scenario) -> CaseView:
    from lms.kip import REGIMES

    case = scenario.case
    regime = REGIMES.get(case.regime)
    return CaseView(
        requester=case.requester,
        request=case.request,
        office=case.office,
        regime=localized(regime.label) if regime else case.regime,
        summary=case.summary,
        documents=case.documents,
        events=tuple(
            (
                localized(STANDARD_EVENTS[name][0])
                if name in STANDARD_EVENTS
                else name,
                long_date(on),
            )
            for name, on in sorted(case.events, key=lambda e: e[1])
        ),
    )


# --- a step and its form --------------------------------------------------------------


def step_view(step: Step, posted: dict | None = None) -> dict:
    """The current step for the form; `posted` refills it after a refusal."""
    posted = posted or {}
    view = {"kind": step.kind, "id": step.id, "title": step.title, "step": step}
    if isinstance(step, DecisionStep):
        view["choices"] = [
            {"id": c.id, "text": c.text, "checked": posted.get("choice") == c.id}
            for c in step.choices
        ]
    elif isinstance(step, DeadlineStep):
        view["date"] = posted.get("date", "")
    elif isinstance(step, ClassificationStep):
        given = posted.get("items", {})
        view["items"] = [
            {
                "id": i.id,
                "text": i.text,
                "field": f"item-{i.id}",
                "value": given.get(i.id, ""),
            }
            for i in step.items
        ]
        view["category_groups"] = category_options()
    elif isinstance(step, ChecklistStep):
        picked = posted.get("elements", set())
        view["elements"] = [
            {"id": e.id, "text": e.text, "checked": e.id in picked}
            for e in step.elements
        ]
    return view


# --- answers and feedback -------------------------------------------------------------


def answer_words(step: Step, value: object) -> list[str]:
    """An answer as the learner would say it: one line, or one line per item."""
    if isinstance(step, DecisionStep):
        choices = {c.id: c.text for c in step.choices}
        return [choices.get(str(value), str(value))]
    if isinstance(step, DeadlineStep):
        try:
            return [long_date(date.fromisoformat(str(value)))]
        except ValueError:
            return [str(value)]
    if isinstance(step, ClassificationStep):
        texts = {i.id: i.text for i in step.items}
        return [
            f"{texts.get(item, item)}: {category_label(key)}" for item, key in value
        ]
    if isinstance(step, ChecklistStep):
        texts = {e.id: e.text for e in step.elements}
        return [texts.get(e, e) for e in value] if value else []
    return []


@dataclass
class DeadlineView:
    label: str
    start: str
    due: str
    counting: str
    skipped: list[tuple[str, str]]  # (long date, reason)
    basis: list[str]
    notes: list[str]


def deadline_view(deadline: Deadline) -> DeadlineView:
    return DeadlineView(
        label=localized(deadline.label),
        start=long_date(deadline.start),
        due=long_date(deadline.due),
        counting=localized(deadline.counting),
        skipped=[(long_date(d.day), localized(d.reason)) for d in deadline.skipped],
        basis=list(deadline.basis),
        notes=[localized(n) for n in deadline.notes],
    )


def off_by(given: date, due: date) -> str:
    days = (given - due).days
    if days > 0:
        return ngettext(
            "%(n)d calendar day too late.", "%(n)d calendar days too late.", days
        ) % {"n": days}
    if days < 0:
        return ngettext(
            "%(n)d calendar day too early.", "%(n)d calendar days too early.", -days
        ) % {"n": -days}
    return ""


@dataclass
class FeedbackView:
    step_title: str
    correct: bool
    points: int
    verdict: str
    text: str
    answer: list[str]
    details: list[str] = field(default_factory=list)
    deadline: DeadlineView | None = None
    off_by: str = ""  # a wrong date: how many days early or late


def feedback_view(
    scenario: Scenario, answer: Answer, *, oracle: DeadlineOracle
) -> FeedbackView:
    step = scenario.step(answer.step_id)
    view = FeedbackView(
        step_title=step.title,
        correct=answer.correct,
        points=answer.points,
        verdict=localized(answer.feedback.verdict),
        text=answer.feedback.text,
        answer=answer_words(step, answer.value),
    )
    if isinstance(step, DeadlineStep):
        try:
            deadline = deadline_for(scenario, step, oracle=oracle)
        except ScenarioError:
            deadline = None
        if deadline is not None:
            view.deadline = deadline_view(deadline)
            view.off_by = off_by(date.fromisoformat(str(answer.value)), deadline.due)
    if view.deadline is None:
        view.details = [localized(d) for d in answer.feedback.details]
    if isinstance(step, ClassificationStep | ChecklistStep) and view.details:
        view.answer = []  # the engine's lines already give each item, marked ✓/✗
    return view


# --- the debrief ----------------------------------------------------------------------


@dataclass
class PathRowView:
    number: int
    title: str
    kind: str
    answer: list[str]
    correct: bool | None
    points: int | None
    at: str


@dataclass
class TimelineRowView:
    deadline: DeadlineView
    start_label: str
    step_title: str | None
    note: str


@dataclass
class DebriefView:
    path: list[PathRowView]
    timeline: list[TimelineRowView]
    score: int
    max_score: int
    pass_mark: int
    passed: bool
    ending: EndingStep | None


def debrief_view(
    scenario: Scenario, state: PlayState, *, oracle: DeadlineOracle
) -> DebriefView:
    result = debrief(scenario, state, oracle=oracle)
    path = []
    for number, entry in enumerate(result.path, start=1):
        step = scenario.step(entry.step_id)
        answer = entry.answer
        path.append(
            PathRowView(
                number=number,
                title=entry.title,
                kind=entry.kind,
                answer=answer_words(step, answer.value) if answer else [],
                correct=answer.correct if answer else None,
                points=answer.points if answer else None,
                at=moment(answer.at) if answer else "",
            )
        )
    titles = {s.id: s.title for s in scenario.steps}
    timeline = [
        TimelineRowView(
            deadline=deadline_view(entry.deadline),
            start_label=localized(entry.start_label),
            step_title=titles.get(entry.step_id) if entry.step_id else None,
            note=localized(entry.note),
        )
        for entry in result.timeline
    ]
    return DebriefView(
        path=path,
        timeline=timeline,
        score=result.score,
        max_score=result.max_score,
        pass_mark=result.pass_mark,
        passed=result.passed,
        ending=result.ending,
    )


@dataclass
class PlayView:
    """Everything the play template needs for the current step."""

    scenario: Scenario
    state: PlayState
    case: CaseView
    step: dict
    number: int
    feedback: FeedbackView | None
    error: str = ""


def play_view(
    scenario: Scenario,
    state: PlayState,
    *,
    oracle: DeadlineOracle,
    posted: dict | None = None,
    error: str = "",
) -> PlayView:
    last = state.answers[-1] if state.answers else None
    return PlayView(
        scenario=scenario,
        state=state,
        case=case_view(scenario),
        step=step_view(scenario.step(state.current), posted),
        number=len(state.answers) + 1,
        feedback=feedback_view(scenario, last, oracle=oracle) if last else None,
        error=error,
    )
