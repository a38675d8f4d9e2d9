"""Reads for the quiz pages, grading, the course completion rule and item analysis.

Every function runs a fixed number of queries however many questions, attempts or
enrolments there are (tests/quizzes/test_queries.py pins the counts).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import reduce
from operator import or_

from django.db.models import Max, Q

from lms.deadlines.adapters import due_date_for

from . import analysis, policy, scoring
from .layout import QuestionSpec
from .models import (
    Attempt,
    AttemptAnswer,
    Choice,
    Question,
    QuestionCategory,
    QuizPage,
)

# --- Courses --------------------------------------------------------------------------


def quiz_course(quiz: QuizPage):
    """The course page above the quiz, or None (a quiz outside any course)."""
    from courses.models import CoursePage

    return CoursePage.objects.ancestor_of(quiz).first()


def _ancestor_paths(path: str) -> list[str]:
    step = QuizPage.steplen
    return [path[:end] for end in range(step, len(path), step)]


def quiz_enrolment(*, user_id: int, quiz_id: int):
    """The learner's enrolment in the course above the quiz, or None.

    Two light queries (the quiz's tree path, then the enrolment) and no page
    loaded: grading calls this for every pass.
    """
    from courses.models import Enrolment

    path = QuizPage.objects.filter(pk=quiz_id).values_list("path", flat=True).first()
    if path is None:
        return None
    return Enrolment.objects.filter(
        user_id=user_id, course__path__in=_ancestor_paths(path)
    ).first()


def quiz_course_and_enrolment(quiz: QuizPage, user) -> tuple:
    """(course above the quiz or None, the user's enrolment in it or None).

    One query for an enrolled learner (the enrolment with its course); a second
    one only to find the course of someone not enrolled.
    """
    from courses.models import Enrolment

    if user.is_authenticated:
        enrolment = (
            Enrolment.objects.select_related("course")
            .filter(user=user, course__path__in=_ancestor_paths(quiz.path))
            .first()
        )
        if enrolment is not None:
            return enrolment.course, enrolment
    return quiz_course(quiz), None


def learner_enrolment(user, course):
    from courses.models import Enrolment

    if course is None or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


# --- Keys -----------------------------------------------------------------------------


def question_specs(question_ids: Iterable[int]) -> list[QuestionSpec]:
    """What the layout needs, in the order given. Two queries."""
    ids = list(question_ids)
    kinds = dict(Question.objects.filter(pk__in=ids).values_list("pk", "kind"))
    choices: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for cid, qid, text, match in (
        Choice.objects.filter(question_id__in=ids)
        .order_by("question_id", "sort_order", "pk")
        .values_list("pk", "question_id", "text", "match_text")
    ):
        choices[qid].append((cid, text, match))
    return [QuestionSpec(q, kinds[q], tuple(choices[q])) for q in ids if q in kinds]


def answer_key(
    question: Question,
    choices: Sequence[Choice],
    *,
    overrides: tuple[frozenset, frozenset] | None = None,
) -> scoring.Key:
    kind = question.kind
    if kind == scoring.DATE:
        if question.date_answer:
            expected = question.date_answer
        else:
            expected = due_date_for(
                question.kip_step,
                question.kip_start,
                regime=question.kip_regime or "general",
                overrides=overrides,
            )
        return scoring.Key(kind, expected_date=expected)
    if kind == scoring.SHORT:
        return scoring.Key(kind, accepted=tuple(c.text for c in choices))
    if kind == scoring.ORDERING:
        return scoring.Key(kind, order=tuple(c.pk for c in choices))
    if kind == scoring.MATCHING:
        return scoring.Key(
            kind, pairs={c.pk: c.match_text for c in choices if c.text.strip()}
        )
    return scoring.Key(
        kind,
        correct=frozenset(c.pk for c in choices if c.is_correct),
        options=frozenset(c.pk for c in choices),
    )


def questions_with_choices(
    question_ids: Iterable[int], *, with_category: bool = True
) -> dict[int, Question]:
    """Questions by id, each with `.choice_list` in authored order. Two queries.

    Grading needs no category (`with_category=False` saves the join).
    """
    ids = list(question_ids)
    found = Question.objects.filter(pk__in=ids)
    if with_category:
        found = found.select_related("category")
    questions = {q.pk: q for q in found}
    for question in questions.values():
        question.choice_list = []
    for choice in Choice.objects.filter(question_id__in=ids).order_by(
        "question_id", "sort_order", "pk"
    ):
        questions[choice.question_id].choice_list.append(choice)
    return questions


# --- Learner --------------------------------------------------------------------------


@dataclass
class QuizState:
    """A learner's standing on one quiz, for its landing page."""

    attempts: list[Attempt]
    open_attempt: Attempt | None
    decision: policy.StartDecision
    attempts_left: int | None
    best: Attempt | None
    enrolled: bool
    course: object | None = None
    enrolment: object | None = None
    passed: bool = field(default=False)
    show_scores: bool = field(default=False)


def effective_pass_mark(quiz: QuizPage, course) -> int:
    if quiz.pass_mark is not None:
        return quiz.pass_mark
    return course.passing_score if course is not None else 70


def quiz_state(*, quiz: QuizPage, user, now: datetime.datetime) -> QuizState:
    course, enrolment = quiz_course_and_enrolment(quiz, user)
    enrolled = course is None or enrolment is not None
    attempts: list[Attempt] = []
    if user.is_authenticated:
        attempts = list(
            Attempt.objects.filter(
                user=user,
                quiz=quiz,
                course_attempt=enrolment.attempt if enrolment else 1,
            ).order_by("number")
        )
    finished = [a for a in attempts if a.state == Attempt.State.FINISHED]
    open_attempt = next((a for a in attempts if a.is_open), None)
    decision = policy.start_decision(
        finished=len(finished),
        max_attempts=quiz.max_attempts,
        last_finished_at=max((a.finished_at for a in finished), default=None),
        wait=datetime.timedelta(minutes=quiz.wait_minutes),
        now=now,
    )
    best = max(finished, key=lambda a: (a.score or 0, -a.number), default=None)
    left = policy.attempts_left(finished=len(finished), max_attempts=quiz.max_attempts)
    passed = any(a.passed for a in finished)
    return QuizState(
        attempts=attempts,
        open_attempt=open_attempt,
        decision=decision,
        attempts_left=left,
        best=best,
        enrolled=enrolled,
        course=course,
        enrolment=enrolment,
        passed=passed,
        show_scores=policy.review_visible(
            quiz.review_score,
            attempt_finished=True,
            passed_any=passed,
            no_attempts_left=left == 0,
        ),
    )


def quiz_question_count(quiz: QuizPage) -> int:
    """How many questions an attempt will have (a draw may find fewer)."""
    if quiz.selection == QuizPage.Selection.FIXED:
        return quiz.fixed_questions.count()
    return sum(quiz.draws.values_list("count", flat=True))


def attempt_answers(attempt: Attempt) -> dict[int, AttemptAnswer]:
    return {a.slot: a for a in AttemptAnswer.objects.filter(attempt=attempt)}


def attempt_review_flags(attempt: Attempt) -> dict[str, bool]:
    """Which parts of the review this learner may see now. One query."""
    quiz = attempt.quiz
    siblings = Attempt.objects.filter(
        user_id=attempt.user_id,
        quiz_id=attempt.quiz_id,
        course_attempt=attempt.course_attempt,
        state=Attempt.State.FINISHED,
    ).values_list("passed", flat=True)
    passed = list(siblings)
    left = policy.attempts_left(finished=len(passed), max_attempts=quiz.max_attempts)
    context = {
        "attempt_finished": attempt.state == Attempt.State.FINISHED,
        "passed_any": any(passed),
        "no_attempts_left": left == 0,
    }
    return {
        "score": policy.review_visible(quiz.review_score, **context),
        "answers": policy.review_visible(quiz.review_answers, **context),
        "feedback": policy.review_visible(quiz.review_feedback, **context),
    }


def overdue_attempt_ids(*, now: datetime.datetime) -> list[int]:
    return list(
        Attempt.objects.filter(
            state=Attempt.State.IN_PROGRESS, deadline__lt=now - policy.GRACE
        )
        .order_by("deadline")
        .values_list("pk", flat=True)
    )


# --- Course completion provider -------------------------------------------------------


def course_quizzes(courses: Iterable) -> dict[int, list[QuizPage]]:
    """Live quizzes under each course in tree order. One query."""
    courses = list(courses)
    result: dict[int, list[QuizPage]] = {c.pk: [] for c in courses}
    if not courses:
        return result
    by_path = {c.path: c.pk for c in courses}
    depth = courses[0].depth
    quizzes = (
        QuizPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=c.path) for c in courses)))
        .order_by("path")
    )
    for quiz in quizzes:
        course_path = quiz.path[: QuizPage.steplen * depth]
        if course_path in by_path:
            result[by_path[course_path]].append(quiz)
    return result


