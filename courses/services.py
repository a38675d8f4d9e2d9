"""State changes of enrolment, assignment, progress and completion; course import.

Every function is keyword-only, validates, and writes in one transaction. Anything
that changes an enrolment's progress first locks the enrolment row, so concurrent
requests for the same learner and course (two "mark done" clicks, two tabs) are
serialised: on PostgreSQL by SELECT … FOR UPDATE, on SQLite by the IMMEDIATE
transaction mode of the settings. Completion is decided in one place,
`enrolment_evaluate`, and announced once: the CourseCompletion row's unique
(enrolment, attempt) is the idempotency key, and only the transaction that created
the row sends `course_completed`, after it commits.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.offices.models import Office

from .completion import CompletionResult
from .models import (
    CheckAnswer,
    CourseAssignment,
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from .selectors import SESSION_ANSWERS_KEY, enrolment_progress, missing_prerequisites
from .signals import course_completed


class PrerequisitesMissing(ValidationError):
    def __init__(self, courses: list[CoursePage]):
        self.courses = courses
        names = ", ".join(f"“{c.title}”" for c in courses)
        super().__init__(
            ngettext(
                "Complete the prerequisite course %(names)s first.",
                "Complete the prerequisite courses %(names)s first.",
                len(courses),
            )
            % {"names": names},
            code="prerequisites",
        )


# --- Enrolment and assignment ------------------------------------------------


def enrolment_self_create(
    *, user, course: CoursePage, now: datetime.datetime
) -> tuple[Enrolment, bool]:
    """Enrol `user` in a published course, if its prerequisites are completed.

    Idempotent: an existing enrolment is returned as is (created = False).
    """
    if not course.live:
        raise ValidationError(_("This course is not published."), code="not_live")
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing, False
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        raise PrerequisitesMissing(missing)
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            user=user,
            course=course,
            defaults={
                "source": Enrolment.Source.SELF,
                "enrolled_at": now,
                "attempt_started_at": now,
            },
        )
    return enrolment, created


@dataclass(frozen=True)
class AssignmentResult:
    assignment: CourseAssignment
    created: int  # learners newly assigned (new enrolments or self-enrolled ones)
    already: int  # learners who were already assigned this course

    @property
    def message(self) -> str:
        return _("%(new)d new, %(already)d already assigned.") % {
            "new": self.created,
            "already": self.already,
        }


def course_assign(
    *,
    course: CoursePage,
    office: Office,
    due_on: datetime.date,
    assigned_by,
    now: datetime.datetime,
    employment_type: str = "",
    include_suboffices: bool = False,
) -> AssignmentResult:
    """Assign a course to an office's members (optionally one employment type).

    The same target twice reuses the first assignment and only adds members who
    joined since; prerequisites are not enforced (the coordinator decides).
    Permission (is the office in the user's scope?) is the caller's job.
    """
    if not course.live:
        raise ValidationError(_("This course is not published."), code="not_live")
    with transaction.atomic():
        assignment, _created = CourseAssignment.objects.get_or_create(
            course=course,
            office=office,
            employment_type=employment_type,
            include_suboffices=include_suboffices,
            defaults={"due_on": due_on, "assigned_by": assigned_by, "created_at": now},
        )
        return assignment_apply(assignment=assignment, now=now)


def assignment_members(assignment: CourseAssignment):
    offices = (
        Office.objects.subtree(assignment.office)
        if assignment.include_suboffices
        else Office.objects.filter(pk=assignment.office_id)
    )
    users = get_user_model().objects.filter(is_active=True, office__in=offices)
    if assignment.employment_type:
        users = users.filter(employment_type=assignment.employment_type)
    return users


def assignment_apply(
    *, assignment: CourseAssignment, now: datetime.datetime
) -> AssignmentResult:
    """Expand an assignment into enrolments for its current members. Idempotent."""
    with transaction.atomic():
        member_ids = set(assignment_members(assignment).values_list("pk", flat=True))
        existing = {
            e.user_id: e
            for e in Enrolment.objects.select_for_update().filter(
                course=assignment.course_id, user_id__in=member_ids
            )
        }
        already = sum(
            1 for e in existing.values() if e.source == Enrolment.Source.ASSIGNED
        )
        converted = [
            e for e in existing.values() if e.source != Enrolment.Source.ASSIGNED
        ]
        for enrolment in converted:
            enrolment.source = Enrolment.Source.ASSIGNED
            enrolment.assignment = assignment
            enrolment.due_on = assignment.due_on
        Enrolment.objects.bulk_update(converted, ["source", "assignment", "due_on"])
        new = [
            Enrolment(
                user_id=user_id,
                course_id=assignment.course_id,
                source=Enrolment.Source.ASSIGNED,
                assignment=assignment,
                due_on=assignment.due_on,
                enrolled_at=now,
                attempt_started_at=now,
            )
            for user_id in sorted(member_ids - existing.keys())
        ]
        Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return AssignmentResult(
        assignment=assignment, created=len(new) + len(converted), already=already
    )


# --- Progress and completion -------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    result: CompletionResult
    completion: CourseCompletion | None
    # True only for the call that created the completion (and will send the event).
    newly_completed: bool


def _locked(enrolment: Enrolment) -> Enrolment:
    """Re-read the enrolment under a row lock (a no-op on SQLite, see module doc)."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrolment.pk)
    )


