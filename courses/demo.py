"""Demo data for courses: the real curriculum, an assignment and some progress.

Called by the `seed_demo` command after offices and the demo accounts exist.
Idempotent: run it again and nothing is duplicated.

What the demo shows (on a fresh database):
- every course under courses/content/, imported and published;
- the "Instruktur" group may add and edit course pages (submitting them to the
  "Moderators approval" workflow) in the Wagtail admin;
- peserta@example.org (KPU Kabupaten Badung) completed "Dasar Keterbukaan Informasi
  Publik" six weeks ago; koordinator@example.org now assigns it to KPU Kabupaten
  Badung as a refresher due in two weeks, so peserta has retaken it (attempt 2, two
  lessons done). /belajar/ shows it under "Assigned" (due date, resume link) and
  the earlier attempt under "Completed";
- peserta is part-way through "Informasi yang Dikecualikan" ("In progress"), whose
  prerequisite is the completed basics course;
- magang@example.org (KPU Kabupaten Klaten) has completed the basics course.

Completions are only possible here because this runs before the quizzes' demo:
once a course has a required quiz, finishing its lessons no longer completes it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from .content_format import read_courses
from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage
from .selectors import enrolment_is_complete
from .services import (
    course_assign,
    course_import,
    enrolment_retake,
    enrolment_self_create,
    lesson_complete,
)

CONTENT = Path(__file__).resolve().parent / "content"
BASICS = "dasar-kip"
SECOND = "informasi-dikecualikan"
COORDINATOR = "koordinator@example.org"
LEARNER = "peserta@example.org"
INTERN = "magang@example.org"
INSTRUCTOR_GROUP = "Instruktur"


def seed(stdout) -> None:
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        stdout.write("courses: no catalogue page (run migrate first); skipped")
        return
    _import_curriculum(stdout, catalogue)
    _instructor_permissions(stdout, catalogue)
    users = {
        u.email: u
        for u in get_user_model()
        .objects.filter(email__in=[COORDINATOR, LEARNER, INTERN])
        .select_related("office")
    }
    courses = {c.slug: c for c in CoursePage.objects.child_of(catalogue)}
    basics, second = courses.get(BASICS), courses.get(SECOND)
    learner, intern = users.get(LEARNER), users.get(INTERN)
    now = timezone.now()
    if basics and learner and learner.office_id:
        _refresher(stdout, learner, basics, users.get(COORDINATOR), now=now)
    if second and learner:
        _in_progress(stdout, learner, second, now=now)
    if basics and intern and not intern.enrolments.filter(course=basics).exists():
        enrolment, _ = enrolment_self_create(
            user=intern, course=basics, now=now - datetime.timedelta(days=10)
        )
        evaluation = _complete_lessons(enrolment, count=None, now=now)
        stdout.write(
            f"courses: {intern.email} finished {basics.title}: {_state(evaluation)}"
        )


def _refresher(stdout, learner, basics, coordinator, *, now) -> None:
    first_run = not Enrolment.objects.filter(user=learner, course=basics).exists()
    if first_run:
        enrolment, _ = enrolment_self_create(
            user=learner, course=basics, now=now - datetime.timedelta(days=60)
        )
        evaluation = _complete_lessons(
            enrolment, count=None, now=now - datetime.timedelta(days=42)
        )
        stdout.write(
            f"courses: {learner.email} finished {basics.title}: {_state(evaluation)}"
        )
    result = course_assign(
        course=basics,
        office=learner.office,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        assigned_by=coordinator,
        now=now,
    )
    stdout.write(
        f"courses: assigned {basics.title} to {learner.office}: {result.message}"
    )
    enrolment = Enrolment.objects.select_related("course").get(
        user=learner, course=basics
    )
    if first_run and enrolment_is_complete(enrolment):
        enrolment = enrolment_retake(
            enrolment=enrolment, now=now - datetime.timedelta(days=1)
        )
        _complete_lessons(enrolment, count=2, now=now)
        stdout.write(f"courses: {learner.email} is retaking it (attempt 2)")


def _in_progress(stdout, learner, course, *, now) -> None:
    if Enrolment.objects.filter(user=learner, course=course).exists():
        return
    try:
        enrolment, _ = enrolment_self_create(
            user=learner, course=course, now=now - datetime.timedelta(days=3)
        )
    except ValidationError as exc:
        stdout.write(f"courses: {learner.email} not enrolled in {course.title}: {exc}")
        return
    _complete_lessons(enrolment, count=1, now=now)
    stdout.write(f"courses: {learner.email} is part-way through {course.title}")


def _state(evaluation) -> str:
    if evaluation is not None and evaluation.result.complete:
        return "course completed"
    return "lessons done, course still open (it has other requirements)"


def _import_curriculum(stdout, catalogue) -> None:
    known = frozenset(
        CoursePage.objects.child_of(catalogue).values_list("slug", flat=True)
    )
    for spec in read_courses(CONTENT, known_slugs=known):
        stdout.write(f"courses: {course_import(spec=spec, catalogue=catalogue)}")


def _instructor_permissions(stdout, catalogue) -> None:
    """Instructors edit courses and submit for moderation; moderators publish."""
    from wagtail.models import GroupPagePermission

    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=catalogue,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    for codename in ("choose_image", "add_image", "choose_document", "add_document"):
        permission = Permission.objects.filter(codename=codename).first()
        if permission:
            group.permissions.add(permission)
    stdout.write(f"courses: group {INSTRUCTOR_GROUP} may edit the course catalogue")


def _complete_lessons(enrolment, *, count: int | None, now):
    lessons = list(
        LessonPage.objects.live()
        .descendant_of(enrolment.course)
        .filter(required=True)
        .order_by("path")
    )
    evaluation = None
    for lesson in lessons if count is None else lessons[:count]:
        evaluation = lesson_complete(enrolment=enrolment, lesson=lesson, now=now)
    return evaluation
