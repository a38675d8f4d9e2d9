"""Reads for the course pages, "My learning" and the coordinator's assignment list.

Each function runs a fixed number of queries however many courses, lessons or
enrolments there are (tests/courses/test_queries.py pins the counts).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from wagtail import hooks
from wagtail.models import Page

from lms.deadlines.adapters import calendar_overrides

from .completion import (
    CompletionResult,
    RequirementStatus,
    collect_requirements,
    evaluate,
)
from .models import (
    CheckAnswer,
    CourseCompletion,
    CoursePage,
    CoursePrerequisite,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)

CERTIFICATE_URL_HOOK = "courses_certificate_urls"


# --- Lessons and requirements -------------------------------------------------


def course_lessons(courses: Iterable[CoursePage]) -> dict[int, list[LessonPage]]:
    """Live lessons of each course in tree order, bodies not loaded. One query."""
    courses = list(courses)
    result: dict[int, list[LessonPage]] = {c.pk: [] for c in courses}
    if not courses:
        return result
    by_path = {c.path: c.pk for c in courses}
    steplen = CoursePage.steplen
    depth = courses[0].depth
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=c.path) for c in courses)))
        .defer_streamfields()
        .order_by("path")
    )
    for lesson in lessons:
        course_path = lesson.path[: steplen * depth]
        if course_path in by_path:
            result[by_path[course_path]].append(lesson)
    return result


def lesson_requirements(
    enrolments: Sequence[Enrolment],
) -> dict[int, list[RequirementStatus]]:
    """The lessons provider: every live lesson, required or optional. Two queries."""
    lessons = course_lessons({e.course_id: e.course for e in enrolments}.values())
    done = set(
        LessonProgress.objects.filter(
            enrolment__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "attempt", "lesson_id")
    )
    return {
        e.pk: [
            RequirementStatus(
                key=f"lesson:{lesson.pk}",
                kind="lesson",
                title=lesson.title,
                required=lesson.required,
                done=(e.pk, e.attempt, lesson.pk) in done,
                url=lesson.url,
            )
            for lesson in lessons[e.course_id]
        ]
        for e in enrolments
    }


@dataclass(frozen=True)
class Progress:
    """An enrolment's requirement statuses and what they add up to."""

    statuses: tuple[RequirementStatus, ...]
    result: CompletionResult

    @property
    def done_keys(self) -> frozenset[str]:
        return frozenset(s.key for s in self.statuses if s.done)

    @property
    def resume_url(self) -> str | None:
        """Where "continue" goes: the first unmet required requirement, in course order.

        Deterministic, and needs no write on every page view (the last lesson visited
        is not recorded). None when everything is met.
        """
        nxt = self.result.next_requirement
        return nxt.url if nxt else None


def enrolment_progress(enrolments: Sequence[Enrolment]) -> dict[int, Progress]:
    """Evaluate each enrolment's current attempt against its course's rule.

    Enrolments must come with `course` loaded (select_related).
    """
    enrolments = [e for e in enrolments if e is not None]
    statuses = collect_requirements(enrolments)
    return {
        e.pk: Progress(
            statuses=tuple(statuses.get(e.pk, ())),
            result=evaluate(statuses.get(e.pk, []), e.course.passing_score),
        )
        for e in enrolments
    }


def enrolment_is_complete(enrolment: Enrolment) -> bool:
    """Whether the current attempt has been completed (a CourseCompletion exists)."""
    return CourseCompletion.objects.filter(
        enrolment=enrolment, attempt=enrolment.attempt
    ).exists()


def completed_course_ids(user) -> set[int]:
    """Courses the user has completed at least once (any attempt)."""
    if not user.is_authenticated:
        return set()
    return set(
        CourseCompletion.objects.filter(enrolment__user=user).values_list(
            "enrolment__course_id", flat=True
        )
    )


def missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses the user has not completed yet, in the course's order."""
    required = [
        link.required_course
        for link in CoursePrerequisite.objects.filter(course=course)
        .select_related("required_course")
        .order_by("sort_order", "pk")
    ]
    if not required:
        return []
    done = completed_course_ids(user)
    return [c for c in required if c.pk not in done]


# --- Pages --------------------------------------------------------------------


@dataclass
class CatalogueEntry:
    course: CoursePage
    enrolment: Enrolment | None
    prerequisites: list[CoursePage] = field(default_factory=list)


def catalogue_for_user(*, catalogue, user) -> list[CatalogueEntry]:
    """Published courses in tree order with the user's enrolment. Three queries."""
    courses = list(
        CoursePage.objects.live()
        .child_of(catalogue)
        .order_by("path")
        .prefetch_related(
            Prefetch(
                "prerequisite_links",
                queryset=CoursePrerequisite.objects.select_related(
                    "required_course"
                ).order_by("sort_order", "pk"),
            )
        )
    )
    enrolments = {}
    if user.is_authenticated and courses:
        enrolments = {
            e.course_id: e
            for e in Enrolment.objects.with_completion().filter(
                user=user, course__in=[c.pk for c in courses]
            )
        }
    return [
        CatalogueEntry(
            course=c,
            enrolment=enrolments.get(c.pk),
            prerequisites=[link.required_course for link in c.prerequisite_links.all()],
        )
        for c in courses
    ]


@dataclass
class OutlineModule:
    module: ModulePage
    lessons: list[LessonPage]


def course_outline(course: CoursePage) -> list[OutlineModule]:
    """Live modules with their live lessons, in tree order. Two queries."""
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    by_path = {m.path: OutlineModule(m, []) for m in modules}
    for lesson in course_lessons([course])[course.pk]:
        parent = by_path.get(lesson.path[: -LessonPage.steplen])
        if parent is not None:
            parent.lessons.append(lesson)
    return list(by_path.values())


def course_of_lesson(lesson: LessonPage) -> CoursePage | None:
    return CoursePage.objects.ancestor_of(lesson).first()


def next_lesson(lesson: LessonPage, course: CoursePage) -> LessonPage | None:
    """The live lesson after `lesson` in course order (across modules), if any."""
    lessons = course_lessons([course])[course.pk]
    ids = [item.pk for item in lessons]
    if lesson.pk not in ids:
        return None
    index = ids.index(lesson.pk)
    return lessons[index + 1] if index + 1 < len(lessons) else None


def enrolment_for_lesson(user, lesson: LessonPage) -> Enrolment | None:
    """The user's enrolment in the lesson's course, or None."""
    if not user.is_authenticated:
        return None
    course = course_of_lesson(lesson)
    return _enrolment_for(user, course) if course else None


def _enrolment_for(user, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.with_completion().filter(user=user, course=course).first()
    )
    if enrolment is not None:
        enrolment.course = course  # already loaded: avoid a second fetch
    return enrolment


def _done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        LessonProgress.objects.filter(
            enrolment=enrolment, attempt=enrolment.attempt
        ).values_list("lesson_id", flat=True)
    )


def course_page_state(*, course: CoursePage, user) -> dict:
    """Outline, enrolment, progress and prerequisites for the course page."""
    enrolment = _enrolment_for(user, course)
    progress = enrolment_progress([enrolment]).get(enrolment.pk) if enrolment else None
    prerequisites = [
        link.required_course
        for link in course.prerequisite_links.select_related(
            "required_course"
        ).order_by("sort_order", "pk")
    ]
    done_courses = completed_course_ids(user) if prerequisites else set()
    return {
        "enrolment": enrolment,
        "progress": progress,
        "outline": course_outline(course),
        "done_keys": progress.done_keys if progress else frozenset(),
        # Quizzes and scenarios, as the apps that provide them describe them.
        "assessments": [s for s in progress.statuses if s.kind != "lesson"]
        if progress
        else [],
        "prerequisites": prerequisites,
        "missing_prerequisites": [c for c in prerequisites if c.pk not in done_courses],
    }


