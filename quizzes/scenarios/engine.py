"""Playing a scenario: grading answers, following transitions, and the debrief.

Standard library only; no Django, no clock, no legal calendar. Deadline steps ask a
`DeadlineOracle` injected by the caller (`quizzes.scenarios.oracle.KipOracle` wraps the
legal engine `lms.kip`; tests pass a fake), so no date is typed by an author and the
Django side can add an office's closures. `now` is passed in and only recorded.

Every value is frozen: `advance()` returns a new `PlayState` and never changes the one
it was given, so a rejected answer (`ScenarioInputError`) leaves the play as it was.

Scoring: a step scores the first time it is answered; answering it again on a loop is
recorded (for the path and for `answer_of` conditions) but adds nothing. The score never
goes below 0, and `Answer.points` is the change actually applied, so the points of the
answers always add up to the score. Transitions are evaluated after the answer is
recorded, so a condition may look at the step just answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from quizzes.scenarios.model import (
    CATEGORIES,
    EXEMPT,
    PASAL_17_LETTERS,
    ChecklistStep,
    ClassificationStep,
    Condition,
    DeadlineStep,
    DecisionStep,
    EndingStep,
    Next,
    Scenario,
    ScenarioError,
    Step,
    Text,
    parse_iso_date,
)

# --- the deadline oracle ---------------------------------------------------------

# The legal engine's steps and regimes (lms.kip.STEPS / REGIMES), for validating a
# scenario when no oracle is given; a test keeps them equal to lms.kip's.
LEGAL_STEPS = (
    "notice",
    "notice_extended",
    "objection",
    "objection_response",
    "dispute",
    "dispute_start",
    "dispute_decision",
    "court_objection",
    "cassation",
)
REGIMES = ("general", "election")


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: Text


@dataclass(frozen=True)
class Deadline:
    """The oracle's answer: a due date and how it was reached."""

    legal_step: str
    regime: str
    start: date
    due: date
    label: Text
    basis: tuple[
        str, ...
    ]  # citations with their marker, "UU 14/2008 Pasal 22 ayat (7) [V]"
    counting: Text
    skipped: tuple[SkippedDay, ...] = ()
    notes: tuple[Text, ...] = ()  # warnings: [S]/[R] basis, cuti bersama, fallbacks


class DeadlineOracle(Protocol):
    """Computes a statutory deadline; raises `ValueError` for an unknown step/regime."""

    def __call__(self, legal_step: str, start: date, *, regime: str) -> Deadline: ...


def deadline_for(
    scenario: Scenario, step: DeadlineStep, *, oracle: DeadlineOracle
) -> Deadline:
    """The expected deadline of `step`, from the case's event or an earlier deadline."""
    return _deadline_for(scenario, step, oracle, ())


def _deadline_for(
    scenario: Scenario,
    step: DeadlineStep,
    oracle: DeadlineOracle,
    seen: tuple[str, ...],
) -> Deadline:
    if step.id in seen:
        chain = " -> ".join((*seen, step.id))
        raise ScenarioError(
            f"step {step.id!r}: deadline starts refer to each other: {chain}"
        )
    if step.start.event is not None:
        start = scenario.case.event(step.start.event)
        if start is None:
            raise ScenarioError(
                f"step {step.id!r}: the case file has no event {step.start.event!r}"
            )
    else:
        earlier = scenario.step(step.start.step or "")
        if not isinstance(earlier, DeadlineStep):
            raise ScenarioError(
                f"step {step.id!r}: start {step.start.step!r} is not a deadline step"
            )
        start = _deadline_for(scenario, earlier, oracle, (*seen, step.id)).due
    regime = step.regime or scenario.case.regime
    try:
        return oracle(step.legal_step, start, regime=regime)
    except ValueError as error:
        raise ScenarioError(
            f"step {step.id!r}: the deadline oracle refused: {error}"
        ) from error


# --- the play ------------------------------------------------------------------------


class ScenarioInputError(ValueError):
    """The learner's answer cannot be graded; the message says why, in id and en."""

    def __init__(self, code: str, message: Text, *, step_id: str | None = None) -> None:
        self.code = code
        self.message = message
        self.step_id = step_id
        super().__init__(message.en)

    @property
    def message_id(self) -> str:
        return self.message.id

    @property
    def message_en(self) -> str:
        return self.message.en