def quiz_requirements(enrolments: Sequence) -> dict[int, list]:
    """The quizzes provider for courses.completion. Two queries.

    A quiz is done when the learner passed it (at its pass mark) in the current
    course attempt; its score is the highest attempt's, floored to a whole percent
    so that rounding can never turn a fail into a pass.
    """
    from courses.completion import RequirementStatus

    quizzes = course_quizzes({e.course_id: e.course for e in enrolments}.values())
    quiz_ids = [q.pk for qs in quizzes.values() for q in qs]
    best: dict[tuple[int, int, int], tuple] = {}
    if quiz_ids:
        rows = (
            Attempt.objects.filter(
                state=Attempt.State.FINISHED,
                quiz_id__in=quiz_ids,
                user_id__in={e.user_id for e in enrolments},
            )
            .values("user_id", "quiz_id", "course_attempt", "passed")
            .annotate(best=Max("score"))
        )
        for row in rows:
            key = (row["user_id"], row["quiz_id"], row["course_attempt"])
            score, passed = best.get(key, (None, False))
            top = row["best"] if score is None else max(score, row["best"])
            best[key] = (top, passed or row["passed"])
    statuses = {}
    for e in enrolments:
        items = []
        for quiz in quizzes[e.course_id]:
            score, passed = best.get((e.user_id, quiz.pk, e.attempt), (None, False))
            items.append(
                RequirementStatus(
                    key=f"quiz:{quiz.pk}",
                    kind="quiz",
                    title=quiz.title,
                    required=quiz.required,
                    done=passed,
                    score=int(score) if score is not None else None,
                    url=quiz.url,
                )
            )
        statuses[e.pk] = items
    return statuses


