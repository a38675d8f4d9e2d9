"""The question bank as files: Moodle XML in and out, and the platform's own YAML.

No Django here: files become `ParsedQuestion` values (and back), and
`services.bank_import` writes them. Each question is validated on its own, so a
file with broken or unsupported questions imports the good ones and reports every
rejected one with its reason.

Moodle XML, by type:

- single / multiple ↔ multichoice (single true/false). Partial credit becomes
  right/wrong: single keeps fraction 100 as right; multiple takes every positive
  fraction as right, and exports right = 100/k, wrong = −100/k.
- true/false ↔ truefalse: options "Benar"/"Salah" ↔ "true"/"false".
- short text ↔ shortanswer: answers at 100 % are accepted; always
  case-insensitive.
- matching ↔ matching: a subquestion with no text is a distractor answer.
- ordering ↔ ordering, Moodle's ordering question type (a plugin in older Moodle
  releases): the items in the right order.
- date: no Moodle equivalent, left out of exports with the reason.

Our general explanation is Moodle's general feedback; the legal basis travels as
its last line, `**Dasar hukum:** … [V]`. A category's regulation and topic travel
in the category's info as `Regulasi: …` / `Topik: …` lines. Moodle's `idnumber`
is the question's stable external id.

Parsing is safe: defusedxml refuses DTDs, entity declarations and external
references (XXE, "billion laughs"), and files over `MAX_BYTES` are refused before
parsing.
"""

from __future__ import annotations

import datetime
import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - building only; parsing uses defusedxml
from collections.abc import Callable
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from . import scoring

