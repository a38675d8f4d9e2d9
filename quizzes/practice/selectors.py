"""Reads: where a scenario sits, the completion provider, the landing page, analytics.

Every function runs a fixed number of queries however many plays or answers there
are (tests/practice/test_queries.py pins the counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Avg, Count, Max, Q

from courses.completion import RequirementStatus
from courses.models import CoursePage, Enrolment
from quizzes.scenarios import (
    ChecklistStep,
    ClassificationStep,
    DeadlineStep,
    DecisionStep,
    Scenario,
    ScenarioError,
)

from .adapters import scenario_data, scenario_from_data
from .models import ScenarioAnswer, ScenarioPage, ScenarioPlay
from .presenters import case_view

# --- where a scenario sits ------------------------------------------------------------


def scenario_course(page: ScenarioPage) -> CoursePage | None:
    """The course a scenario page belongs to (its parent or grandparent). Cached."""
    if not page.path:  # not in the tree yet (the preview of a new page)
        return None
    if not hasattr(page, "_practice_course"):
        page._practice_course = CoursePage.objects.ancestor_of(page).first()
    return page._practice_course


def course_for_parent(parent) -> CoursePage | None:
    """The course of a page about to be created under `parent` (course or module)."""
    if parent is None or not getattr(parent, "path", None):
        return None
    return CoursePage.objects.ancestor_of(parent, inclusive=True).first()


def course_scenarios(courses: Iterable[CoursePage]) -> dict[int, list[ScenarioPage]]:
    """Live scenario pages of each course, in tree order, no steps. One query."""
    courses = list(courses)
    result: dict[int, list[ScenarioPage]] = {c.pk: [] for c in courses}
    if not courses:
        return result
    by_path = {c.path: c.pk for c in courses}
    depth = courses[0].depth
    pages = (
        ScenarioPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=c.path) for c in courses)))
        .defer_streamfields()
        .order_by("path")
    )
    for page in pages:
        course_path = page.path[: CoursePage.steplen * depth]
        if course_path in by_path:
            result[by_path[course_path]].append(page)
    return result


# --- completion -----------------------------------------------------------------------


def scenario_requirements(
    enrolments: Sequence[Enrolment],
) -> dict[int, list[RequirementStatus]]:
    """The scenarios provider for courses.completion. Two queries.

    Every live scenario of the course is listed; `required` comes from the page. It
    is done when the learner has a finished, passed play in the enrolment's current
    attempt. No score: the scenario's own pass mark (in points) decides, and the
    course's passing score (a percentage) must not override it.
    """
    pages = course_scenarios({e.course_id: e.course for e in enrolments}.values())
    page_ids = [p.pk for items in pages.values() for p in items]
    passed: set[tuple[int, int, int]] = set()
    if page_ids:
        passed = set(
            ScenarioPlay.objects.finished()
            .filter(
                passed=True,
                page_id__in=page_ids,
                user_id__in={e.user_id for e in enrolments},
            )
            .values_list("user_id", "page_id", "course_attempt")
            .distinct()
        )
    return {
        e.pk: [
            RequirementStatus(
                key=f"scenario:{page.pk}",
                kind="scenario",
                title=page.title,
                required=page.required,
                done=(e.user_id, page.pk, e.attempt) in passed,
                url=page.url,
            )
            for page in pages[e.course_id]
        ]
        for e in enrolments
    }


def learner_enrolment(user, course: CoursePage | None) -> Enrolment | None:
    if course is None or not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


# --- the landing page -----------------------------------------------------------------


@dataclass(frozen=True)
class StartDecision:
    allowed: bool
    reason: str = ""  # "", "sign_in", "not_enrolled", "no_replay"


def start_decision(
    *,
    authenticated: bool,
    in_course: bool,
    enrolled: bool,
    allow_replay: bool,
    finished_in_attempt: int,
) -> StartDecision:
    """May a new play start? (An open play is always resumed instead.)"""
    if not authenticated:
        return StartDecision(False, "sign_in")
    if in_course and not enrolled:
        return StartDecision(False, "not_enrolled")
    if finished_in_attempt and not allow_replay:
        return StartDecision(False, "no_replay")
    return StartDecision(True)


def scenario_page_state(*, page: ScenarioPage, user) -> dict:
    """Course, enrolment, the learner's plays and whether one may start. 4 queries."""
    course = scenario_course(page)
    enrolment = learner_enrolment(user, course)
    plays: list[ScenarioPlay] = []
    if user.is_authenticated:
        plays = list(
            ScenarioPlay.objects.filter(user=user, page=page)
            .only(
                "pk",
                "number",
                "status",
                "score",
                "max_score",
                "pass_mark",
                "passed",
                "started_at",
                "finished_at",
                "course_attempt",
            )
            .order_by("-number")
        )
    attempt = enrolment.attempt if enrolment else 1
    decision = start_decision(
        authenticated=user.is_authenticated,
        in_course=course is not None,
        enrolled=enrolment is not None,
        allow_replay=page.allow_replay,
        finished_in_attempt=sum(
            1 for p in plays if p.is_finished and p.course_attempt == attempt
        ),
    )
    try:
        scenario = scenario_from_data(scenario_data(page, course_slug=""))
    except ScenarioError:
        scenario = None
    return {
        "case": case_view(scenario) if scenario else None,
        "course": course,
        "enrolment": enrolment,
        "plays": plays,
        "open_play": next((p for p in plays if not p.is_finished), None),
        "decision": decision,
        "scenario": scenario,
    }


