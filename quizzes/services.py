"""State changes of quiz attempts and the question bank.

Attempts are written under a row lock so that every path is serialised per
attempt or per learner: on PostgreSQL by SELECT … FOR UPDATE, on SQLite by the
IMMEDIATE transaction mode of the settings.

- Starting locks the learner's user row, then counts attempts: two "start"
  clicks at the attempt limit make one attempt. The unique (user, quiz, number)
  and "one open attempt per quiz" constraints back this up.
- Saving and submitting lock the attempt row and check its state: an attempt is
  graded by exactly one request, whoever comes second sees it finished.
- The deadline is stored at start; answers arriving after it (plus
  `policy.GRACE`) are not taken and the attempt is graded with what was saved,
  by the first request that touches it or by the sweep (`tasks.py`).
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext, gettext_noop

from lms.deadlines.adapters import calendar_overrides

from . import policy, scoring
from .interchange import (
    ParsedBank,
    ParsedCategory,
    Reason,
    Rejection,
    question_message,
    validate,
)
from .layout import AnswerRefused, build_layout, slot_map, to_response
from .models import (
    Attempt,
    AttemptAnswer,
    Choice,
    Question,
    QuestionCategory,
    QuizPage,
)
from .selectors import (
    answer_key,
    effective_pass_mark,
    question_specs,
    questions_with_choices,
    quiz_course_and_enrolment,
    quiz_enrolment,
)

NOT_ENROLLED = "not_enrolled"
EMPTY_QUIZ = "empty_quiz"
FINISHED = "finished"
STALE = "stale"
TIME_UP = "time_up"


class AttemptRefused(Exception):
    """A new attempt may not start now (limit, wait, not enrolled, no questions)."""

    def __init__(self, code: str, not_before: datetime.datetime | None = None):
        super().__init__(code)
        self.code = code
        self.not_before = not_before


class AttemptClosed(Exception):
    """The attempt takes no more answers: submitted, out of time, or a stale page."""

    def __init__(self, code: str, attempt: Attempt):
        super().__init__(code)
        self.code = code
        self.attempt = attempt


# --- Starting -------------------------------------------------------------------------


def _draw(quiz: QuizPage, rng: random.Random) -> list[int]:
    """Question ids for a new attempt: the fixed list or the draw per category."""
    if quiz.selection == QuizPage.Selection.FIXED:
        return list(
            quiz.fixed_questions.order_by("sort_order", "pk").values_list(
                "question_id", flat=True
            )
        )
    draws = list(quiz.draws.order_by("sort_order", "pk"))
    pools: dict[int, list[int]] = {d.category_id: [] for d in draws}
    for qid, category_id in (
        Question.objects.filter(category_id__in=list(pools))
        .order_by("pk")
        .values_list("pk", "category_id")
    ):
        pools[category_id].append(qid)
    chosen: list[int] = []
    for draw in draws:
        pool = pools[draw.category_id]
        chosen.extend(rng.sample(pool, min(draw.count, len(pool))))
    return chosen


def attempt_start(
    *, user, quiz: QuizPage, now: datetime.datetime, rng: random.Random | None = None
) -> Attempt:
    """The learner's open attempt, or a new one if the rules allow it.

    Raises AttemptRefused. An open attempt past its deadline is graded first.
    Everything happens under the lock of the learner's row: two "start" clicks
    make one attempt.
    """
    course, enrolment = quiz_course_and_enrolment(quiz, user)
    if course is not None and enrolment is None:
        raise AttemptRefused(NOT_ENROLLED)
    course_attempt = enrolment.attempt if enrolment else 1

    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311 - not a secret
    with transaction.atomic():
        # Serialise this learner's starts on this (and any) quiz.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        open_attempt = (
            Attempt.objects.in_progress()
            .select_for_update()
            .filter(user=user, quiz=quiz)
            .first()
        )
        if open_attempt is not None:
            if not policy.is_overdue(open_attempt.deadline, now):
                return open_attempt
            _grade(open_attempt, now=now, finished_by=Attempt.FinishedBy.TIME_UP)
        try:
            return _new_attempt(
                user=user,
                quiz=quiz,
                course=course,
                course_attempt=course_attempt,
                now=now,
                rng=rng,
            )
        except AttemptRefused as exc:
            # Raised after the block, so that an overdue attempt graded above
            # stays graded.
            refused = exc
    raise refused


def _new_attempt(
    *, user, quiz: QuizPage, course, course_attempt: int, now, rng
) -> Attempt:
    """A new attempt if the rules allow it (AttemptRefused otherwise); writes
    nothing before deciding. Caller holds the learner's row lock."""
    done = Q(state=Attempt.State.FINISHED, course_attempt=course_attempt)
    stats = Attempt.objects.filter(user=user, quiz=quiz).aggregate(
        number=Max("number"),
        finished=Count("pk", filter=done),
        last=Max("finished_at", filter=done),
    )
    decision = policy.start_decision(
        finished=stats["finished"],
        max_attempts=quiz.max_attempts,
        last_finished_at=stats["last"],
        wait=datetime.timedelta(minutes=quiz.wait_minutes),
        now=now,
    )
    if not decision.allowed:
        raise AttemptRefused(decision.reason, decision.not_before)
    question_ids = _draw(quiz, rng)
    if not question_ids:
        raise AttemptRefused(EMPTY_QUIZ)
    layout = build_layout(
        question_specs(question_ids),
        rng=rng,
        shuffle_questions=quiz.shuffle_questions,
        shuffle_options=quiz.shuffle_options,
    )
    number = (stats["number"] or 0) + 1
    deadline = (
        now + datetime.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None
    )
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=number,
                course_attempt=course_attempt,
                layout=layout,
                pass_mark=effective_pass_mark(quiz, course),
                started_at=now,
                deadline=deadline,
            )
    except IntegrityError as exc:
        # Only reachable if the lock above did not hold (e.g. a database
        # without row locks): the other request's attempt wins.
        existing = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
        if existing is None:
            raise AttemptRefused(policy.LIMIT_REACHED) from exc
        return existing
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(attempt=attempt, slot=entry["slot"], question_id=entry["q"])
        for entry in layout
    )
    return attempt