def enrolment_evaluate(*, enrolment: Enrolment, now: datetime.datetime) -> Evaluation:
    """Evaluate the current attempt; record and announce the completion once.

    The single place that decides completion: other apps (quizzes after an attempt,
    certificates) call this, never compute it themselves.
    """
    with transaction.atomic():
        enrolment = _locked(enrolment)
        result = enrolment_progress([enrolment])[enrolment.pk].result
        if not result.complete:
            existing = CourseCompletion.objects.filter(
                enrolment=enrolment, attempt=enrolment.attempt
            ).first()
            return Evaluation(result, existing, False)
        completion, created = CourseCompletion.objects.get_or_create(
            enrolment=enrolment,
            attempt=enrolment.attempt,
            defaults={"completed_at": now, "score": result.score},
        )
        if created:
            transaction.on_commit(
                lambda: course_completed.send(
                    sender=CourseCompletion, completion=completion, enrolment=enrolment
                )
            )
    return Evaluation(result, completion, created)


def _check_lesson_in_course(lesson: LessonPage, enrolment: Enrolment) -> None:
    if not lesson.live or not lesson.path.startswith(enrolment.course.path):
        raise ValidationError(
            _("This lesson is not part of the course."), code="lesson"
        )


def lesson_complete(
    *, enrolment: Enrolment, lesson: LessonPage, now: datetime.datetime
) -> Evaluation:
    """Mark a lesson done for the current attempt (idempotent) and re-evaluate."""
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _check_lesson_in_course(lesson, enrolment)
        LessonProgress.objects.get_or_create(
            enrolment=enrolment,
            attempt=enrolment.attempt,
            lesson=lesson,
            defaults={"completed_at": now},
        )
        return enrolment_evaluate(enrolment=enrolment, now=now)


def check_block(lesson: LessonPage, block_id: str):
    """The knowledge-check block with this id in the lesson body, or None."""
    for block in lesson.body:
        if block.block_type == "check" and block.id == block_id:
            return block
    return None


def _clean_selection(block, selected) -> list[int]:
    count = len(block.value["options"])
    try:
        indexes = sorted({int(i) for i in selected})
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Choose an answer."), code="selection") from exc
    if not indexes or any(not 0 <= i < count for i in indexes):
        raise ValidationError(_("Choose an answer."), code="selection")
    if not block.value.multiple and len(indexes) > 1:
        raise ValidationError(_("Choose one answer."), code="selection")
    return indexes


@dataclass(frozen=True)
class CheckOutcome:
    correct: bool
    selected: list[int]
    lesson_completed: bool
    evaluation: Evaluation | None