def module_page_state(*, module: ModulePage, user) -> dict:
    course = CoursePage.objects.ancestor_of(module).first()
    enrolment = _enrolment_for(user, course) if course else None
    lessons = list(
        LessonPage.objects.live().child_of(module).defer_streamfields().order_by("path")
    )
    return {
        "course": course,
        "lessons": lessons,
        "done_keys": frozenset(f"lesson:{pk}" for pk in _done_lesson_ids(enrolment)),
    }


@dataclass(frozen=True)
class OutlineItem:
    """A page of a lesson's surroundings: all the lesson page shows of it."""

    pk: int
    title: str
    url: str


# The outline is the same for every learner and changes only when a course page
# is saved, moved or deleted (courses.apps connects `outline_cache_bump`). With
# a shared cache (Redis) the bump reaches every process at once; with the
# embedded per-process cache another process may lag by at most this long.
OUTLINE_CACHE_SECONDS = 300
OUTLINE_VERSION_KEY = "courses:outline-version"


def outline_cache_bump(**kwargs) -> None:
    try:
        cache.incr(OUTLINE_VERSION_KEY)
    except ValueError:
        cache.set(OUTLINE_VERSION_KEY, 1, None)


def lesson_outline(
    lesson: LessonPage, request=None
) -> tuple[OutlineItem | None, list[OutlineModule]]:
    """The lesson's course and its live modules and lessons: one query, then cached.

    Found by materialised path: the tree rules put a lesson two levels under its
    course, so no ancestor lookup is needed.
    """
    if not lesson.path or lesson.depth < 3:
        return None, []
    course_path = lesson.path[: -2 * Page.steplen]
    key = f"courses:outline:{cache.get(OUTLINE_VERSION_KEY, 0)}:{course_path}"
    rows = cache.get(key)
    if rows is None:
        types = ContentType.objects.get_for_models(CoursePage, ModulePage, LessonPage)
        rows = [
            (p.depth, p.path, OutlineItem(p.pk, p.title, p.get_url(request)))
            for p in Page.objects.live()
            .filter(
                path__startswith=course_path,
                depth__lte=lesson.depth,
                content_type__in=list(types.values()),
            )
            .order_by("path")
        ]
        cache.set(key, rows, OUTLINE_CACHE_SECONDS)
    course = next((item for _d, path, item in rows if path == course_path), None)
    modules = {
        path: OutlineModule(item, [])
        for depth, path, item in rows
        if depth == lesson.depth - 1
    }
    for depth, path, item in rows:
        if depth == lesson.depth and path[: -Page.steplen] in modules:
            modules[path[: -Page.steplen]].lessons.append(item)
    return course, list(modules.values())


def _enrolment_and_done(user, course_id: int) -> tuple[Enrolment | None, set[int]]:
    """The user's enrolment in a course and the lessons done in its current attempt.

    One query: the enrolment left-joined to its progress rows (of every attempt;
    the current one is picked here).
    """
    rows = list(
        Enrolment.objects.filter(user=user, course_id=course_id).values(
            "pk", "attempt", "lesson_progress__attempt", "lesson_progress__lesson_id"
        )
    )
    if not rows:
        return None, set()
    enrolment = Enrolment(
        pk=rows[0]["pk"], attempt=rows[0]["attempt"], user=user, course_id=course_id
    )
    done = {
        row["lesson_progress__lesson_id"]
        for row in rows
        if row["lesson_progress__attempt"] == enrolment.attempt
    }
    return enrolment, done