# --- Answering ------------------------------------------------------------------------


def _locked(attempt_id: int, user_id: int) -> Attempt:
    # No join: the quiz page is only needed (lazily) when a pass is evaluated.
    return Attempt.objects.select_for_update().get(pk=attempt_id, user_id=user_id)


def _check_slots(attempt: Attempt, responses: Mapping[int, dict | None]) -> None:
    slots = slot_map(attempt.layout)
    if any(slot not in slots for slot in responses):
        raise AnswerRefused("unknown_question")


def _store(rows: list[AttemptAnswer], fields: list[str]) -> None:
    """Write `fields` of these answer rows in one statement.

    Every (attempt, slot) row exists from the start, so this upsert only ever
    updates. Unlike `bulk_update` (a CASE per row and field, the most expensive
    part of grading) it costs about the same to build for one row or thirty.
    (On PostgreSQL a row given without its id still draws one from the id
    sequence; a 64-bit sequence does not mind.)
    """
    AttemptAnswer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["attempt", "slot"],
        update_fields=fields,
    )


def _write_answers(
    attempt: Attempt, responses: Mapping[int, dict | None], now: datetime.datetime
) -> None:
    """Store the responses without reading the rows: the layout names each
    slot's question. Caller holds the row lock."""
    _check_slots(attempt, responses)
    if not responses:
        return
    questions = {entry["slot"]: entry["q"] for entry in attempt.layout}
    _store(
        [
            AttemptAnswer(
                attempt_id=attempt.pk,
                slot=slot,
                question_id=questions[slot],
                response=response,
                saved_at=now,
            )
            for slot, response in sorted(responses.items())
        ],
        ["response", "saved_at"],
    )


def attempt_save_answers(
    *,
    attempt_id: int,
    user_id: int,
    version: int | None,
    responses: Mapping[int, dict | None],
    now: datetime.datetime,
) -> Attempt:
    """Store answers (autosave or "Simpan"). Raises AttemptClosed, AnswerRefused."""
    closed = None
    with transaction.atomic():
        attempt = _locked(attempt_id, user_id)
        if attempt.state != Attempt.State.IN_PROGRESS:
            closed = FINISHED
        elif version is not None and version != attempt.version:
            closed = STALE
        elif policy.is_overdue(attempt.deadline, now):
            _grade(attempt, now=now, finished_by=Attempt.FinishedBy.TIME_UP)
            closed = TIME_UP
        else:
            _write_answers(attempt, responses, now)
    if closed:
        raise AttemptClosed(closed, attempt)
    return attempt