@dataclass(frozen=True)
class Feedback:
    verdict: Text  # engine: right or wrong, points
    text: str = ""  # the author's feedback (Indonesian)
    details: tuple[Text, ...] = ()  # engine: per item, or the deadline explanation


# decision: choice id; deadline: ISO date; classification: ((item, "kategori[:huruf]"),
# ...) in step order; checklist: picked element ids in step order.
AnswerValue = str | tuple[str, ...] | tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Answer:
    step_id: str
    value: AnswerValue
    correct: bool
    points: int  # applied to the score (0 when the step had already scored)
    feedback: Feedback
    at: datetime


@dataclass(frozen=True)
class PlayState:
    scenario: str  # the scenario's slug
    current: str
    score: int = 0
    answers: tuple[Answer, ...] = ()
    finished: bool = False

    def answer_for(self, step_id: str) -> Answer | None:
        """The latest answer to `step_id`, if the play went through it."""
        for answer in reversed(self.answers):
            if answer.step_id == step_id:
                return answer
        return None

    @property
    def path(self) -> tuple[str, ...]:
        """The steps visited, in order, ending with the current one."""
        return (*(a.step_id for a in self.answers), self.current)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "current": self.current,
            "score": self.score,
            "finished": self.finished,
            "answers": [_dump_answer(a) for a in self.answers],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlayState:
        try:
            return cls(
                scenario=str(data["scenario"]),
                current=str(data["current"]),
                score=int(data["score"]),
                finished=bool(data["finished"]),
                answers=tuple(_load_answer(a) for a in data["answers"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ScenarioError(f"stored play state is invalid: {error!r}") from error


@dataclass(frozen=True)
class StepResult:
    new_state: PlayState
    feedback: Feedback
    points: int
    finished: bool
    correct: bool
    answer: Answer


def start(scenario: Scenario) -> PlayState:
    """A new play at the scenario's first step."""
    first = scenario.step(scenario.start)
    return PlayState(
        scenario=scenario.slug,
        current=first.id,
        finished=isinstance(first, EndingStep),
    )


def advance(
    scenario: Scenario,
    state: PlayState,
    answer_value: object,
    *,
    step_id: str,
    now: datetime,
    oracle: DeadlineOracle,
) -> StepResult:
    """Grade `answer_value` for `step_id` (which must be the current step) and move on.

    `step_id` is the step the learner's form was showing: a stale form (back button,
    double submit) is rejected instead of answering whatever step is current now.
    """
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise TypeError("now must be a timezone-aware datetime")
    if state.scenario != scenario.slug:
        raise ScenarioError(
            f"play state belongs to {state.scenario!r}, not {scenario.slug!r}"
        )
    if state.finished:
        raise ScenarioInputError("finished", _FINISHED, step_id=step_id)
    if step_id != state.current:
        raise ScenarioInputError(
            "not_current",
            _NOT_CURRENT.format(step=step_id, current=state.current),
            step_id=step_id,
        )
    step = scenario.step(state.current)
    if isinstance(step, EndingStep):
        raise ScenarioInputError("ending", _ENDING, step_id=step.id)

    graded = _grade(scenario, step, answer_value, oracle)
    repeat = state.answer_for(step.id) is not None
    credited = 0 if repeat else graded.points
    score = max(0, state.score + credited)
    applied = score - state.score
    verdict = _verdict(graded.correct, applied, repeat)
    feedback = Feedback(verdict, graded.text, graded.details)
    answer = Answer(step.id, graded.value, graded.correct, applied, feedback, now)
    recorded = replace(state, score=score, answers=(*state.answers, answer))
    goto = follow(graded.next, recorded)
    finished = isinstance(scenario.step(goto), EndingStep)
    new_state = replace(recorded, current=goto, finished=finished)
    return StepResult(new_state, feedback, applied, finished, graded.correct, answer)


def follow(next_: Next, state: PlayState) -> str:
    """The step that the first transition whose condition holds leads to."""
    for transition in next_:
        if transition.when is None or holds(transition.when, state):
            return transition.goto
    raise ScenarioError("transitions have no default")  # parsing forbids this


def holds(condition: Condition, state: PlayState) -> bool:
    if condition.score_at_least is not None:
        return state.score >= condition.score_at_least
    if condition.score_below is not None:
        return state.score < condition.score_below
    test = condition.answer_of
    if test is None:
        return False
    answer = state.answer_for(test.step)
    return answer is not None and test.matches(answer.value, answer.correct)


# --- grading -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Graded:
    value: AnswerValue
    correct: bool
    points: int
    next: Next
    text: str = ""
    details: tuple[Text, ...] = ()


def _grade(
    scenario: Scenario, step: Step, value: object, oracle: DeadlineOracle
) -> _Graded:
    if isinstance(step, DecisionStep):
        return _grade_decision(step, value)
    if isinstance(step, DeadlineStep):
        return _grade_deadline(scenario, step, value, oracle)
    if isinstance(step, ClassificationStep):
        return _grade_classification(step, value)
    if isinstance(step, ChecklistStep):
        return _grade_checklist(step, value)
    raise ScenarioError(f"step {step.id!r} cannot be answered")


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return not value
    return False


def _grade_decision(step: DecisionStep, value: object) -> _Graded:
    if _is_empty(value):
        raise ScenarioInputError("empty", _EMPTY_CHOICE, step_id=step.id)
    choices = {c.id: c for c in step.choices}
    choice = choices.get(value.strip()) if isinstance(value, str) else None
    if choice is None:
        raise ScenarioInputError(
            "unknown_choice",
            _UNKNOWN_CHOICE.format(value=value, allowed=", ".join(choices)),
            step_id=step.id,
        )
    best = max(c.points for c in step.choices)
    return _Graded(
        choice.id, choice.points == best, choice.points, choice.next, choice.feedback
    )


def parse_date_answer(step_id: str, value: object) -> date:
    """A learner's date: a `date` or an ISO `YYYY-MM-DD` string of a real date."""
    if _is_empty(value):
        raise ScenarioInputError("empty", _EMPTY_DATE, step_id=step_id)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    on = parse_iso_date(value.strip()) if isinstance(value, str) else None
    if on is None:
        raise ScenarioInputError(
            "invalid_date", _INVALID_DATE.format(value=value), step_id=step_id
        )
    return on


def _grade_deadline(
    scenario: Scenario, step: DeadlineStep, value: object, oracle: DeadlineOracle
) -> _Graded:
    given = parse_date_answer(step.id, value)
    deadline = deadline_for(scenario, step, oracle=oracle)
    correct = given == deadline.due
    wrong = step.next if step.next_if_wrong is None else step.next_if_wrong
    return _Graded(
        given.isoformat(),
        correct,
        step.points if correct else 0,
        step.next if correct else wrong,
        step.feedback_correct if correct else step.feedback_wrong,
        explain_deadline(deadline, given=given),
    )


def explain_deadline(
    deadline: Deadline, *, given: date | None = None
) -> tuple[Text, ...]:
    """The deadline explanation as lines: due date, days skipped, basis, notes."""
    lines = []
    if given is not None and given != deadline.due:
        offset = (given - deadline.due).days
        side = (
            Text("terlambat", "late")
            if offset > 0
            else Text("terlalu awal", "too early")
        )
        lines.append(
            _YOUR_DATE.format(
                given=given, days=abs(offset), side_id=side.id, side_en=side.en
            )
        )
    lines.append(
        _DUE.format(
            label_id=deadline.label.id,
            label_en=deadline.label.en,
            due=deadline.due,
            start=deadline.start,
        )
    )
    lines.append(deadline.counting)
    if deadline.skipped:
        skipped_id = "; ".join(f"{d.day} {d.reason.id}" for d in deadline.skipped)
        skipped_en = "; ".join(f"{d.day} {d.reason.en}" for d in deadline.skipped)
        lines.append(_SKIPPED.format(days_id=skipped_id, days_en=skipped_en))
    if deadline.basis:
        lines.append(_BASIS.format(basis="; ".join(deadline.basis)))
    lines.extend(deadline.notes)
    return tuple(lines)


def _grade_classification(step: ClassificationStep, value: object) -> _Graded:
    if _is_empty(value):
        raise ScenarioInputError("empty", _EMPTY_CLASSIFICATION, step_id=step.id)
    if not isinstance(value, Mapping):
        raise ScenarioInputError("invalid", _NOT_A_MAPPING, step_id=step.id)
    items = {item.id: item for item in step.items}
    unknown = sorted(str(k) for k in value if k not in items)
    if unknown:
        raise ScenarioInputError(
            "unknown_item",
            _UNKNOWN_ITEM.format(items=", ".join(unknown)),
            step_id=step.id,
        )
    missing = [item_id for item_id in items if item_id not in value]
    if missing:
        raise ScenarioInputError(
            "missing_item",
            _MISSING_ITEM.format(items=", ".join(missing)),
            step_id=step.id,
        )
    answers = tuple(
        (item.id, _category(step.id, item.id, value[item.id])) for item in step.items
    )
    details = []
    right = 0
    for item, (_, given) in zip(step.items, answers, strict=True):
        ok = given == item.answer_key
        right += ok
        expected, yours = _category_label(item.answer_key), _category_label(given)
        details.append(
            (_ITEM_RIGHT if ok else _ITEM_WRONG).format(
                text=item.text,
                expected_id=expected.id,
                expected_en=expected.en,
                given_id=yours.id,
                given_en=yours.en,
                note=f" — {item.explanation}" if item.explanation else "",
            )
        )
    correct = right == len(step.items)
    wrong = step.next if step.next_if_wrong is None else step.next_if_wrong
    return _Graded(
        answers,
        correct,
        right * step.points_per_item,
        step.next if correct else wrong,
        step.feedback,
        tuple(details),
    )


def _category(step_id: str, item_id: str, raw: object) -> str:
    """Normalise "dikecualikan:h" / "berkala"; reject anything else."""
    text = raw.strip().lower() if isinstance(raw, str) else ""
    category, _, letter = text.partition(":")
    if category not in CATEGORIES:
        raise ScenarioInputError(
            "unknown_category",
            _UNKNOWN_CATEGORY.format(
                item=item_id, value=raw, allowed=", ".join(CATEGORIES)
            ),
            step_id=step_id,
        )
    if category == EXEMPT:
        if letter not in PASAL_17_LETTERS:
            raise ScenarioInputError(
                "exempt_letter", _EXEMPT_LETTER.format(item=item_id), step_id=step_id
            )
        return f"{category}:{letter}"
    if letter:
        raise ScenarioInputError(
            "letter_not_exempt",
            _LETTER_NOT_EXEMPT.format(item=item_id),
            step_id=step_id,
        )
    return category


def _category_label(key: str) -> Text:
    category, _, letter = key.partition(":")
    if letter:
        return Text(
            f"Informasi yang dikecualikan (UU 14/2008 Pasal 17 huruf {letter})",
            f"Exempt information (UU 14/2008 Article 17({letter}))",
        )
    return CATEGORIES.get(category, Text(category, category))


def _grade_checklist(step: ChecklistStep, value: object) -> _Graded:
    if _is_empty(value):
        raise ScenarioInputError("empty", _EMPTY_CHECKLIST, step_id=step.id)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ScenarioInputError("invalid", _NOT_A_LIST, step_id=step.id)
    try:
        picked = set(value)
    except TypeError:  # e.g. a list of lists from a malformed form
        raise ScenarioInputError("invalid", _NOT_A_LIST, step_id=step.id) from None
    elements = {e.id: e for e in step.elements}
    unknown = sorted(str(p) for p in picked if p not in elements)
    if unknown:
        raise ScenarioInputError(
            "unknown_element",
            _UNKNOWN_ELEMENT.format(elements=", ".join(unknown)),
            step_id=step.id,
        )
    right = sum(1 for p in picked if elements[p].correct)
    wrong_picks = len(picked) - right
    points = max(0, (right - wrong_picks) * step.points_per_element)
    correct = picked == {e.id for e in step.elements if e.correct}
    details = []
    for element in step.elements:
        chosen = element.id in picked
        ok = chosen == element.correct
        status = (
            (_PICKED_RIGHT if element.correct else _PICKED_WRONG)
            if chosen
            else (_MISSED if element.correct else _LEFT_OUT)
        )
        details.append(
            status.format(
                mark="✓" if ok else "✗",
                text=element.text,
                note=f" — {element.explanation}" if element.explanation else "",
            )
        )
    wrong = step.next if step.next_if_wrong is None else step.next_if_wrong
    return _Graded(
        tuple(e.id for e in step.elements if e.id in picked),
        correct,
        points,
        step.next if correct else wrong,
        step.feedback,
        tuple(details),
    )


def _verdict(correct: bool, points: int, repeat: bool) -> Text:
    verdict = (_RIGHT if correct else _NOT_RIGHT).format(points=points)
    if repeat:
        verdict = Text(verdict.id + " " + _REPEAT.id, verdict.en + " " + _REPEAT.en)
    return verdict


# --- debrief ------------------------------------------------------------------------

# Events of a case whose date starts a statutory period (UU 14/2008 Pasal 22, 36, 37,
# 38, 48, 50), and their labels. Other event names are allowed; they start no period
# of their own, but deadline steps may count from them.
STANDARD_EVENTS: Mapping[str, tuple[Text, tuple[str, ...]]] = {
    "received_on": (
        Text("Permohonan diterima", "Request received"),
        ("notice", "notice_extended"),
    ),
    "objection_ground_on": (
        Text("Alasan keberatan timbul", "Ground for objection arose"),
        ("objection",),
    ),
    "objection_filed_on": (
        Text("Keberatan diterima Atasan PPID", "Objection received by the superior"),
        ("objection_response",),
    ),
    "objection_answered_on": (
        Text("Tanggapan Atasan PPID diterima", "Superior's answer received"),
        ("dispute",),
    ),
    "dispute_registered_on": (
        Text("Sengketa diregistrasi Komisi Informasi", "Dispute registered"),
        ("dispute_start", "dispute_decision"),
    ),
    "ki_decision_received_on": (
        Text("Putusan Komisi Informasi diterima", "Commission decision received"),
        ("court_objection",),
    ),
    "court_judgment_received_on": (
        Text("Putusan PTUN/PN diterima", "Court judgment received"),
        ("cassation",),
    ),
}


@dataclass(frozen=True)
class TimelineEntry:
    deadline: Deadline
    start_label: Text  # what the period counts from
    step_id: str | None = None  # the scenario's deadline step, if one asks for it
    note: Text | None = None  # an assumption, e.g. the superior never answered


@dataclass(frozen=True)
class PathEntry:
    step_id: str
    kind: str
    title: str
    answer: Answer | None  # None for the ending or the step still open


@dataclass(frozen=True)
class Debrief:
    path: tuple[PathEntry, ...]
    timeline: tuple[TimelineEntry, ...]
    score: int
    max_score: int
    pass_mark: int
    passed: bool
    finished: bool
    ending: EndingStep | None


_LAPSE_NOTE = Text(
    "Atasan PPID tidak menanggapi: menurut sumber sekunder (ringkasan KI tentang "
    "PerKI 1/2013), 14 hari kerja pengajuan sengketa dihitung sejak jangka waktu "
    "Atasan berakhir; UU 14/2008 Pasal 37 ayat (2) hanya menyebut tanggapan tertulis.",
    "The superior did not answer: according to secondary sources (Commission "
    "summaries of PerKI 1/2013), the 14 working days to file a dispute run from the "
    "end of the superior's period; UU 14/2008 Article 37(2) names only a written "
    "answer.",
)


def debrief(scenario: Scenario, state: PlayState, *, oracle: DeadlineOracle) -> Debrief:
    """The path taken, the case's true timeline, and the score against the pass mark."""
    path = tuple(
        PathEntry(
            a.step_id, scenario.step(a.step_id).kind, scenario.step(a.step_id).title, a
        )
        for a in state.answers
    )
    current = scenario.step(state.current)
    path += (PathEntry(current.id, current.kind, current.title, None),)
    ending = current if isinstance(current, EndingStep) and state.finished else None
    return Debrief(
        path=path,
        timeline=case_timeline(scenario, oracle=oracle),
        score=state.score,
        max_score=scenario.max_score,
        pass_mark=scenario.pass_mark,
        passed=state.finished and state.score >= scenario.pass_mark,
        finished=state.finished,
        ending=ending,
    )


def case_timeline(
    scenario: Scenario, *, oracle: DeadlineOracle
) -> tuple[TimelineEntry, ...]:
    """Every deadline step of the scenario, plus the statutory periods that start at the
    case's events, each computed by the oracle and ordered by due date."""
    case = scenario.case
    entries: dict[tuple[str, date, str], TimelineEntry] = {}

    def add(deadline: Deadline, start_label: Text, **extra: Any) -> None:
        key = (deadline.legal_step, deadline.start, deadline.regime)
        if key not in entries or extra.get("step_id"):
            entries[key] = TimelineEntry(deadline, start_label, **extra)

    for name, on in case.events:
        if name not in STANDARD_EVENTS:
            continue
        label, legal_steps = STANDARD_EVENTS[name]
        for legal_step in legal_steps:
            add(_ask(oracle, legal_step, on, case.regime), label)
    # Only link that runs on without a new event: the superior's silence (PerKI 1/2013).
    filed = case.event("objection_filed_on")
    if filed is not None and case.event("objection_answered_on") is None:
        lapse = _ask(oracle, "objection_response", filed, case.regime)
        add(
            _ask(oracle, "dispute", lapse.due, case.regime),
            Text("Jangka waktu Atasan PPID berakhir", "The superior's period ended"),
            note=_LAPSE_NOTE,
        )
    for step in scenario.steps:
        if isinstance(step, DeadlineStep):
            deadline = deadline_for(scenario, step, oracle=oracle)
            if step.start.event is not None:
                known = STANDARD_EVENTS.get(step.start.event)
                label = known[0] if known else Text(step.start.event, step.start.event)
            else:
                earlier = scenario.step(step.start.step or "")
                label = Text(
                    f"Batas waktu: {earlier.title}", f"Deadline: {earlier.title}"
                )
            add(deadline, label, step_id=step.id)
    return tuple(
        sorted(entries.values(), key=lambda e: (e.deadline.due, e.deadline.start))
    )


def _ask(oracle: DeadlineOracle, legal_step: str, start: date, regime: str) -> Deadline:
    try:
        return oracle(legal_step, start, regime=regime)
    except ValueError as error:
        raise ScenarioError(
            f"the deadline oracle refused {legal_step!r}: {error}"
        ) from error


# --- storage of answers --------------------------------------------------------------


def _dump_answer(a: Answer) -> dict[str, Any]:
    value: Any = a.value
    if isinstance(value, tuple):
        value = [list(v) if isinstance(v, tuple) else v for v in value]
    return {
        "step_id": a.step_id,
        "value": value,
        "correct": a.correct,
        "points": a.points,
        "at": a.at.isoformat(),
        "feedback": {
            "verdict": [a.feedback.verdict.id, a.feedback.verdict.en],
            "text": a.feedback.text,
            "details": [[d.id, d.en] for d in a.feedback.details],
        },
    }


def _load_answer(data: Mapping[str, Any]) -> Answer:
    raw = data["value"]
    value: AnswerValue
    if isinstance(raw, list):
        value = tuple(tuple(v) if isinstance(v, list) else str(v) for v in raw)
    else:
        value = str(raw)
    feedback = data["feedback"]
    at = datetime.fromisoformat(data["at"])
    if at.tzinfo is None:
        raise ValueError("answer time has no time zone")
    return Answer(
        step_id=str(data["step_id"]),
        value=value,
        correct=bool(data["correct"]),
        points=int(data["points"]),
        at=at,
        feedback=Feedback(
            Text(*feedback["verdict"]),
            str(feedback["text"]),
            tuple(Text(*d) for d in feedback["details"]),
        ),
    )


# --- messages -------------------------------------------------------------------------

_FINISHED = Text(
    "Skenario sudah selesai; tidak ada langkah yang dapat dijawab.",
    "The scenario is finished; there is no step to answer.",
)
_NOT_CURRENT = Text(
    "Langkah {step!r} bukan langkah yang sedang berjalan ({current!r}); muat ulang "
    "halaman.",
    "Step {step!r} is not the current step ({current!r}); reload the page.",
)
_ENDING = Text(
    "Langkah akhir tidak dapat dijawab.", "An ending step cannot be answered."
)
_EMPTY_CHOICE = Text("Pilih salah satu jawaban.", "Pick one of the choices.")
_UNKNOWN_CHOICE = Text(
    "Pilihan {value!r} tidak ada; pilihan yang tersedia: {allowed}.",
    "There is no choice {value!r}; available: {allowed}.",
)
_EMPTY_DATE = Text("Isi tanggal batas waktu.", "Enter the deadline date.")
_INVALID_DATE = Text(
    "{value!r} bukan tanggal yang sah; tulis tanggal yang ada dengan format "
    "TTTT-BB-HH, misalnya 2024-03-22.",
    "{value!r} is not a valid date; enter a real date as YYYY-MM-DD, e.g. 2024-03-22.",
)
_EMPTY_CLASSIFICATION = Text(
    "Klasifikasikan setiap informasi.", "Classify every piece of information."
)
_NOT_A_MAPPING = Text(
    "Jawaban klasifikasi harus memasangkan setiap informasi dengan kategorinya.",
    "A classification answer must pair each item with its category.",
)
_UNKNOWN_ITEM = Text(
    "Informasi tidak dikenal dalam langkah ini: {items}.",
    "Unknown items for this step: {items}.",
)
_MISSING_ITEM = Text("Belum diklasifikasikan: {items}.", "Not classified yet: {items}.")
_UNKNOWN_CATEGORY = Text(
    "Kategori {value!r} untuk {item!r} tidak dikenal; pilihan: {allowed}.",
    "Unknown category {value!r} for {item!r}; allowed: {allowed}.",
)
_EXEMPT_LETTER = Text(
    "Untuk {item!r}, sebutkan huruf Pasal 17 (a sampai j), misalnya 'dikecualikan:h'.",
    "For {item!r}, give the Article 17 letter (a to j), e.g. 'dikecualikan:h'.",
)
_LETTER_NOT_EXEMPT = Text(
    "Untuk {item!r}, huruf Pasal 17 hanya untuk kategori dikecualikan.",
    "For {item!r}, an Article 17 letter goes only with the exempt category.",
)
_EMPTY_CHECKLIST = Text("Pilih setidaknya satu unsur.", "Pick at least one element.")
_NOT_A_LIST = Text(
    "Jawaban daftar periksa harus berupa daftar unsur yang dipilih.",
    "A checklist answer must be a list of the picked elements.",
)
_UNKNOWN_ELEMENT = Text(
    "Unsur tidak dikenal dalam langkah ini: {elements}.",
    "Unknown elements for this step: {elements}.",
)
_RIGHT = Text("Tepat. +{points} poin.", "Correct. +{points} points.")
_NOT_RIGHT = Text("Belum tepat. +{points} poin.", "Not quite right. +{points} points.")
_REPEAT = Text(
    "(Langkah ini sudah pernah dinilai; skor tidak berubah.)",
    "(This step was already graded; the score does not change.)",
)
_YOUR_DATE = Text(
    "Jawaban Anda {given}: {days} hari kalender {side_id}.",
    "Your answer {given}: {days} calendar days {side_en}.",
)
_DUE = Text(
    "{label_id}: batas waktu {due} (dihitung dari {start}).",
    "{label_en}: due {due} (counted from {start}).",
)
_SKIPPED = Text("Tidak dihitung: {days_id}.", "Not counted: {days_en}.")
_BASIS = Text("Dasar hukum: {basis}.", "Legal basis: {basis}.")
_PICKED_RIGHT = Text(
    "{mark} {text}: dipilih, benar{note}", "{mark} {text}: picked, right{note}"
)
_PICKED_WRONG = Text(
    "{mark} {text}: dipilih, padahal bukan unsur yang diminta{note}",
    "{mark} {text}: picked, but not a required element{note}",
)
_MISSED = Text(
    "{mark} {text}: terlewat, padahal wajib{note}",
    "{mark} {text}: missed, but required{note}",
)
_LEFT_OUT = Text(
    "{mark} {text}: tidak dipilih, benar{note}", "{mark} {text}: left out, right{note}"
)
_ITEM_RIGHT = Text("✓ {text}: {expected_id}{note}", "✓ {text}: {expected_en}{note}")
_ITEM_WRONG = Text(
    "✗ {text}: seharusnya {expected_id}, bukan {given_id}{note}",
    "✗ {text}: should be {expected_en}, not {given_en}{note}",
)
