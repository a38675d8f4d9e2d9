"""What the attempt and review templates show, built from an attempt's layout.

The attempt page gets option *tokens* and texts only. The review adds right
answers and feedback only when the quiz's review options allow it (the caller
decides, `selectors.attempt_review_flags`).
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.rendering import render_markdown
from lms.deadlines.adapters import calendar_overrides
from lms.kip import REGIMES, STEPS

from . import scoring
from .layout import to_response
from .models import Attempt, Question
from .selectors import (
    answer_key,
    attempt_answers,
    questions_with_choices,
)


def _fmt_date(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def attempt_page(attempt: Attempt, number: int, *, per_page: int) -> dict:
    """Context of question page `number` (1-based). Three queries."""
    layout = attempt.layout
    entries = layout[(number - 1) * per_page : number * per_page]
    answers = attempt_answers(attempt)
    questions = questions_with_choices({e["q"] for e in entries}, with_category=False)
    items = []
    for entry in entries:
        question = questions[entry["q"]]
        answer = answers.get(entry["slot"])
        response = (answer.response if answer else None) or {}
        items.append(_question_item(entry, question, response))
    nav = [
        {
            "slot": e["slot"],
            "page": (i // per_page) + 1,
            "answered": bool(answers.get(e["slot"]) and answers[e["slot"]].response),
        }
        for i, e in enumerate(layout)
    ]
    seconds_left = None
    if attempt.deadline:
        seconds_left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "number": number,
        "items": items,
        "nav": nav,
        "slots_csv": ",".join(str(e["slot"]) for e in entries),
        "seconds_left": seconds_left,
        "time_left": (
            f"{seconds_left // 60}:{seconds_left % 60:02d}"
            if seconds_left is not None
            else ""
        ),
        "is_last_page": number * per_page >= len(layout),
    }


def _question_item(entry: dict, question: Question, response: dict) -> dict:
    slot, kind = entry["slot"], entry["kind"]
    texts = {c.pk: c.text for c in question.choice_list}
    item = {
        "slot": slot,
        "kind": kind,
        "field": f"q{slot}",
        "text_html": render_markdown(question.text),
        "points": question.points,
        "answered": bool(response),
    }
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.MULTIPLE):
        picked = set(response.get("choices", [])) | {response.get("choice")}
        item["options"] = [
            {"token": tok, "label": texts.get(cid, ""), "checked": cid in picked}
            for tok, cid in entry["opts"]
        ]
    elif kind == scoring.ORDERING:
        positions = {int(k): v for k, v in response.get("positions", {}).items()}
        item["steps"] = [
            {"token": tok, "label": texts.get(cid, ""), "position": positions.get(cid)}
            for tok, cid in entry["opts"]
        ]
        item["positions"] = list(range(1, len(entry["opts"]) + 1))
    elif kind == scoring.MATCHING:
        pairs = {int(k): v for k, v in response.get("pairs", {}).items()}
        by_text = {text: tok for tok, text in entry.get("answers", [])}
        item["premises"] = [
            {
                "token": tok,
                "label": texts.get(cid, ""),
                "selected": by_text.get(pairs.get(cid, ""), ""),
            }
            for tok, cid in entry["opts"]
        ]
        item["answers"] = [{"token": t, "label": text} for t, text in entry["answers"]]
    elif kind == scoring.DATE:
        item["value"] = response.get("date", "")
    else:
        item["value"] = response.get("text", "")
    return item


# --- Review --------------------------------------------------------------------------


def _status(fraction, answered: bool) -> str:
    if not answered:
        return "unanswered"
    if fraction is None:
        return "ungraded"
    if fraction >= 1:
        return "correct"
    return "partial" if fraction > 0 else "wrong"


def review_items(attempt: Attempt, *, answers: bool, feedback: bool) -> list[dict]:
    """One entry per slot: the learner's answer, and (if allowed) key and feedback."""
    rows = attempt_answers(attempt)
    questions = questions_with_choices(
        {e["q"] for e in attempt.layout}, with_category=False
    )
    overrides = calendar_overrides() if answers else None
    items = []
    for entry in attempt.layout:
        question = questions[entry["q"]]
        row = rows.get(entry["slot"])
        response = (row.response if row else None) or {}
        choices = question.choice_list
        texts = {c.pk: c.text for c in choices}
        item = {
            "slot": entry["slot"],
            "kind": question.kind,
            "text_html": render_markdown(question.text),
            "points": row.points if row else None,
            "max_points": question.points,
            "status": _status(row.fraction if row else None, bool(response)),
            "yours": _describe(entry, question, response, texts),
            "right": [],
            "feedback": [],
        }
        if answers:
            key = answer_key(question, choices, overrides=overrides)
            item["right"] = _describe_key(question, key, texts)
        if feedback:
            chosen = _chosen_ids(question.kind, response)
            item["feedback"] = [
                render_markdown(c.feedback)
                for c in choices
                if c.pk in chosen and c.feedback
            ]
            item["explanation_html"] = render_markdown(question.explanation)
            item["legal_basis"] = question.legal_basis
            item["marker"] = question.basis_marker
            item["marker_label"] = question.get_basis_marker_display()
        items.append(item)
    return items


def _chosen_ids(kind: str, response: dict) -> set[int]:
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE):
        return {response.get("choice")}
    if kind == scoring.MULTIPLE:
        return set(response.get("choices", []))
    return set()


def _describe(entry, question, response, texts) -> list[str]:
    if not response:
        return []
    kind = question.kind
    parsed = to_response(kind, response)
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE):
        return [texts.get(parsed.choice, "")]
    if kind == scoring.MULTIPLE:
        order = [cid for _, cid in entry["opts"]]
        return [texts[c] for c in order if c in parsed.choices and c in texts]
    if kind == scoring.ORDERING:
        order = scoring.ordering_from_positions(parsed.positions)
        return [f"{parsed.positions[c]}. {texts.get(c, '')}" for c in order]
    if kind == scoring.MATCHING:
        return [
            f"{texts.get(cid, '')} → {answer}"
            for _, cid in entry["opts"]
            if (answer := parsed.pairs.get(cid))
        ]
    if kind == scoring.DATE:
        return [_fmt_date(parsed.date)]
    return [parsed.text or ""]


def _describe_key(question: Question, key: scoring.Key, texts) -> list[str]:
    kind = question.kind
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.MULTIPLE):
        return [texts[c.pk] for c in question.choice_list if c.is_correct]
    if kind == scoring.ORDERING:
        return [f"{i}. {texts[c]}" for i, c in enumerate(key.order, start=1)]
    if kind == scoring.MATCHING:
        return [f"{texts[c]} → {answer}" for c, answer in key.pairs.items()]
    if kind == scoring.DATE:
        line = _fmt_date(key.expected_date)
        if question.kip_step and question.kip_start:
            step = STEPS[question.kip_step].label.id
            regime = REGIMES[question.kip_regime or "general"].label.id
            line += " — " + _(
                "computed by the legal engine: %(step)s, event on %(start)s, %(regime)s"
            ) % {"step": step, "start": _fmt_date(question.kip_start), "regime": regime}
        return [line]
    return list(key.accepted)


def fraction_percent(value: Fraction) -> str:
    return f"{float(value) * 100:.0f}"