def check_answer_record(
    *,
    enrolment: Enrolment,
    lesson: LessonPage,
    block_id: str,
    selected: list,
    now: datetime.datetime,
) -> CheckOutcome:
    """Store an answer to a check; answering all of a lesson's checks completes it."""
    block = check_block(lesson, block_id)
    if block is None:
        raise ValidationError(_("This question no longer exists."), code="block")
    indexes = _clean_selection(block, selected)
    correct = block.value.is_correct(indexes)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _check_lesson_in_course(lesson, enrolment)
        CheckAnswer.objects.update_or_create(
            enrolment=enrolment,
            attempt=enrolment.attempt,
            lesson=lesson,
            block_id=block_id,
            defaults={"selected": indexes, "correct": correct, "answered_at": now},
        )
        check_ids = {b.id for b in lesson.body if b.block_type == "check"}
        answered = set(
            CheckAnswer.objects.filter(
                enrolment=enrolment, attempt=enrolment.attempt, lesson=lesson
            ).values_list("block_id", flat=True)
        )
        if not check_ids <= answered:
            return CheckOutcome(correct, indexes, False, None)
        _progress, created = LessonProgress.objects.get_or_create(
            enrolment=enrolment,
            attempt=enrolment.attempt,
            lesson=lesson,
            defaults={"completed_at": now},
        )
        evaluation = enrolment_evaluate(enrolment=enrolment, now=now)
    return CheckOutcome(correct, indexes, created, evaluation)


def check_answer_remember(
    *, session, lesson: LessonPage, block_id: str, selected: list
):
    """A reader who is not enrolled: validate; keep the answer in the session only."""
    block = check_block(lesson, block_id)
    if block is None:
        raise ValidationError(_("This question no longer exists."), code="block")
    indexes = _clean_selection(block, selected)
    answers = session.get(SESSION_ANSWERS_KEY, {})
    answers.setdefault(str(lesson.pk), {})[block_id] = indexes
    session[SESSION_ANSWERS_KEY] = answers
    return CheckOutcome(block.value.is_correct(indexes), indexes, False, None)


def enrolment_retake(*, enrolment: Enrolment, now: datetime.datetime) -> Enrolment:
    """Start a new attempt of a completed course; earlier attempts stay on record."""
    with transaction.atomic():
        enrolment = _locked(enrolment)
        if not enrolment.course.allow_retake:
            raise ValidationError(_("This course cannot be retaken."), code="no_retake")
        if not CourseCompletion.objects.filter(
            enrolment=enrolment, attempt=enrolment.attempt
        ).exists():
            raise ValidationError(
                _("Only a completed course can be retaken."), code="not_complete"
            )
        enrolment.attempt += 1
        enrolment.attempt_started_at = now
        enrolment.save(update_fields=["attempt", "attempt_started_at"])
    return enrolment


# --- Import (docs/course-format.md) ------------------------------------------


@dataclass
class ImportReport:
    course: CoursePage
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    unpublished: int = 0

    def __str__(self):
        return (
            f"{self.course.slug}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.moved} moved, "
            f"{self.unpublished} unpublished"
        )


def _strip_ids(value):
    """A StreamField's JSON without block ids, list items unwrapped: for comparison."""
    if isinstance(value, list):
        return [_strip_ids(item) for item in value]
    if isinstance(value, dict):
        if value.keys() == {"type", "value", "id"} and value["type"] == "item":
            return _strip_ids(value["value"])
        return {k: _strip_ids(v) for k, v in value.items() if k != "id"}
    return value


def _body_json(stream_value) -> list[dict]:
    return stream_value.stream_block.get_prep_value(stream_value)


def _spec_block_json(kind: str, value) -> object:
    if kind == "markdown":
        return value
    data = dict(value)
    if kind == "deadline":
        data["start"] = data["start"].isoformat()
    if kind == "check":
        data["options"] = [dict(option) for option in data["options"]]
    return data


