"""Scenario exercises as data: the case file, the step graph, and their JSON form.

Standard library only. A scenario is a frozen value: `Scenario.from_dict()` parses the
JSON-serialisable form stored in the database and in `library/*.json`, strictly (every
unknown key, missing field or wrong type is a `ScenarioFormatError` naming the step and
the field), and `Scenario.to_dict()` writes it back. Parsing checks shape only; whether
the graph makes sense (links, reachability, scores, legal steps) is for
`validate.validate()`, so an author sees every problem at once, at its step.

See docs/decisions/0003-scenario-engine.md for the model and the condition language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

EXEMPT = "dikecualikan"
PASAL_17_LETTERS = tuple("abcdefghij")


@dataclass(frozen=True)
class Text:
    """A user-facing string in Indonesian (`id`, shown first) and English (`en`)."""

    id: str
    en: str

    def format(self, **values: object) -> Text:
        return Text(self.id.format(**values), self.en.format(**values))


# The four categories of UU 14/2008 (Pasal 9, 10, 11 and 17). A learner's answer and an
# author's item name them by these keys; exempt answers add the Pasal 17 letter.
CATEGORIES: Mapping[str, Text] = {
    "berkala": Text(
        "Informasi berkala (UU 14/2008 Pasal 9)",
        "Periodic information (UU 14/2008 Article 9)",
    ),
    "serta_merta": Text(
        "Informasi serta merta (UU 14/2008 Pasal 10)",
        "Immediate information (UU 14/2008 Article 10)",
    ),
    "setiap_saat": Text(
        "Informasi tersedia setiap saat (UU 14/2008 Pasal 11)",
        "Information available at any time (UU 14/2008 Article 11)",
    ),
    EXEMPT: Text(
        "Informasi yang dikecualikan (UU 14/2008 Pasal 17)",
        "Exempt information (UU 14/2008 Article 17)",
    ),
}


class ScenarioError(ValueError):
    """The scenario cannot be played: bad data, a missing step, an oracle failure."""


class ScenarioFormatError(ScenarioError):
    """`Scenario.from_dict()` rejected the data; says where (`step_id`, `field`)."""

    def __init__(
        self, message: Text, *, step_id: str | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.step_id = step_id
        self.field = field
        where = f"step {step_id!r}" if step_id else "scenario"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message.en}")

    @property
    def message_id(self) -> str:
        return self.message.id

    @property
    def message_en(self) -> str:
        return self.message.en


# --- conditions and transitions --------------------------------------------------


@dataclass(frozen=True)
class AnswerOf:
    """`answer_of`: the latest answer to `step` equals / is in / is (not) correct."""

    step: str
    equals: str | None = None
    in_: tuple[str, ...] | None = None
    correct: bool | None = None

    def matches(self, value: object, correct: bool) -> bool:
        if self.correct is not None:
            return correct is self.correct
        if self.equals is not None:
            return value == self.equals
        return value in (self.in_ or ())


@dataclass(frozen=True)
class Condition:
    """Exactly one of `score_at_least`, `score_below`, `answer_of`."""

    score_at_least: int | None = None
    score_below: int | None = None
    answer_of: AnswerOf | None = None


@dataclass(frozen=True)
class Transition:
    """Go to `goto` when `when` holds; `when=None` is the default (always last)."""

    goto: str
    when: Condition | None = None


Next = tuple[Transition, ...]


# --- steps ----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    next: Next
    points: int = 0
    feedback: str = ""


@dataclass(frozen=True)
class DateRef:
    """Where a deadline's period starts: a case event, or an earlier deadline's due."""

    event: str | None = None
    step: str | None = None


@dataclass(frozen=True)
class ClassificationItem:
    id: str
    text: str
    category: str
    letter: str | None = None  # Pasal 17 letter a-j, for exempt items
    explanation: str = ""

    @property
    def answer_key(self) -> str:
        return f"{self.category}:{self.letter}" if self.letter else self.category


@dataclass(frozen=True)
class ChecklistElement:
    id: str
    text: str
    correct: bool
    explanation: str = ""


@dataclass(frozen=True)
class DecisionStep:
    id: str
    title: str
    narrative: str
    choices: tuple[Choice, ...]
    kind: ClassVar[str] = "decision"


@dataclass(frozen=True)
class DeadlineStep:
    """The learner enters a date; the oracle computes the expected one."""

    id: str
    title: str
    narrative: str
    legal_step: str  # a step of the legal engine: notice, objection, dispute, ...
    start: DateRef
    points: int
    next: Next
    next_if_wrong: Next | None = None
    regime: str | None = None  # None: the case file's regime
    feedback_correct: str = ""
    feedback_wrong: str = ""
    kind: ClassVar[str] = "deadline"


@dataclass(frozen=True)
class ClassificationStep:
    id: str
    title: str
    narrative: str
    items: tuple[ClassificationItem, ...]
    next: Next
    next_if_wrong: Next | None = None
    points_per_item: int = 1
    feedback: str = ""
    kind: ClassVar[str] = "classification"


@dataclass(frozen=True)
class ChecklistStep:
    id: str
    title: str
    narrative: str
    elements: tuple[ChecklistElement, ...]
    next: Next
    next_if_wrong: Next | None = None
    points_per_element: int = 1
    feedback: str = ""
    kind: ClassVar[str] = "checklist"


@dataclass(frozen=True)
class EndingStep:
    id: str
    title: str
    narrative: str
    outcome: str
    debrief: str = ""
    kind: ClassVar[str] = "ending"


Step = DecisionStep | DeadlineStep | ClassificationStep | ChecklistStep | EndingStep
STEP_KINDS = ("decision", "deadline", "classification", "checklist", "ending")


@dataclass(frozen=True)
class Option:
    """One way out of a step: a choice, or a graded step's right / wrong outcome.

    `max_points` is the most the option can score (for the score bound and the solver).
    """

    key: str
    max_points: int
    next: Next
    choice: Choice | None = None


RIGHT, WRONG = "correct", "wrong"


def options(step: Step) -> tuple[Option, ...]:
    """The outgoing options of `step`; an ending has none."""
    if isinstance(step, DecisionStep):
        return tuple(Option(c.id, c.points, c.next, c) for c in step.choices)
    if isinstance(step, EndingStep):
        return ()
    full = max_points(step)
    if isinstance(step, DeadlineStep):
        partial = 0
    elif isinstance(step, ClassificationStep):
        partial = max(0, full - step.points_per_item)
    else:
        partial = max(0, full - step.points_per_element)
    right = Option(RIGHT, full, step.next)
    if isinstance(step, ChecklistStep) and len(step.elements) == 1:
        return (right,)  # the one non-empty pick is the right one: no wrong outcome
    wrong = step.next if step.next_if_wrong is None else step.next_if_wrong
    return (right, Option(WRONG, partial, wrong))


def max_points(step: Step) -> int:
    """The most one answer to `step` can score."""
    if isinstance(step, DecisionStep):
        return max((c.points for c in step.choices), default=0)
    if isinstance(step, DeadlineStep):
        return step.points
    if isinstance(step, ClassificationStep):
        return step.points_per_item * len(step.items)
    if isinstance(step, ChecklistStep):
        return step.points_per_element * sum(e.correct for e in step.elements)
    return 0


@dataclass(frozen=True)
class Edge:
    """A link of the graph: from `source` by `option` through one transition."""

    source: str
    target: str
    option: str
    when: Condition | None
    choice: Choice | None = None


def edges(step: Step) -> Iterator[Edge]:
    for option in options(step):
        for transition in option.next:
            yield Edge(
                step.id, transition.goto, option.key, transition.when, option.choice
            )


# --- the case file and the scenario ----------------------------------------------


@dataclass(frozen=True)
class CaseFile:
    requester: str
    request: str
    office: str
    regime: str
    events: tuple[tuple[str, date], ...]
    documents: tuple[str, ...] = ()
    summary: str = ""

    def event(self, name: str) -> date | None:
        return dict(self.events).get(name)


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    course: str
    start: str
    max_score: int
    pass_mark: int
    case: CaseFile
    steps: tuple[Step, ...]
    summary: str = ""
    version: int = 1

    @functools.cached_property
    def _by_id(self) -> dict[str, Step]:
        return {step.id: step for step in self.steps}

    def step(self, step_id: str) -> Step:
        try:
            return self._by_id[step_id]
        except KeyError:
            raise ScenarioError(
                f"scenario {self.slug!r} has no step {step_id!r}"
            ) from None

    def has_step(self, step_id: str) -> bool:
        return step_id in self._by_id

    @classmethod
    def from_dict(cls, data: object) -> Scenario:
        return _parse_scenario(data)

    def to_dict(self) -> dict[str, Any]:
        return _dump_scenario(self)


# --- parsing ----------------------------------------------------------------------

_TYPE_NAMES = {
    str: Text("teks", "a string"),
    int: Text("bilangan bulat", "an integer"),
    bool: Text("true/false", "true or false"),
    list: Text("daftar", "a list"),
    dict: Text("objek", "an object"),
}


class _Reader:
    """Reads one JSON object, remembering where it is for error messages."""

    def __init__(self, data: object, *, step_id: str | None, path: str) -> None:
        self.step_id = step_id
        self.path = path
        if not isinstance(data, dict):
            self.fail(None, _MUST_BE.format(id=_TYPE_NAMES[dict].id, en="an object"))
        self.data: dict[str, Any] = data
        self.seen: set[str] = set()

    def where(self, key: str | None) -> str | None:
        if key is None:
            return self.path or None
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | None, message: Text) -> None:
        raise ScenarioFormatError(message, step_id=self.step_id, field=self.where(key))

    def has(self, key: str) -> bool:
        return key in self.data

    def get(
        self, key: str, kind: type, *, default: Any = ..., allow_none: bool = False
    ):
        self.seen.add(key)
        if key not in self.data:
            if default is ...:
                self.fail(key, _MISSING)
            return default
        value = self.data[key]
        if value is None and allow_none:
            return None
        # bool is an int in Python; an author writing `true` for points is a mistake.
        wrong_bool = kind is int and isinstance(value, bool)
        if not isinstance(value, kind) or wrong_bool:
            name = _TYPE_NAMES[kind]
            self.fail(key, _MUST_BE.format(id=name.id, en=name.en))
        return value

    def text(self, key: str, *, default: Any = ..., required: bool = True) -> str:
        value = self.get(key, str, default=default)
        if required and default is ... and not value.strip():
            self.fail(key, _EMPTY)
        return value

    def ident(self, key: str) -> str:
        value = self.get(key, str)
        if not ID_RE.match(value):
            self.fail(key, _BAD_ID.format(value=value))
        return value

    def child(self, key: str, value: object) -> _Reader:
        return _Reader(value, step_id=self.step_id, path=self.where(key) or key)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            self.fail(None, _UNKNOWN_KEYS.format(keys=", ".join(unknown)))


_MISSING = Text("wajib diisi", "is required")
_EMPTY = Text("tidak boleh kosong", "must not be empty")
_MUST_BE = Text("harus berupa {id}", "must be {en}")
_BAD_ID = Text(
    "pengenal {value!r} tidak sah: gunakan huruf kecil, angka, '-' atau '_' "
    "(paling banyak 64 karakter)",
    "identifier {value!r} is invalid: use lowercase letters, digits, '-' or '_' "
    "(at most 64 characters)",
)
_UNKNOWN_KEYS = Text("kunci tidak dikenal: {keys}", "unknown keys: {keys}")
_BAD_DATE = Text(
    "tanggal {value!r} tidak sah (format YYYY-MM-DD, tanggal yang ada)",
    "date {value!r} is invalid (format YYYY-MM-DD, a real date)",
)
_DUPLICATE = Text(
    "pengenal {value!r} dipakai dua kali", "identifier {value!r} is used twice"
)
_BAD_KIND = Text(
    "jenis langkah {value!r} tidak dikenal; pilihan: {allowed}",
    "unknown step kind {value!r}; allowed: {allowed}",
)
_NEXT_SHAPE = Text(
    "harus berupa pengenal langkah atau daftar transisi yang tidak kosong",
    "must be a step id or a non-empty list of transitions",
)
_IN_SHAPE = Text(
    "harus berupa daftar teks yang tidak kosong", "must be a non-empty list of strings"
)
_ONE_OF = Text("isi tepat satu dari: {keys}", "give exactly one of: {keys}")
_DEFAULT_LAST = Text(
    "hanya transisi terakhir yang boleh tanpa 'when', dan transisi terakhir harus "
    "tanpa 'when' (bawaan)",
    "only the last transition may lack 'when', and the last one must lack it "
    "(the default)",
)


def parse_iso_date(value: str) -> date | None:
    """`YYYY-MM-DD` as a date, or None when malformed or impossible (2024-02-30)."""
    if not _ISO_DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_scenario(data: object) -> Scenario:
    r = _Reader(data, step_id=None, path="")
    slug = r.ident("slug")
    title = r.text("title")
    course = r.ident("course")
    summary = r.text("summary", default="")
    version = r.get("version", int, default=1)
    start = r.ident("start")
    max_score = r.get("max_score", int)
    pass_mark = r.get("pass_mark", int)
    case = _parse_case(r.child("case", r.get("case", dict)))
    raw_steps = r.get("steps", list)
    r.done()
    steps: list[Step] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_steps):
        step = _parse_step(raw, index)
        if step.id in seen:
            raise ScenarioFormatError(
                _DUPLICATE.format(value=step.id), step_id=step.id, field="id"
            )
        seen.add(step.id)
        steps.append(step)
    return Scenario(
        slug=slug,
        title=title,
        course=course,
        summary=summary,
        version=version,
        start=start,
        max_score=max_score,
        pass_mark=pass_mark,
        case=case,
        steps=tuple(steps),
    )


def _parse_case(r: _Reader) -> CaseFile:
    requester = r.text("requester")
    request = r.text("request")
    office = r.text("office")
    regime = r.text("regime")
    summary = r.text("summary", default="")
    documents = r.get("documents", list, default=[])
    raw_events = r.get("events", dict)
    r.done()
    for index, document in enumerate(documents):
        if not isinstance(document, str) or not document.strip():
            r.fail(f"documents[{index}]", _MUST_BE.format(id="teks", en="a string"))
    events = []
    for name, value in raw_events.items():
        if not ID_RE.match(name):
            r.fail(f"events.{name}", _BAD_ID.format(value=name))
        on = parse_iso_date(value) if isinstance(value, str) else None
        if on is None:
            r.fail(f"events.{name}", _BAD_DATE.format(value=value))
        events.append((name, on))
    return CaseFile(
        requester=requester,
        request=request,
        office=office,
        regime=regime,
        summary=summary,
        documents=tuple(documents),
        events=tuple(events),
    )


def _parse_step(raw: object, index: int) -> Step:
    probe = raw.get("id") if isinstance(raw, dict) else None
    step_id = probe if isinstance(probe, str) else None
    r = _Reader(raw, step_id=step_id, path="" if step_id else f"steps[{index}]")
    r.ident("id")
    kind = r.get("kind", str)
    if kind not in STEP_KINDS:
        r.fail("kind", _BAD_KIND.format(value=kind, allowed=", ".join(STEP_KINDS)))
    common = {
        "id": step_id,
        "title": r.text("title"),
        "narrative": r.text("narrative", default=""),
    }
    step: Step
    if kind == "decision":
        choices = [
            _parse_choice(r.child(f"choices[{i}]", c))
            for i, c in enumerate(r.get("choices", list))
        ]
        step = DecisionStep(**common, choices=tuple(choices))
    elif kind == "deadline":
        step = DeadlineStep(
            **common,
            legal_step=r.text("legal_step"),
            regime=r.get("regime", str, default=None),
            start=_parse_date_ref(r.child("start", r.get("start", dict))),
            points=r.get("points", int),
            next=_parse_next(r, "next"),
            next_if_wrong=_parse_next(r, "next_if_wrong", optional=True),
            feedback_correct=r.text("feedback_correct", default=""),
            feedback_wrong=r.text("feedback_wrong", default=""),
        )
    elif kind == "classification":
        items = [
            _parse_item(r.child(f"items[{i}]", item))
            for i, item in enumerate(r.get("items", list))
        ]
        step = ClassificationStep(
            **common,
            items=tuple(items),
            points_per_item=r.get("points_per_item", int, default=1),
            next=_parse_next(r, "next"),
            next_if_wrong=_parse_next(r, "next_if_wrong", optional=True),
            feedback=r.text("feedback", default=""),
        )
    elif kind == "checklist":
        elements = [
            _parse_element(r.child(f"elements[{i}]", element))
            for i, element in enumerate(r.get("elements", list))
        ]
        step = ChecklistStep(
            **common,
            elements=tuple(elements),
            points_per_element=r.get("points_per_element", int, default=1),
            next=_parse_next(r, "next"),
            next_if_wrong=_parse_next(r, "next_if_wrong", optional=True),
            feedback=r.text("feedback", default=""),
        )
    else:
        step = EndingStep(
            **common,
            outcome=r.text("outcome"),
            debrief=r.text("debrief", default=""),
        )
    r.done()
    return step


def _parse_choice(r: _Reader) -> Choice:
    choice = Choice(
        id=r.ident("id"),
        text=r.text("text"),
        points=r.get("points", int, default=0),
        feedback=r.text("feedback", default=""),
        next=_parse_next(r, "next"),
    )
    r.done()
    return choice


def _parse_date_ref(r: _Reader) -> DateRef:
    keys = [key for key in ("event", "step") if r.has(key)]
    if len(keys) != 1:
        r.fail(None, _ONE_OF.format(keys="event, step"))
    ref = DateRef(**{keys[0]: r.ident(keys[0])})
    r.done()
    return ref


def _parse_item(r: _Reader) -> ClassificationItem:
    item = ClassificationItem(
        id=r.ident("id"),
        text=r.text("text"),
        # Checked against CATEGORIES by validate(), so an author sees every problem.
        category=r.text("category"),
        letter=r.get("letter", str, default=None, allow_none=True),
        explanation=r.text("explanation", default=""),
    )
    r.done()
    return item


def _parse_element(r: _Reader) -> ChecklistElement:
    element = ChecklistElement(
        id=r.ident("id"),
        text=r.text("text"),
        correct=r.get("correct", bool),
        explanation=r.text("explanation", default=""),
    )
    r.done()
    return element


def _parse_next(r: _Reader, key: str, *, optional: bool = False) -> Next | None:
    if optional and not r.has(key):
        r.seen.add(key)
        return None
    raw = r.get(key, object)
    if isinstance(raw, str):
        if not ID_RE.match(raw):
            r.fail(key, _BAD_ID.format(value=raw))
        return (Transition(raw),)
    if not isinstance(raw, list) or not raw:
        r.fail(key, _NEXT_SHAPE)
    transitions = []
    for index, item in enumerate(raw):
        t = r.child(f"{key}[{index}]", item)
        goto = t.ident("goto")
        when = None
        if t.has("when"):
            when = _parse_condition(t.child("when", t.get("when", dict)))
        t.done()
        transitions.append(Transition(goto, when))
    defaults = [i for i, tr in enumerate(transitions) if tr.when is None]
    if defaults != [len(transitions) - 1]:
        r.fail(key, _DEFAULT_LAST)
    return tuple(transitions)


def _parse_condition(r: _Reader) -> Condition:
    keys = [k for k in ("score_at_least", "score_below", "answer_of") if r.has(k)]
    if len(keys) != 1:
        r.fail(None, _ONE_OF.format(keys="score_at_least, score_below, answer_of"))
    key = keys[0]
    if key == "answer_of":
        condition = Condition(
            answer_of=_parse_answer_of(r.child(key, r.get(key, dict)))
        )
    else:
        condition = Condition(**{key: r.get(key, int)})
    r.done()
    return condition


def _parse_answer_of(r: _Reader) -> AnswerOf:
    step = r.ident("step")
    keys = [k for k in ("equals", "in", "correct") if r.has(k)]
    if len(keys) != 1:
        r.fail(None, _ONE_OF.format(keys="equals, in, correct"))
    if keys[0] == "equals":
        answer = AnswerOf(step, equals=r.get("equals", str))
    elif keys[0] == "in":
        values = r.get("in", list)
        if not values or not all(isinstance(v, str) for v in values):
            r.fail("in", _IN_SHAPE)
        answer = AnswerOf(step, in_=tuple(values))
    else:
        answer = AnswerOf(step, correct=r.get("correct", bool))
    r.done()
    return answer


# --- serialising --------------------------------------------------------------------


def _dump_scenario(s: Scenario) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "title": s.title,
        "course": s.course,
        "summary": s.summary,
        "version": s.version,
        "start": s.start,
        "max_score": s.max_score,
        "pass_mark": s.pass_mark,
        "case": {
            "requester": s.case.requester,
            "request": s.case.request,
            "office": s.case.office,
            "regime": s.case.regime,
            "summary": s.case.summary,
            "documents": list(s.case.documents),
            "events": {name: on.isoformat() for name, on in s.case.events},
        },
        "steps": [dump_step(step) for step in s.steps],
    }


def dump_step(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": step.id,
        "kind": step.kind,
        "title": step.title,
        "narrative": step.narrative,
    }
    if isinstance(step, DecisionStep):
        data["choices"] = [
            {
                "id": c.id,
                "text": c.text,
                "points": c.points,
                "feedback": c.feedback,
                "next": dump_next(c.next),
            }
            for c in step.choices
        ]
    elif isinstance(step, DeadlineStep):
        data["legal_step"] = step.legal_step
        if step.regime is not None:
            data["regime"] = step.regime
        data["start"] = (
            {"event": step.start.event}
            if step.start.event is not None
            else {"step": step.start.step}
        )
        data["points"] = step.points
        data["feedback_correct"] = step.feedback_correct
        data["feedback_wrong"] = step.feedback_wrong
    elif isinstance(step, ClassificationStep):
        data["points_per_item"] = step.points_per_item
        data["feedback"] = step.feedback
        data["items"] = [
            {
                "id": i.id,
                "text": i.text,
                "category": i.category,
                **({"letter": i.letter} if i.letter is not None else {}),
                "explanation": i.explanation,
            }
            for i in step.items
        ]
    elif isinstance(step, ChecklistStep):
        data["points_per_element"] = step.points_per_element
        data["feedback"] = step.feedback
        data["elements"] = [
            {
                "id": e.id,
                "text": e.text,
                "correct": e.correct,
                "explanation": e.explanation,
            }
            for e in step.elements
        ]
    else:
        data["outcome"] = step.outcome
        data["debrief"] = step.debrief
    if not isinstance(step, DecisionStep | EndingStep):
        data["next"] = dump_next(step.next)
        if step.next_if_wrong is not None:
            data["next_if_wrong"] = dump_next(step.next_if_wrong)
    return data


def dump_next(next_: Next) -> str | list[dict[str, Any]]:
    if len(next_) == 1 and next_[0].when is None:
        return next_[0].goto
    return [
        {"goto": t.goto, **({"when": dump_condition(t.when)} if t.when else {})}
        for t in next_
    ]


def dump_condition(c: Condition) -> dict[str, Any]:
    if c.score_at_least is not None:
        return {"score_at_least": c.score_at_least}
    if c.score_below is not None:
        return {"score_below": c.score_below}
    a = c.answer_of or AnswerOf("")
    if a.correct is not None:
        test: dict[str, Any] = {"correct": a.correct}
    elif a.equals is not None:
        test = {"equals": a.equals}
    else:
        test = {"in": list(a.in_ or ())}
    return {"answer_of": {"step": a.step, **test}}