# --- analytics ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    label: str
    count: int
    share: float | None  # of the step's answers
    correct: bool | None  # None: not a right/wrong option (e.g. an item's accuracy)


@dataclass
class StepStats:
    step_id: str
    title: str
    kind: str
    answers: int = 0
    correct: int = 0
    rows: list[AnswerRow] = field(default_factory=list)

    @property
    def correct_rate(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class PathRow:
    steps: tuple[str, ...]  # titles, in order
    count: int


@dataclass
class ScenarioAnalytics:
    page: ScenarioPage
    scenario: Scenario | None
    plays: int
    finished: int
    passed: int
    learners: int
    average_score: float | None
    steps: list[StepStats]
    counts: dict[tuple[str, str], int]
    failed_paths: list[PathRow]

    @property
    def completion_rate(self) -> float | None:
        return self.finished / self.plays if self.plays else None

    @property
    def pass_rate(self) -> float | None:
        """Passed plays among finished ones."""
        return self.passed / self.finished if self.finished else None

    @property
    def average_percent(self) -> float | None:
        top = self.scenario.max_score if self.scenario else 0
        if self.average_score is None or not top:
            return None
        return 100 * self.average_score / top


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _freeze(value):
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def scenario_analytics(page: ScenarioPage) -> ScenarioAnalytics:
    """Plays, rates, per-step answers, link counts and failed paths. Four queries.

    Counts cover every play of every version; the steps and the diagram are the live
    version's, so answers to steps that no longer exist are not shown per step.
    """
    try:
        scenario = scenario_from_data(scenario_data(page, course_slug=""))
    except ScenarioError:
        scenario = None
    plays = ScenarioPlay.objects.filter(page=page)
    totals = plays.aggregate(
        plays=Count("pk"),
        learners=Count("user", distinct=True),
        finished=Count("pk", filter=Q(status=ScenarioPlay.Status.FINISHED)),
        passed=Count("pk", filter=Q(passed=True)),
        average=Avg("score", filter=Q(status=ScenarioPlay.Status.FINISHED)),
    )
    answers = ScenarioAnswer.objects.filter(play__page=page)
    grouped = Counter()
    correct_by_step: Counter = Counter()
    total_by_step: Counter = Counter()
    for row in answers.values("step_id", "value", "correct").annotate(n=Count("pk")):
        grouped[(row["step_id"], _freeze(row["value"]), row["correct"])] += row["n"]
        total_by_step[row["step_id"]] += row["n"]
        if row["correct"]:
            correct_by_step[row["step_id"]] += row["n"]
    counts = {
        (row["step_id"], row["next_step"]): row["n"]
        for row in answers.values("step_id", "next_step").annotate(n=Count("pk"))
    }
    titles = {s.id: s.title for s in scenario.steps} if scenario else {}
    failed_paths = [
        PathRow(
            tuple(titles.get(step, step) for step in row["path"].split("/") if step),
            row["n"],
        )
        for row in plays.filter(status=ScenarioPlay.Status.FINISHED, passed=False)
        .values("path")
        .annotate(n=Count("pk"), last=Max("finished_at"))
        .order_by("-n", "-last")[:5]
    ]
    steps = []
    if scenario is not None:
        by_step: dict[str, list[tuple[object, bool, int]]] = defaultdict(list)
        for (step_id, value, correct), n in grouped.items():
            by_step[step_id].append((value, correct, n))
        for step in scenario.steps:
            if step.kind == "ending":
                continue
            stats = StepStats(
                step.id,
                step.title,
                step.kind,
                answers=total_by_step[step.id],
                correct=correct_by_step[step.id],
            )
            stats.rows = _answer_rows(step, by_step[step.id], stats.answers)
            steps.append(stats)
    return ScenarioAnalytics(
        page=page,
        scenario=scenario,
        plays=totals["plays"],
        finished=totals["finished"],
        passed=totals["passed"],
        learners=totals["learners"],
        average_score=totals["average"],
        steps=steps,
        counts=counts,
        failed_paths=failed_paths,
    )


def _answer_rows(
    step, values: list[tuple[object, bool, int]], total: int
) -> list[AnswerRow]:
    if isinstance(step, DecisionStep):
        best = max((c.points for c in step.choices), default=0)
        by_choice = Counter()
        for value, _correct, n in values:
            by_choice[value] += n
        rows = [
            AnswerRow(c.text, by_choice.pop(c.id, 0), None, c.points == best)
            for c in step.choices
        ]
        rows += [AnswerRow(str(v), n, None, None) for v, n in by_choice.items()]
        return [
            AnswerRow(r.label, r.count, _share(r.count, total), r.correct) for r in rows
        ]
    if isinstance(step, DeadlineStep):
        by_date = Counter()
        right = set()
        for value, correct, n in values:
            by_date[value] += n
            if correct:
                right.add(value)
        return [
            AnswerRow(str(value), n, _share(n, total), value in right)
            for value, n in by_date.most_common(8)
        ]
    if isinstance(step, ClassificationStep):
        right_items: Counter = Counter()
        wrong_picks: dict[str, Counter] = defaultdict(Counter)
        for value, _correct, n in values:
            given = dict(value) if isinstance(value, tuple | list) else {}
            for item in step.items:
                answer = given.get(item.id)
                if answer == item.answer_key:
                    right_items[item.id] += n
                elif answer:
                    wrong_picks[item.id][answer] += n
        rows = []
        for item in step.items:
            common = wrong_picks[item.id].most_common(1)
            label = item.text
            if common:
                label = f"{item.text} — {common[0][0]} ({common[0][1]}×)"
            rows.append(
                AnswerRow(
                    label,
                    right_items[item.id],
                    _share(right_items[item.id], total),
                    None,
                )
            )
        return rows
    if isinstance(step, ChecklistStep):
        picked: Counter = Counter()
        for value, _correct, n in values:
            for element_id in value if isinstance(value, tuple | list) else ():
                picked[element_id] += n
        return [
            AnswerRow(e.text, picked[e.id], _share(picked[e.id], total), e.correct)
            for e in step.elements
        ]
    return []


def scenario_overview() -> list[dict]:
    """Every scenario page with its play counts, for the admin index. Two queries."""
    pages = list(ScenarioPage.objects.defer_streamfields().order_by("path"))
    stats = {
        row["page_id"]: row
        for row in ScenarioPlay.objects.values("page_id").annotate(
            plays=Count("pk"),
            finished=Count("pk", filter=Q(status=ScenarioPlay.Status.FINISHED)),
            passed=Count("pk", filter=Q(passed=True)),
        )
    }
    return [
        {
            "page": page,
            "plays": stats.get(page.pk, {}).get("plays", 0),
            "finished": stats.get(page.pk, {}).get("finished", 0),
            "passed": stats.get(page.pk, {}).get("passed", 0),
        }
        for page in pages
    ]


def step_title(scenario: Scenario, step_id: str) -> str:
    return scenario.step(step_id).title if scenario.has_step(step_id) else step_id