def _body_with_ids(blocks_spec, old_body) -> list[dict]:
    """The spec's blocks as StreamField JSON, reusing the ids of unchanged blocks.

    Knowledge-check answers are stored by block id: keeping ids across re-imports
    keeps learners' answers attached. A block keeps its id if an identical block
    exists, else if the block at the same position has the same type.
    """
    import uuid

    old = (
        [
            (item["type"], _strip_ids(item["value"]), item.get("id"))
            for item in _body_json(old_body)
        ]
        if old_body is not None
        else []
    )
    used: set[str] = set()
    result = []
    for index, (kind, value) in enumerate(blocks_spec):
        data = _spec_block_json(kind, value)
        block_id = next(
            (i for t, v, i in old if t == kind and v == data and i and i not in used),
            None,
        )
        if block_id is None and index < len(old):
            t, _v, i = old[index]
            if t == kind and i and i not in used:
                block_id = i
        block_id = block_id or str(uuid.uuid4())
        used.add(block_id)
        result.append({"type": kind, "value": data, "id": block_id})
    return result


def _publish(page, *, user) -> None:
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)


def _apply(page, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _sync(
    parent, model, existing, fields: dict, report: ImportReport, *, user, extra=None
):
    """Create under `parent` or update `existing`; publish when something changed."""
    if existing is None:
        page = model(live=False, **fields)
        if extra:
            extra(page)
        # A fresh parent: treebeard computes the new path from its numchild.
        type(parent).objects.get(pk=parent.pk).add_child(instance=page)
        _publish(page, user=user)
        report.created += 1
        return page
    page = existing
    changed = _apply(page, fields)
    if extra:
        changed = extra(page) or changed
    if changed or not page.live:
        _publish(page, user=user)
        report.updated += 1
    else:
        report.unchanged += 1
    return page


def _reorder(parent_pk: int, desired: list[int], report: ImportReport) -> None:
    from wagtail.models import Page

    parent = Page.objects.get(pk=parent_pk)
    current = list(parent.get_children().order_by("path").values_list("pk", flat=True))
    wanted = [pk for pk in desired if pk in current] + [
        pk for pk in current if pk not in desired
    ]
    if current == wanted:
        return
    for pk in wanted:
        Page.objects.get(pk=pk).move(Page.objects.get(pk=parent_pk), pos="last-child")
    report.moved += 1


def course_import(*, spec, catalogue, user=None) -> ImportReport:
    """Create or update a course from a `content_format.CourseSpec`, published.

    Idempotent, and safe for learners' records: pages are matched by slug (course
    under the catalogue, module under the course, lesson anywhere in the course)
    and updated in place, so their ids, and the progress keyed by them, survive.
    A lesson or module that is no longer in the files is unpublished, never
    deleted. One transaction per course: an error leaves the course as it was.
    """
    from .models import CoursePrerequisite, ModulePage

    with transaction.atomic():
        existing_course = (
            CoursePage.objects.child_of(catalogue).filter(slug=spec.slug).first()
        )
        report = ImportReport(course=existing_course)
        prerequisites = []
        for slug in spec.prerequisites:
            required = CoursePage.objects.child_of(catalogue).filter(slug=slug).first()
            if required is None:
                raise ValidationError(
                    _("Unknown prerequisite course %(slug)s.") % {"slug": slug}
                )
            prerequisites.append(required)

        def set_prerequisites(page) -> bool:
            current = [
                link.required_course_id for link in page.prerequisite_links.all()
            ]
            if current == [c.pk for c in prerequisites]:
                return False
            page.prerequisite_links = [
                CoursePrerequisite(required_course=c, sort_order=i)
                for i, c in enumerate(prerequisites)
            ]
            return True

        course = _sync(
            catalogue,
            CoursePage,
            existing_course,
            {
                "title": spec.title,
                "slug": spec.slug,
                "summary": spec.summary,
                "intro": spec.intro,
                "objectives": "\n".join(spec.objectives),
                "regulations": "\n".join(spec.regulations),
                "audience": spec.audience,
                "hours": spec.hours,
                "passing_score": spec.passing_score,
                "certificate_validity_months": spec.certificate_validity_months,
                "allow_retake": spec.allow_retake,
                "search_keywords": "\n".join(spec.search_keywords),
            },
            report,
            user=user,
            extra=set_prerequisites,
        )
        report.course = course

        modules = {m.slug: m for m in ModulePage.objects.child_of(course)}
        lessons = {
            lesson.slug: lesson for lesson in LessonPage.objects.descendant_of(course)
        }
        module_order = []
        for module_spec in spec.modules:
            module = _sync(
                course,
                ModulePage,
                modules.get(module_spec.slug),
                {
                    "title": module_spec.title,
                    "slug": module_spec.slug,
                    "intro": module_spec.intro,
                },
                report,
                user=user,
            )
            module_order.append(module.pk)
            lesson_order = []
            for lesson_spec in module_spec.lessons:
                lesson = lessons.get(lesson_spec.slug)
                if (
                    lesson is not None
                ):  # re-read: earlier moves may have changed its path
                    lesson = LessonPage.objects.get(pk=lesson.pk)
                if lesson is not None and not lesson.path.startswith(module.path):
                    lesson.move(ModulePage.objects.get(pk=module.pk), pos="last-child")
                    lesson = LessonPage.objects.get(pk=lesson.pk)
                    report.moved += 1
                fields = {
                    "title": lesson_spec.title,
                    "slug": lesson_spec.slug,
                    "summary": lesson_spec.summary,
                    "minutes": lesson_spec.minutes,
                    "required": lesson_spec.required,
                }

                def set_body(page, blocks=lesson_spec.blocks) -> bool:
                    old = page.body if page.pk else None
                    new = _body_with_ids(blocks, old)
                    if old is not None and _strip_ids(_body_json(old)) == _strip_ids(
                        new
                    ):
                        return False
                    page.body = new
                    return True

                lesson = _sync(
                    ModulePage.objects.get(pk=module.pk),
                    LessonPage,
                    lesson,
                    fields,
                    report,
                    user=user,
                    extra=set_body,
                )
                lesson_order.append(lesson.pk)
            _reorder(module.pk, lesson_order, report)
        _reorder(course.pk, module_order, report)

        wanted_lessons = {lesson.slug for lesson in spec.lessons}
        wanted_modules = {m.slug for m in spec.modules}
        for page in LessonPage.objects.descendant_of(course).live():
            if page.slug not in wanted_lessons:
                page.unpublish(user=user)
                report.unpublished += 1
        for page in ModulePage.objects.child_of(course).live():
            if page.slug not in wanted_modules:
                page.unpublish(user=user)
                report.unpublished += 1
    return report


def course_package_import(*, specs, catalogue, user=None) -> list[ImportReport]:
    """Import the courses of one uploaded package: all of them, or none.

    `import_course` gives each course its own transaction; an upload is one
    action of one person, so a failure in its third course undoes the first two.
    """
    with transaction.atomic():
        return [
            course_import(spec=spec, catalogue=catalogue, user=user) for spec in specs
        ]


def lesson_replace(*, course: CoursePage, lesson, catalogue, user=None) -> ImportReport:
    """Replace one lesson of `course` (a `content_format.LessonSpec`) through the
    course importer: the course is exported, the lesson swapped, the result
    imported, so the lesson keeps its page, its place and learners' progress."""
    from dataclasses import replace

    from .selectors import NotExportable, course_export_spec

    try:
        spec = course_export_spec(course)
    except NotExportable as exc:
        raise ValidationError(
            _("The course has content the course format cannot hold (%(detail)s).")
            % {"detail": exc}
        ) from exc
    if lesson.slug not in {existing.slug for existing in spec.lessons}:
        raise ValidationError(
            _(
                "The course %(course)s has no published lesson %(slug)s. To add "
                "lessons, upload the whole course as a .zip."
            )
            % {"course": course.title, "slug": lesson.slug}
        )
    modules = tuple(
        replace(
            module,
            lessons=tuple(
                lesson if existing.slug == lesson.slug else existing
                for existing in module.lessons
            ),
        )
        for module in spec.modules
    )
    return course_import(
        spec=replace(spec, modules=modules), catalogue=catalogue, user=user
    )