MAX_BYTES = 5 * 1024 * 1024
TRUE_LABEL, FALSE_LABEL = "Benar", "Salah"
MARKERS = ("V", "S", "R")
_BASIS = re.compile(
    r"\n*\s*(?:<p>)?\*\*Dasar hukum:\*\*\s*(?P<basis>.+?)(?:\s*\[(?P<marker>[VSR])\])?"
    r"\s*(?:</p>)?\s*$",
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")


class BankFileError(ValueError):
    """The whole file is unusable (too big, not XML, unsafe XML, bad YAML).

    `code` says which (too_large, unsafe_xml, malformed_xml, not_moodle, bad_yaml,
    yaml_aliases, no_questions) so that a view can explain it in the reader's
    language; `detail` is the parser's own words, where it has some.
    """

    def __init__(self, message: str, *, code: str, detail: str = ""):
        super().__init__(message)
        self.code, self.detail = code, detail


def gettext_noop(message: str) -> str:
    """Mark `message` for the translation catalogue, untranslated.

    makemessages finds messages by this name; this module has no Django, so
    whoever shows a `Reason` translates it then (`Reason.translated`).
    """
    return message


class Reason(str):
    """An import message: the English text, plus what it takes to translate it.

    `message` is the catalogue's msgid with `%(name)s` fields, `params` their
    values (a Reason among them is translated too). As a str it is the English
    text, for logs and the command line.
    """

    message: str
    params: dict

    def __new__(cls, message: str, **params) -> Reason:
        text = message % {k: str(v) for k, v in params.items()} if params else message
        reason = super().__new__(cls, text)
        reason.message, reason.params = message, params
        return reason

    def translated(self, gettext: Callable[[str], str]) -> str:
        text = gettext(self.message)
        if not self.params:
            return text
        return text % {
            k: v.translated(gettext) if isinstance(v, Reason) else v
            for k, v in self.params.items()
        }


def question_message(index: int, name: str, reason: str) -> Reason:
    """'question 3 'Name': why' — a rejection of, or a warning about, a question."""
    return Reason(
        gettext_noop("question %(index)s '%(name)s': %(reason)s"),
        index=index,
        name=name,
        reason=reason,
    )


class QuestionRefused(ValueError):
    """A question in the file cannot be read; `reason` says why."""

    def __init__(self, reason: Reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedChoice:
    text: str
    is_correct: bool = False
    match_text: str = ""
    feedback: str = ""


@dataclass
class ParsedCategory:
    name: str
    regulation: str = "lainnya"
    topic: str = ""
    description: str = ""


@dataclass
class ParsedQuestion:
    index: int  # 1-based position in the file, for the report
    name: str
    kind: str
    text: str
    category: ParsedCategory | None = None
    choices: list[ParsedChoice] = field(default_factory=list)
    explanation: str = ""
    legal_basis: str = ""
    marker: str = "V"
    points: int = 1
    tags: list[str] = field(default_factory=list)
    external_id: str | None = None
    date_answer: datetime.date | None = None
    kip_step: str = ""
    kip_start: datetime.date | None = None
    kip_regime: str = "general"
    warnings: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Rejection:
    index: int
    name: str
    reason: str

    def __str__(self) -> str:
        return str(self.message)

    @property
    def message(self) -> Reason:
        """The whole line, 'question 3 'Name': why', translatable."""
        return question_message(self.index, self.name, self.reason)


@dataclass
class ParsedBank:
    questions: list[ParsedQuestion] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def validate(q: ParsedQuestion, *, kip_check=None) -> Reason | None:
    """The first reason `q` cannot be imported, or None.

    `kip_check(step, start, regime)` raises ValueError when the legal engine cannot
    compute the date (passed in to keep this module free of the engine's data).
    """
    if not q.name.strip():
        return Reason(gettext_noop("the question has no name"))
    if not q.text.strip():
        return Reason(gettext_noop("the question has no text"))
    if q.kind not in scoring.KINDS:
        return Reason(gettext_noop("type %(kind)s is not supported"), kind=q.kind)
    if q.marker not in MARKERS:
        return Reason(
            gettext_noop("unknown reliability marker %(marker)s (use V, S or R)"),
            marker=repr(q.marker),
        )
    if q.points < 1:
        return Reason(gettext_noop("points must be at least 1"))
    right = [c for c in q.choices if c.is_correct]
    if q.kind in (scoring.SINGLE, scoring.MULTIPLE):
        if len(q.choices) < 2:
            return Reason(gettext_noop("a choice question needs at least two options"))
        if not right:
            return Reason(gettext_noop("no option is marked right"))
        if any(not c.text.strip() for c in q.choices):
            return Reason(gettext_noop("an option has no text"))
    elif q.kind == scoring.TRUE_FALSE:
        if len(q.choices) != 2 or len(right) != 1:
            return Reason(
                gettext_noop(
                    "a true/false question needs exactly one right answer of two"
                )
            )
    elif q.kind == scoring.ORDERING:
        if len(q.choices) < 2 or any(not c.text.strip() for c in q.choices):
            return Reason(
                gettext_noop("an ordering question needs at least two steps with text")
            )
    elif q.kind == scoring.MATCHING:
        premises = [c for c in q.choices if c.text.strip()]
        if len(premises) < 2:
            return Reason(
                gettext_noop("a matching question needs at least two premises")
            )
        if any(not c.match_text.strip() for c in q.choices):
            return Reason(gettext_noop("every premise needs an answer"))
    elif q.kind == scoring.SHORT:
        if not [c for c in q.choices if c.text.strip()]:
            return Reason(
                gettext_noop(
                    "a short-answer question needs at least one accepted answer"
                )
            )
    elif q.kind == scoring.DATE:
        has_kip = bool(q.kip_step and q.kip_start)
        if bool(q.date_answer) == has_kip:
            return Reason(
                gettext_noop(
                    "a date question needs either a date or a KIP step and start date"
                )
            )
        if has_kip and kip_check is not None:
            try:
                kip_check(q.kip_step, q.kip_start, q.kip_regime)
            except (ValueError, KeyError) as exc:
                return Reason(
                    gettext_noop("the legal engine cannot compute the date: %(error)s"),
                    error=exc,
                )
    return None


def _invalid(exc: Exception) -> Reason:
    return Reason(gettext_noop("invalid entry (%(error)s)"), error=exc)


# --- Moodle XML: reading --------------------------------------------------------------


def _plain(value: str) -> str:
    """Text of an HTML fragment (option labels are plain text here)."""
    return html.unescape(_TAGS.sub("", value or "")).strip()


def _text(element, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _split_basis(feedback: str) -> tuple[str, str, str]:
    match = _BASIS.search(feedback or "")
    if not match:
        return (feedback or "").strip(), "", "V"
    explanation = feedback[: match.start()].strip()
    return explanation, _plain(match.group("basis")), match.group("marker") or "V"


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


def _category(path: str, info: str) -> ParsedCategory:
    name = path.strip().rstrip("/").split("/")[-1].strip() or "Impor Moodle"
    regulation, topic, rest = "lainnya", "", []
    for line in _plain(info).splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "regulasi":
            regulation = value.strip()
        elif key.strip().lower() == "topik":
            topic = value.strip()
        elif line.strip():
            rest.append(line.strip())
    return ParsedCategory(name, regulation, topic or name, "\n".join(rest))


def parse_moodle_xml(data: bytes, *, max_bytes: int = MAX_BYTES) -> ParsedBank:
    if len(data) > max_bytes:
        raise BankFileError(
            f"the file is larger than {max_bytes // (1024 * 1024)} MB",
            code="too_large",
        )
    try:
        root = SafeET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise BankFileError(
            "the file declares a DTD, entities or external references, which are "
            "not allowed",
            code="unsafe_xml",
        ) from exc
    except ET.ParseError as exc:
        raise BankFileError(
            f"the file is not well-formed XML ({exc})",
            code="malformed_xml",
            detail=str(exc),
        ) from exc
    if root.tag != "quiz":
        raise BankFileError(
            "the file is not Moodle XML (no <quiz> root element)", code="not_moodle"
        )

    bank = ParsedBank()
    category: ParsedCategory | None = None
    index = 0
    for element in root.findall("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = _category(
                _text(element.find("category")), _text(element.find("info"))
            )
            continue
        index += 1
        name = _plain(_text(element.find("name"))) or f"#{index}"
        try:
            parsed = _parse_question(element, qtype, index, name, category)
        except QuestionRefused as exc:
            bank.rejected.append(Rejection(index, name, exc.reason))
            continue
        except (ValueError, TypeError) as exc:
            bank.rejected.append(Rejection(index, name, _invalid(exc)))
            continue
        reason = validate(parsed)
        if reason:
            bank.rejected.append(Rejection(index, name, reason))
        else:
            bank.questions.append(parsed)
    return bank


_MOODLE_TYPES = {"multichoice", "truefalse", "shortanswer", "matching", "ordering"}


def _parse_question(element, qtype, index, name, category) -> ParsedQuestion:
    if qtype not in _MOODLE_TYPES:
        raise QuestionRefused(
            Reason(gettext_noop("type %(kind)s is not supported"), kind=qtype or "—")
        )
    explanation, basis, marker = _split_basis(_text(element.find("generalfeedback")))
    grade = (
        _text(element, "defaultgrade")
        if element.find("defaultgrade") is not None
        else ""
    )
    try:
        points = max(1, round(float(element.findtext("defaultgrade") or grade or "1")))
    except ValueError:
        points = 1
    q = ParsedQuestion(
        index=index,
        name=name,
        kind="",
        text=_text(element.find("questiontext")).strip(),
        category=category,
        explanation=explanation,
        legal_basis=basis,
        marker=marker,
        points=points,
        tags=[
            _plain(_text(t)) for t in element.findall("tags/tag") if _text(t).strip()
        ],
        external_id=(element.findtext("idnumber") or "").strip() or None,
    )
    answers = element.findall("answer")
    if qtype == "multichoice":
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        q.kind = scoring.SINGLE if single else scoring.MULTIPLE
        for a in answers:
            fraction = _fraction(a)
            right = fraction >= 99.99 if single else fraction > 0
            if 0 < fraction < 99.99 and single:
                q.warnings.append(
                    Reason(gettext_noop("partial credit of an option was dropped"))
                )
            q.choices.append(
                ParsedChoice(
                    _plain(_text(a)), right, "", _text(a.find("feedback")).strip()
                )
            )
    elif qtype == "truefalse":
        q.kind = scoring.TRUE_FALSE
        by_value = {_plain(_text(a)).lower(): a for a in answers}
        if set(by_value) != {"true", "false"}:
            raise QuestionRefused(
                Reason(
                    gettext_noop(
                        "a true/false question needs the answers true and false"
                    )
                )
            )
        for value, label in (("true", TRUE_LABEL), ("false", FALSE_LABEL)):
            a = by_value[value]
            q.choices.append(
                ParsedChoice(
                    label, _fraction(a) >= 99.99, "", _text(a.find("feedback")).strip()
                )
            )
    elif qtype == "shortanswer":
        q.kind = scoring.SHORT
        if (element.findtext("usecase") or "0").strip() == "1":
            q.warnings.append(
                Reason(
                    gettext_noop(
                        "case-sensitive matching is not supported; imported as "
                        "case-insensitive"
                    )
                )
            )
        for a in answers:
            fraction = _fraction(a)
            if fraction >= 99.99:
                q.choices.append(
                    ParsedChoice(
                        _plain(_text(a)), True, "", _text(a.find("feedback")).strip()
                    )
                )
            elif fraction > 0:
                q.warnings.append(
                    Reason(gettext_noop("a partial-credit answer was dropped"))
                )
    elif qtype == "matching":
        q.kind = scoring.MATCHING
        for sub in element.findall("subquestion"):
            q.choices.append(
                ParsedChoice(
                    _plain(_text(sub)), False, _plain(_text(sub.find("answer")))
                )
            )
    else:
        q.kind = scoring.ORDERING
        ordered = answers
        fractions = [_fraction(a) for a in answers]
        if len(set(fractions)) == len(fractions) and all(f > 0 for f in fractions):
            ordered = [
                a
                for _, a in sorted(
                    zip(fractions, answers, strict=True), key=lambda p: p[0]
                )
            ]
        for a in ordered:
            q.choices.append(
                ParsedChoice(
                    _plain(_text(a)), False, "", _text(a.find("feedback")).strip()
                )
            )
    return q


# --- Moodle XML: writing --------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


def _sub_text(parent, tag: str, value: str, fmt: str | None = None):
    element = ET.SubElement(parent, tag)
    if fmt:
        element.set("format", fmt)
    ET.SubElement(element, "text").text = value
    return element


def _num(value: float) -> str:
    return (
        f"{value:.7f}".rstrip("0").rstrip(".")
        if value != int(value)
        else str(int(value))
    )


def export_moodle_xml(questions: list[ParsedQuestion]) -> tuple[bytes, list[Skipped]]:
    """Moodle XML for the questions Moodle can hold, and the ones left out."""
    root = ET.Element("quiz")
    skipped: list[Skipped] = []
    current = None
    for q in questions:
        if q.kind == scoring.DATE:
            skipped.append(Skipped(q.name, "type date has no Moodle equivalent"))
            continue
        if q.category and q.category.name != current:
            current = q.category.name
            cat = ET.SubElement(root, "question", type="category")
            _sub_text(cat, "category", f"$course$/top/{q.category.name}")
            info = f"Regulasi: {q.category.regulation}\nTopik: {q.category.topic}"
            if q.category.description:
                info += "\n" + q.category.description
            _sub_text(cat, "info", info, "plain_text")
        moodle_type = {
            scoring.SINGLE: "multichoice",
            scoring.MULTIPLE: "multichoice",
            scoring.TRUE_FALSE: "truefalse",
            scoring.SHORT: "shortanswer",
            scoring.MATCHING: "matching",
            scoring.ORDERING: "ordering",
        }[q.kind]
        el = ET.SubElement(root, "question", type=moodle_type)
        _sub_text(el, "name", q.name)
        _sub_text(el, "questiontext", q.text, "markdown")
        feedback = q.explanation
        if q.legal_basis:
            feedback = (
                f"{feedback}\n\n**Dasar hukum:** {q.legal_basis} [{q.marker}]".strip()
            )
        _sub_text(el, "generalfeedback", feedback, "markdown")
        ET.SubElement(el, "defaultgrade").text = str(q.points)
        ET.SubElement(el, "penalty").text = "0"
        ET.SubElement(el, "hidden").text = "0"
        ET.SubElement(el, "idnumber").text = q.external_id or ""
        _write_answers(el, q)
        if q.tags:
            tags = ET.SubElement(el, "tags")
            for tag in q.tags:
                _sub_text(tags, "tag", tag)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode(), skipped


def _answer(parent, fraction: float, text: str, feedback: str = "", fmt="plain_text"):
    a = ET.SubElement(parent, "answer", fraction=_num(fraction), format=fmt)
    ET.SubElement(a, "text").text = text
    _sub_text(a, "feedback", feedback, "markdown")
    return a


def _write_answers(el, q: ParsedQuestion) -> None:
    if q.kind in (scoring.SINGLE, scoring.MULTIPLE):
        ET.SubElement(el, "single").text = (
            "true" if q.kind == scoring.SINGLE else "false"
        )
        ET.SubElement(el, "shuffleanswers").text = "true"
        ET.SubElement(el, "answernumbering").text = "abc"
        right = sum(c.is_correct for c in q.choices)
        wrong = len(q.choices) - right
        for c in q.choices:
            if q.kind == scoring.SINGLE:
                fraction = 100.0 if c.is_correct else 0.0
            else:
                fraction = (
                    round(100 / right, 5)
                    if c.is_correct
                    else (-round(100 / right, 5) if wrong else 0.0)
                )
            _answer(el, fraction, c.text, c.feedback)
    elif q.kind == scoring.TRUE_FALSE:
        by_label = {c.text.strip().lower(): c for c in q.choices}
        true = by_label.get(TRUE_LABEL.lower()) or q.choices[0]
        false = by_label.get(FALSE_LABEL.lower()) or q.choices[1]
        _answer(
            el,
            100 if true.is_correct else 0,
            "true",
            true.feedback,
            "moodle_auto_format",
        )
        _answer(
            el,
            100 if false.is_correct else 0,
            "false",
            false.feedback,
            "moodle_auto_format",
        )
    elif q.kind == scoring.SHORT:
        ET.SubElement(el, "usecase").text = "0"
        for c in q.choices:
            _answer(el, 100, c.text, c.feedback, "moodle_auto_format")
    elif q.kind == scoring.MATCHING:
        ET.SubElement(el, "shuffleanswers").text = "true"
        for c in q.choices:
            sub = _sub_text(el, "subquestion", c.text, "plain_text")
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = c.match_text
    else:
        ET.SubElement(el, "layouttype").text = "VERTICAL"
        ET.SubElement(el, "selecttype").text = "ALL"
        ET.SubElement(el, "selectcount").text = "0"
        ET.SubElement(el, "gradingtype").text = "RELATIVE_NEXT_EXCLUDE_LAST"
        ET.SubElement(el, "showgrading").text = "SHOW"
        ET.SubElement(el, "numberingstyle").text = "none"
        for i, c in enumerate(q.choices, start=1):
            _answer(el, i, c.text, c.feedback)


# --- The platform's own YAML (the demo bank; date questions need it) ------------------


def parse_bank_yaml(data: bytes | str) -> ParsedBank:
    """Questions from a YAML bank file (format: docs/quizzes.md)."""
    import yaml

    from lms import safe_yaml

    try:
        document = safe_yaml.load(data)
    except safe_yaml.AliasesRefused as exc:
        raise BankFileError(
            "the file uses YAML anchors or aliases, which are not allowed",
            code="yaml_aliases",
        ) from exc
    except yaml.YAMLError as exc:
        raise BankFileError(
            f"the file is not valid YAML ({exc})", code="bad_yaml", detail=str(exc)
        ) from exc
    if not isinstance(document, dict) or not isinstance(
        document.get("questions"), list
    ):
        raise BankFileError("a bank file needs a 'questions' list", code="no_questions")
    raw_cat = document.get("category") or {}
    category = ParsedCategory(
        name=str(raw_cat.get("name", "Tanpa kategori")),
        regulation=str(raw_cat.get("regulation", "lainnya")),
        topic=str(raw_cat.get("topic", "")),
        description=str(raw_cat.get("description", "")),
    )
    bank = ParsedBank()
    for index, raw in enumerate(document["questions"], start=1):
        name = str((raw or {}).get("name", f"#{index}"))
        try:
            q = _question_from_yaml(raw, index, category)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            bank.rejected.append(Rejection(index, name, _invalid(exc)))
            continue
        reason = validate(q)
        if reason:
            bank.rejected.append(Rejection(index, name, reason))
        else:
            bank.questions.append(q)
    return bank


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _question_from_yaml(
    raw: dict, index: int, category: ParsedCategory
) -> ParsedQuestion:
    kind = str(raw["type"])
    q = ParsedQuestion(
        index=index,
        name=str(raw["name"]),
        kind=kind,
        text=str(raw["text"]).strip(),
        category=category,
        explanation=str(raw.get("explanation", "")).strip(),
        legal_basis=str(raw.get("basis", "")).strip(),
        marker=str(raw.get("marker", "V")),
        points=int(raw.get("points", 1)),
        tags=[str(t) for t in raw.get("tags", [])],
        external_id=str(raw["id"]) if raw.get("id") else None,
    )
    if kind in (scoring.SINGLE, scoring.MULTIPLE):
        for option in raw.get("options", []):
            q.choices.append(
                ParsedChoice(
                    str(option["text"]),
                    bool(option.get("right", False)),
                    "",
                    str(option.get("feedback", "")),
                )
            )
    elif kind == scoring.TRUE_FALSE:
        answer = bool(raw["answer"])
        q.choices = [
            ParsedChoice(TRUE_LABEL, answer, "", str(raw.get("feedback_true", ""))),
            ParsedChoice(
                FALSE_LABEL, not answer, "", str(raw.get("feedback_false", ""))
            ),
        ]
    elif kind == scoring.ORDERING:
        q.choices = [ParsedChoice(str(step)) for step in raw["steps"]]
    elif kind == scoring.MATCHING:
        for pair in raw["pairs"]:
            q.choices.append(ParsedChoice(str(pair[0]), False, str(pair[1])))
        for extra in raw.get("distractors", []):
            q.choices.append(ParsedChoice("", False, str(extra)))
    elif kind == scoring.SHORT:
        q.choices = [ParsedChoice(str(a), True) for a in raw["accept"]]
    elif kind == scoring.DATE:
        kip = raw.get("kip") or {}
        q.date_answer = _date(raw.get("answer"))
        q.kip_step = str(kip.get("step", ""))
        q.kip_start = _date(kip.get("start"))
        q.kip_regime = str(kip.get("regime", "general"))
    return q