def attempt_submit(
    *,
    attempt_id: int,
    user_id: int,
    now: datetime.datetime,
    version: int | None = None,
    responses: Mapping[int, dict | None] | None = None,
) -> Attempt:
    """Save the last answers and grade, once. A second submit returns the result.

    Answers sent after the deadline are dropped and the attempt is graded with
    what was saved before it.
    """
    with transaction.atomic():
        attempt = _locked(attempt_id, user_id)
        if attempt.state != Attempt.State.IN_PROGRESS:
            return attempt
        if policy.is_overdue(attempt.deadline, now):
            _grade(attempt, now=now, finished_by=Attempt.FinishedBy.TIME_UP)
            return attempt
        if responses and (version is None or version == attempt.version):
            _check_slots(attempt, responses)
        else:
            responses = None
        _grade(
            attempt,
            now=now,
            finished_by=Attempt.FinishedBy.LEARNER,
            responses=responses,
        )
    return attempt


def attempt_finish_overdue(*, attempt_id: int, now: datetime.datetime) -> bool:
    """Grade an attempt whose time is up with what was saved; False if not due."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.state != Attempt.State.IN_PROGRESS or not policy.is_overdue(
            attempt.deadline, now
        ):
            return False
        _grade(attempt, now=now, finished_by=Attempt.FinishedBy.TIME_UP)
    return True


# --- Grading --------------------------------------------------------------------------


def _grade(
    attempt: Attempt,
    *,
    now: datetime.datetime,
    finished_by: str,
    responses: Mapping[int, dict | None] | None = None,
) -> None:
    """Score every slot and close the attempt. Caller holds the row lock.

    `responses` (checked against the layout) are the last answers, sent with the
    submit: stored together with the scores. Queries: answers, questions,
    options, (closures), one upsert of the answers, one update of the attempt;
    then the course evaluation if the attempt passed.
    """
    answers = list(AttemptAnswer.objects.filter(attempt=attempt).order_by("slot"))
    for answer in answers:
        if responses and answer.slot in responses:
            answer.response = responses[answer.slot]
            answer.saved_at = now
    questions = questions_with_choices(
        {a.question_id for a in answers}, with_category=False
    )
    overrides = (
        calendar_overrides()
        if any(q.kind == scoring.DATE and not q.date_answer for q in questions.values())
        else (frozenset(), frozenset())
    )
    items = []
    for answer in answers:
        question = questions[answer.question_id]
        key = answer_key(question, question.choice_list, overrides=overrides)
        fraction = scoring.score(key, to_response(question.kind, answer.response))
        answer.fraction = _decimal(fraction, 6)
        answer.points = _decimal(fraction * question.points, 3)
        items.append((fraction, Fraction(question.points)))
    _store(answers, ["response", "saved_at", "fraction", "points"])
    result = scoring.grade(items, pass_mark=attempt.pass_mark)
    values = {
        "state": Attempt.State.FINISHED,
        "finished_at": now,
        "finished_by": finished_by,
        "points_earned": _decimal(result.earned, 4),
        "points_possible": _decimal(result.possible, 4),
        "score": result.percent,
        "passed": result.passed,
    }
    Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
        version=F("version") + 1, times_graded=F("times_graded") + 1, **values
    )
    for name, value in values.items():
        setattr(attempt, name, value)
    attempt.version += 1
    attempt.times_graded += 1
    if result.passed:
        _evaluate_course(attempt, now)


def _decimal(value: Fraction, places: int) -> Decimal:
    exp = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exp)


def _evaluate_course(attempt: Attempt, now: datetime.datetime) -> None:
    """A passed quiz may complete the course: ask the courses app, the one judge."""
    from courses.services import enrolment_evaluate

    enrolment = quiz_enrolment(user_id=attempt.user_id, quiz_id=attempt.quiz_id)
    if enrolment is not None and enrolment.attempt == attempt.course_attempt:
        enrolment_evaluate(enrolment=enrolment, now=now)


# --- Question bank --------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated)

    def rejected_lines(self) -> list[str]:
        """Each rejection as a sentence in the active language."""
        return [r.message.translated(gettext) for r in self.rejected]

    def warning_lines(self) -> list[str]:
        return [w.translated(gettext) for w in self.warnings]


def _kip_check(step: str, start: datetime.date, regime: str) -> None:
    from lms.kip import due_date

    due_date(step, start, regime=regime or "general")


def _category_for(parsed, default: QuestionCategory | None, report) -> QuestionCategory:
    if default is not None:
        return default
    info = parsed.category or ParsedCategory("Impor")
    regulation = info.regulation
    if regulation not in QuestionCategory.Regulation.values:
        report.warnings.append(
            Reason(
                gettext_noop(
                    "category '%(name)s': unknown regulation %(regulation)s, "
                    "set to 'lainnya'"
                ),
                name=info.name,
                regulation=repr(regulation),
            )
        )
        regulation = QuestionCategory.Regulation.OTHER
    category, _ = QuestionCategory.objects.get_or_create(
        name=info.name[:160],
        defaults={
            "regulation": regulation,
            "topic": (info.topic or info.name)[:120],
            "description": info.description,
        },
    )
    return category


class QuestionInUse(ValueError):
    def __init__(self, reason: Reason):
        super().__init__(reason)
        self.reason = reason


def bank_import(
    *,
    bank: ParsedBank,
    category: QuestionCategory | None = None,
    replace_existing: bool = True,
) -> ImportReport:
    """Write parsed questions; a question whose ID number exists is replaced
    (or left alone with `replace_existing=False`, as the demo seed does).

    Each question is written in its own savepoint: one that the database refuses
    is reported and the others are kept.
    """
    report = ImportReport(rejected=list(bank.rejected))
    for parsed in bank.questions:
        reason = validate(parsed, kip_check=_kip_check)
        if reason:
            report.rejected.append(Rejection(parsed.index, parsed.name, reason))
            continue
        if (
            not replace_existing
            and parsed.external_id
            and Question.objects.filter(external_id=parsed.external_id).exists()
        ):
            report.unchanged.append(parsed.name)
            continue
        try:
            with transaction.atomic():
                created = _write_question(
                    parsed, _category_for(parsed, category, report)
                )
        except (IntegrityError, ValidationError, QuestionInUse) as exc:
            message = (
                Reason("; ".join(str(m) for m in exc.messages))
                if hasattr(exc, "messages")
                else getattr(exc, "reason", None) or Reason(str(exc))
            )
            report.rejected.append(Rejection(parsed.index, parsed.name, message))
            continue
        (report.created if created else report.updated).append(parsed.name)
        report.warnings.extend(
            question_message(parsed.index, parsed.name, w) for w in parsed.warnings
        )
    return report


def _write_question(parsed, category: QuestionCategory) -> bool:
    question = None
    if parsed.external_id:
        question = Question.objects.filter(external_id=parsed.external_id).first()
    created = question is None
    question = question or Question(external_id=parsed.external_id)
    question.category = category
    question.kind = parsed.kind
    question.name = parsed.name[:200]
    question.text = parsed.text
    question.points = parsed.points
    question.explanation = parsed.explanation
    question.legal_basis = parsed.legal_basis[:200]
    question.basis_marker = parsed.marker
    question.date_answer = parsed.date_answer
    question.kip_step = parsed.kip_step
    question.kip_start = parsed.kip_start
    question.kip_regime = parsed.kip_regime or "general"
    question.full_clean(exclude=["tags"])
    existing = (
        list(question.choices.order_by("sort_order", "pk")) if question.pk else []
    )
    if existing and AttemptAnswer.objects.filter(question=question).exists():
        # Attempts store option ids: keep them, change the options in place.
        if len(existing) != len(parsed.choices):
            raise QuestionInUse(
                Reason(
                    gettext_noop(
                        "the question is used in attempts, so its number of "
                        "options cannot change"
                    )
                )
            )
        question.save()
        for choice, new in zip(existing, parsed.choices, strict=True):
            choice.text, choice.is_correct = new.text, new.is_correct
            choice.match_text, choice.feedback = new.match_text[:255], new.feedback
        Choice.objects.bulk_update(
            existing, ["text", "is_correct", "match_text", "feedback"]
        )
        question.tags.set(parsed.tags)
        question.save()
        return created
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(
            question=question,
            sort_order=order,
            text=c.text,
            is_correct=c.is_correct,
            match_text=c.match_text[:255],
            feedback=c.feedback,
        )
        for order, c in enumerate(parsed.choices)
    )
    question.tags.set(parsed.tags)
    question.save()
    return created