def lesson_page_state(*, lesson: LessonPage, request) -> dict:
    """Everything around the lesson body: where it sits, and the learner's state.

    Two queries at most (enrolment with progress; knowledge-check answers) once
    the outline is cached, plus the calendar overrides' cache when the body has a
    deadline example.
    """
    course, outline = lesson_outline(lesson, request)
    in_order = [item for m in outline for item in m.lessons]
    ids = [item.pk for item in in_order]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    enrolment, done = (
        _enrolment_and_done(request.user, course.pk)
        if course is not None and request.user.is_authenticated
        else (None, set())
    )
    kinds = [block.block_type for block in lesson.body]
    if enrolment is not None and "check" in kinds:
        answers = dict(
            CheckAnswer.objects.filter(
                enrolment=enrolment, attempt=enrolment.attempt, lesson_id=lesson.pk
            ).values_list("block_id", "selected")
        )
    elif enrolment is None:
        answers = session_check_answers(request, lesson)
    else:
        answers = {}
    return {
        "course": course,
        "module": next(
            (m.module for m in outline if lesson.pk in {x.pk for x in m.lessons}), None
        ),
        "outline": outline,
        "previous_lesson": in_order[position - 1] if position else None,
        "next_lesson": in_order[position + 1]
        if position is not None and position + 1 < len(in_order)
        else None,
        "enrolment": enrolment,
        "lesson_done": lesson.pk in done,
        "done_keys": frozenset(f"lesson:{pk}" for pk in done),
        "check_answers": answers,
        "check_count": kinds.count("check"),
        "kip_overrides": calendar_overrides() if "deadline" in kinds else None,
    }


SESSION_ANSWERS_KEY = "courses_check_answers"


