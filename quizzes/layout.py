"""An attempt's layout and the learner's form: pure functions, no Django.

The layout is fixed when an attempt starts and stored with it (JSON): for each
slot, the question id, its kind, and its options in display order, each under a
random token. The browser only ever sees slot numbers and tokens, so neither the
option ids nor their order say anything about the key.

    {"slot": 1, "q": 17, "kind": "single", "opts": [["9f2c41ab", 53], ...]}
    {"slot": 2, "q": 4, "kind": "matching", "opts": [[token, premise id], ...],
     "answers": [[token, "answer text"], ...]}

Form fields: `q<slot>` (choice token, list of tokens, date or text), and
`q<slot>-<token>` for the position of an ordering step or the answer token of a
matching premise. A hidden `slots` field lists the slots shown on the page, so an
unticked box on the page clears that answer.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from . import scoring

MAX_TEXT = 500
_FIELD = re.compile(r"^q(\d+)(?:-([0-9a-f]+))?$")


class AnswerRefused(ValueError):
    """The form does not fit the attempt: unknown question, option or value."""

    def __init__(self, code: str, slot: int | None = None):
        super().__init__(code)
        self.code = code
        self.slot = slot


@dataclass(frozen=True)
class QuestionSpec:
    """What the layout needs to know about one question."""

    id: int
    kind: str
    # (choice id, premise text, match text) in authored order
    choices: tuple[tuple[int, str, str], ...]


def _token_factory() -> Callable[[], str]:
    seen: set[str] = set()

    def new() -> str:
        while True:
            token = secrets.token_hex(4)
            if token not in seen:
                seen.add(token)
                return token

    return new


def build_layout(
    questions: Sequence[QuestionSpec],
    *,
    rng: random.Random,
    shuffle_questions: bool,
    shuffle_options: bool,
    token: Callable[[], str] | None = None,
) -> list[dict]:
    token = token or _token_factory()
    questions = list(questions)
    if shuffle_questions:
        rng.shuffle(questions)
    layout = []
    for slot, question in enumerate(questions, start=1):
        entry: dict = {"slot": slot, "q": question.id, "kind": question.kind}
        if question.kind in (scoring.DATE, scoring.SHORT):
            entry["opts"] = []  # accepted answers never go into the page
        elif question.kind == scoring.MATCHING:
            premises = [c for c in question.choices if c[1].strip()]
            if shuffle_options:
                rng.shuffle(premises)
            answers = sorted({c[2].strip() for c in question.choices if c[2].strip()})
            rng.shuffle(answers)  # always: sorted answers would pair up visibly
            entry["opts"] = [[token(), c[0]] for c in premises]
            entry["answers"] = [[token(), text] for text in answers]
        elif question.kind == scoring.ORDERING:
            steps = [c[0] for c in question.choices]
            shown = list(steps)
            # Always shuffled, and never shown in the right order.
            for _ in range(20):
                rng.shuffle(shown)
                if shown != steps or len(steps) < 2:
                    break
            entry["opts"] = [[token(), cid] for cid in shown]
        else:
            ids = [c[0] for c in question.choices]
            if shuffle_options and question.kind != scoring.TRUE_FALSE:
                rng.shuffle(ids)
            entry["opts"] = [[token(), cid] for cid in ids]
        layout.append(entry)
    return layout


def slot_map(layout: Sequence[Mapping]) -> dict[int, Mapping]:
    return {entry["slot"]: entry for entry in layout}


def _parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    raise AnswerRefused("bad_date")


def parse_slot(entry: Mapping, data) -> dict | None:
    """The stored response for one slot from form `data` (None = unanswered).

    `data` needs `get(name)` and `getlist(name)` (a Django QueryDict or MultiDict).
    """
    slot, kind = entry["slot"], entry["kind"]
    name = f"q{slot}"
    by_token = dict(entry.get("opts", []))
    try:
        if kind in (scoring.SINGLE, scoring.TRUE_FALSE):
            value = (data.get(name) or "").strip()
            if not value:
                return None
            if value not in by_token:
                raise AnswerRefused("unknown_option", slot)
            return {"choice": by_token[value]}
        if kind == scoring.MULTIPLE:
            values = [v for v in data.getlist(name) if v]
            if any(v not in by_token for v in values):
                raise AnswerRefused("unknown_option", slot)
            return (
                {"choices": sorted({by_token[v] for v in values})} if values else None
            )
        if kind == scoring.ORDERING:
            positions = {}
            for tok, cid in entry["opts"]:
                raw = (data.get(f"{name}-{tok}") or "").strip()
                if not raw:
                    continue
                if not raw.isdigit() or not 1 <= int(raw) <= len(entry["opts"]):
                    raise AnswerRefused("bad_position", slot)
                positions[str(cid)] = int(raw)
            return {"positions": positions} if positions else None
        if kind == scoring.MATCHING:
            answers = dict(entry.get("answers", []))
            pairs = {}
            for tok, cid in entry["opts"]:
                raw = (data.get(f"{name}-{tok}") or "").strip()
                if not raw:
                    continue
                if raw not in answers:
                    raise AnswerRefused("unknown_option", slot)
                pairs[str(cid)] = answers[raw]
            return {"pairs": pairs} if pairs else None
        if kind == scoring.DATE:
            value = (data.get(name) or "").strip()
            return {"date": _parse_date(value).isoformat()} if value else None
        value = (data.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            raise AnswerRefused("too_long", slot)
        return {"text": value} if value else None
    except AnswerRefused as exc:
        exc.slot = slot
        raise


def parse_form(layout: Sequence[Mapping], data) -> dict[int, dict | None]:
    """Responses for every slot the form shows; refuses fields for other slots."""
    slots = slot_map(layout)
    shown: set[int] = set()
    for raw in (data.get("slots") or "").split(","):
        raw = raw.strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) not in slots:
            raise AnswerRefused("unknown_question")
        shown.add(int(raw))
    for name in data:
        match = _FIELD.match(name)
        if match is None:
            continue  # csrf token, version, buttons — and anything the client adds
        slot = int(match.group(1))
        if slot not in slots:
            raise AnswerRefused("unknown_question", slot)
        shown.add(slot)
    return {slot: parse_slot(slots[slot], data) for slot in sorted(shown)}


def to_response(kind: str, stored: Mapping | None) -> scoring.Response | None:
    """The stored JSON as a scoring.Response."""
    if not stored:
        return None
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE):
        return scoring.Response(choice=stored.get("choice"))
    if kind == scoring.MULTIPLE:
        return scoring.Response(choices=frozenset(stored.get("choices", ())))
    if kind == scoring.ORDERING:
        return scoring.Response(
            positions={int(k): int(v) for k, v in stored.get("positions", {}).items()}
        )
    if kind == scoring.MATCHING:
        return scoring.Response(
            pairs={int(k): v for k, v in stored.get("pairs", {}).items()}
        )
    if kind == scoring.DATE:
        value = stored.get("date")
        return scoring.Response(date=date.fromisoformat(value) if value else None)
    return scoring.Response(text=stored.get("text"))