# --- Item analysis --------------------------------------------------------------------


@dataclass(frozen=True)
class OptionRow:
    label: str
    correct: bool
    count: int


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    stats: analysis.ItemStats
    options: tuple[OptionRow, ...]
    unanswered: int


@dataclass(frozen=True)
class QuizAnalysis:
    quiz: QuizPage
    attempts: int
    learners: int
    mean_score: float | None
    pass_rate: float | None
    distribution: list[analysis.Band]
    rows: list[QuestionRow]


def quiz_analysis(quiz: QuizPage) -> QuizAnalysis:
    """Everything the item-analysis page shows. Four queries."""
    attempts = {
        a.pk: a
        for a in Attempt.objects.filter(quiz=quiz, state=Attempt.State.FINISHED).only(
            "pk", "user_id", "score", "passed"
        )
    }
    answers = list(
        AttemptAnswer.objects.filter(attempt_id__in=list(attempts)).values_list(
            "attempt_id", "question_id", "fraction", "response"
        )
    )
    qids = sorted({a[1] for a in answers})
    questions = questions_with_choices(qids)
    per_attempt: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)
    chosen: dict[int, Counter] = defaultdict(Counter)
    unanswered: Counter = Counter()
    for attempt_id, qid, fraction, response in answers:
        points = float(questions[qid].points) if qid in questions else 1.0
        per_attempt[attempt_id][qid] = (float(fraction or 0), points)
        if not response:
            unanswered[qid] += 1
            continue
        for label in _chosen_labels(questions.get(qid), response):
            chosen[qid][label] += 1
    stats = analysis.item_statistics(
        analysis.AttemptScores(items) for items in per_attempt.values()
    )
    rows = []
    for qid in qids:
        question = questions.get(qid)
        if question is None:
            continue
        rows.append(
            QuestionRow(
                question=question,
                stats=stats[qid],
                options=tuple(_option_rows(question, chosen[qid])),
                unanswered=unanswered[qid],
            )
        )
    scores = [float(a.score or 0) for a in attempts.values()]
    return QuizAnalysis(
        quiz=quiz,
        attempts=len(attempts),
        learners=len({a.user_id for a in attempts.values()}),
        mean_score=analysis.mean(scores),
        pass_rate=(
            sum(a.passed for a in attempts.values()) / len(attempts)
            if attempts
            else None
        ),
        distribution=analysis.score_distribution(scores),
        rows=rows,
    )