def session_check_answers(request, lesson: LessonPage) -> dict[str, list[int]]:
    """Answers of a reader who is not enrolled: kept in the session, per lesson."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    return dict(session.get(SESSION_ANSWERS_KEY, {}).get(str(lesson.pk), {}))


# --- My learning ------------------------------------------------------------


@dataclass
class LearningEntry:
    enrolment: Enrolment
    progress: Progress
    overdue: bool = False
    # Set on entries of the "completed" list: the latest completed attempt.
    completed_at: datetime.datetime | None = None
    completed_attempt: int | None = None
    certificate_url: str | None = None

    @property
    def course(self) -> CoursePage:
        return self.enrolment.course


@dataclass
class LearningDashboard:
    assigned: list[LearningEntry]
    in_progress: list[LearningEntry]
    completed: list[LearningEntry]

    @property
    def empty(self) -> bool:
        return not (self.assigned or self.in_progress or self.completed)


def learning_dashboard(
    *, user, today: datetime.date, request=None
) -> LearningDashboard:
    """A learner's courses: assigned (by due date), in progress, completed.

    A retaken course appears twice: its open attempt under "assigned" or "in
    progress", and its last completed attempt (with the certificate) under
    "completed", so a retake never hides a certificate already earned.
    Five queries plus one per certificate-URL hook, whatever the number of courses.
    """
    enrolments = list(
        Enrolment.objects.with_completion()
        .filter(user=user, course__live=True)
        .select_related("course")
        .order_by("due_on", "-enrolled_at", "pk")
    )
    progress = enrolment_progress(enrolments)
    urls = certificate_urls(
        [e.last_completion_id for e in enrolments if e.last_completion_id],
        request=request,
    )
    dashboard = LearningDashboard([], [], [])
    for e in enrolments:
        if e.last_completion_id:
            dashboard.completed.append(
                LearningEntry(
                    enrolment=e,
                    progress=progress[e.pk],
                    completed_at=e.last_completed_at,
                    completed_attempt=e.last_completed_attempt,
                    certificate_url=urls.get(e.last_completion_id),
                )
            )
        if e.completed_at is not None:
            continue
        entry = LearningEntry(
            enrolment=e,
            progress=progress[e.pk],
            overdue=bool(e.due_on and e.due_on < today),
        )
        if e.source == Enrolment.Source.ASSIGNED:
            dashboard.assigned.append(entry)
        else:
            dashboard.in_progress.append(entry)
    dashboard.completed.sort(key=lambda x: x.completed_at, reverse=True)
    return dashboard


def certificate_urls(completion_ids: Sequence[int], *, request=None) -> dict[int, str]:
    """{completion id: certificate URL} from the apps that issue certificates.

    A hook (`@hooks.register("courses_certificate_urls")`) receives the completion
    ids and the request and returns a mapping for those it has a certificate for;
    until the certificates app registers one, there are no links.
    """
    urls: dict[int, str] = {}
    if not completion_ids:
        return urls
    for fn in hooks.get_hooks(CERTIFICATE_URL_HOOK):
        urls.update(fn(list(completion_ids), request) or {})
    return urls


# --- Search -------------------------------------------------------------------


def lesson_search(query: str):
    """Published lessons matching `query` (Wagtail search, Indonesian config)."""
    return LessonPage.objects.live().defer_streamfields().search(query)


def courses_for_lessons(lessons: Iterable[LessonPage]) -> dict[int, CoursePage]:
    """{lesson id: its course} for a page of search results. One query."""
    lessons = list(lessons)
    if not lessons:
        return {}
    steplen = CoursePage.steplen
    ancestors = {
        lesson.path[:end]
        for lesson in lessons
        for end in range(steplen, len(lesson.path), steplen)
    }
    courses = {c.path: c for c in CoursePage.objects.filter(path__in=ancestors)}

    def course_of(lesson):
        for end in range(steplen, len(lesson.path), steplen):
            if lesson.path[:end] in courses:
                return courses[lesson.path[:end]]
        return None

    return {lesson.pk: course_of(lesson) for lesson in lessons}


# --- Assignments --------------------------------------------------------------


def assignments_for_coordinator(user):
    """Assignments in the user's scope, with how many learners and completions."""
    from .permissions import assignments_visible_to

    return (
        assignments_visible_to(user)
        .select_related("course", "office", "assigned_by")
        .annotate(
            learner_count=Count("enrolments", distinct=True),
            completed_count=Count(
                "enrolments",
                filter=Q(enrolments__completions__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


# --- Export -------------------------------------------------------------------

EXPORTABLE_BLOCKS = ("markdown", "citation", "callout", "deadline", "check")


class NotExportable(ValueError):
    pass


def course_export_spec(course: CoursePage):
    """The published course as a `content_format.CourseSpec` (live pages only)."""
    from .content_format import CourseSpec, LessonSpec, ModuleSpec

    prerequisites = tuple(
        link.required_course.slug
        for link in course.prerequisite_links.select_related(
            "required_course"
        ).order_by("sort_order", "pk")
    )
    modules = []
    for module in ModulePage.objects.live().child_of(course).order_by("path"):
        lessons = []
        for lesson in LessonPage.objects.live().child_of(module).order_by("path"):
            blocks = []
            for block in lesson.body:
                if block.block_type not in EXPORTABLE_BLOCKS:
                    raise NotExportable(
                        f"{lesson.url_path}: a {block.block_type!r} block has no "
                        "representation in the course format"
                    )
                blocks.append((block.block_type, _export_value(block)))
            lessons.append(
                LessonSpec(
                    slug=lesson.slug,
                    title=lesson.title,
                    summary=lesson.summary,
                    minutes=lesson.minutes,
                    required=lesson.required,
                    blocks=tuple(blocks),
                )
            )
        modules.append(
            ModuleSpec(
                slug=module.slug,
                title=module.title,
                intro=module.intro,
                lessons=tuple(lessons),
            )
        )
    return CourseSpec(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        objectives=tuple(course.objectives_list),
        regulations=tuple(course.regulations_list),
        audience=course.audience,
        hours=course.hours,
        prerequisites=prerequisites,
        certificate_validity_months=course.certificate_validity_months,
        allow_retake=course.allow_retake,
        passing_score=course.passing_score,
        search_keywords=tuple(course.search_keywords_list),
        intro=course.intro,
        modules=tuple(modules),
    )


def _export_value(block):
    if block.block_type == "markdown":
        return block.value
    value = {name: block.value[name] for name in block.value}
    if block.block_type == "check":
        value["options"] = tuple(
            {"text": o["text"], "correct": o["correct"], "feedback": o["feedback"]}
            for o in block.value["options"]
        )
    return value