def _chosen_labels(question: Question | None, response: dict) -> list[str]:
    """What an answer picked, as the labels the option table counts."""
    if question is None:
        return []
    kind = question.kind
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE):
        return [f"c{response.get('choice')}"]
    if kind == scoring.MULTIPLE:
        return [f"c{c}" for c in response.get("choices", [])]
    if kind == scoring.ORDERING:
        positions = {int(k): v for k, v in response.get("positions", {}).items()}
        key = [c.pk for c in question.choice_list]
        right = all(positions.get(cid) == i for i, cid in enumerate(key, start=1))
        return ["order:right" if right else "order:other"]
    if kind == scoring.MATCHING:
        return [f"m{k}:{v}" for k, v in response.get("pairs", {}).items()]
    if kind == scoring.DATE:
        return [f"v:{response.get('date', '')}"]
    return [f"v:{scoring.normalise_text(response.get('text', ''))}"]


def _option_rows(question: Question, counts: Counter) -> Iterable[OptionRow]:
    kind = question.kind
    if kind in (scoring.SINGLE, scoring.TRUE_FALSE, scoring.MULTIPLE):
        for c in question.choice_list:
            yield OptionRow(c.text, c.is_correct, counts[f"c{c.pk}"])
        return
    if kind == scoring.ORDERING:
        yield OptionRow("✓ urutan benar", True, counts["order:right"])
        yield OptionRow("✗ urutan lain", False, counts["order:other"])
        return
    if kind == scoring.MATCHING:
        for c in question.choice_list:
            if not c.text.strip():
                continue
            for label, n in sorted(counts.items()):
                prefix = f"m{c.pk}:"
                if label.startswith(prefix):
                    answer = label[len(prefix) :]
                    yield OptionRow(
                        f"{c.text} → {answer}",
                        scoring.normalise_text(answer)
                        == scoring.normalise_text(c.match_text),
                        n,
                    )
        return
    # Date and short text: the most frequent answers given.
    if kind == scoring.DATE:
        expected = answer_key(question, question.choice_list).expected_date
        right = {f"v:{expected.isoformat()}"} if expected else set()
    else:
        right = {f"v:{scoring.normalise_text(c.text)}" for c in question.choice_list}
    for label, n in counts.most_common(8):
        yield OptionRow(label[2:], label in right, n)


def fraction_to_float(value: Fraction) -> float:
    return float(value)


def categories_with_counts():
    from django.db.models import Count

    return QuestionCategory.objects.annotate(n=Count("questions")).order_by("name")


# --- Question bank --------------------------------------------------------------------


def questions_for_export(*, category: QuestionCategory | None = None) -> list:
    """The bank (or one category) as interchange values, by category. Four queries."""
    from .interchange import ParsedCategory, ParsedChoice, ParsedQuestion

    questions = (
        Question.objects.select_related("category")
        .prefetch_related("choices", "tags")
        .order_by("category__name", "name", "pk")
    )
    if category is not None:
        questions = questions.filter(category=category)
    result = []
    for index, q in enumerate(questions, start=1):
        cat = q.category
        result.append(
            ParsedQuestion(
                index=index,
                name=q.name,
                kind=q.kind,
                text=q.text,
                category=ParsedCategory(
                    cat.name, cat.regulation, cat.topic, cat.description
                ),
                choices=[
                    ParsedChoice(c.text, c.is_correct, c.match_text, c.feedback)
                    for c in sorted(q.choices.all(), key=lambda c: (c.sort_order, c.pk))
                ],
                explanation=q.explanation,
                legal_basis=q.legal_basis,
                marker=q.basis_marker,
                points=q.points,
                tags=sorted(t.name for t in q.tags.all()),
                external_id=q.external_id,
                date_answer=q.date_answer,
                kip_step=q.kip_step,
                kip_start=q.kip_start,
                kip_regime=q.kip_regime,
            )
        )
    return result
