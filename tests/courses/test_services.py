"""Enrolment, prerequisites, progress, completion, retake and knowledge checks."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from courses.models import (
    CheckAnswer,
    CourseCompletion,
    CoursePrerequisite,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from courses.selectors import enrolment_is_complete, enrolment_progress
from courses.services import (
    PrerequisitesMissing,
    check_answer_record,
    enrolment_evaluate,
    enrolment_retake,
    enrolment_self_create,
    lesson_complete,
)
from courses.signals import course_completed

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    check_block,
    course_with_lessons,
    markdown_block,
)

NOW = datetime.datetime(2025, 5, 5, 9, 0, tzinfo=datetime.UTC)


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


@pytest.fixture
def events():
    received = []

    def receiver(sender, completion, enrolment, **kwargs):
        received.append(completion.pk)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


@pytest.fixture
def course(catalogue):
    return course_with_lessons(catalogue, lessons=2, modules=2)


def test_self_enrolment_is_idempotent(course, learner):
    first, created = enrolment_self_create(user=learner, course=course, now=NOW)
    again, created_again = enrolment_self_create(user=learner, course=course, now=NOW)
    assert created and not created_again
    assert first.pk == again.pk
    assert first.source == Enrolment.Source.SELF and first.attempt == 1


def test_prerequisites_must_be_completed_and_are_named(catalogue, learner):
    basics = course_with_lessons(catalogue, lessons=1, title="Dasar KIP")
    advanced = course_with_lessons(catalogue, lessons=1, title="Sengketa")
    CoursePrerequisite.objects.create(course=advanced, required_course=basics)
    with translation.override("en"), pytest.raises(PrerequisitesMissing) as exc:
        enrolment_self_create(user=learner, course=advanced, now=NOW)
    assert "Dasar KIP" in exc.value.messages[0]
    assert exc.value.courses == [basics]

    enrolment, _ = enrolment_self_create(user=learner, course=basics, now=NOW)
    lesson_complete(enrolment=enrolment, lesson=lessons_of(basics)[0], now=NOW)
    enrolment_self_create(user=learner, course=advanced, now=NOW)


def test_progress_counts_required_lessons_and_resumes_at_the_first_missing(
    course, learner
):
    first, second, third, fourth = lessons_of(course)
    LessonPage.objects.filter(pk=fourth.pk).update(required=False)
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    lesson_complete(enrolment=enrolment, lesson=first, now=NOW)
    progress = enrolment_progress([Enrolment.objects.select_related("course").get()])
    result = progress[enrolment.pk].result
    assert (result.required_met, result.required_total, result.percent) == (1, 3, 33)
    assert progress[enrolment.pk].resume_url == second.url


def test_completion_is_recorded_and_announced_once(
    course, learner, events, django_capture_on_commit_callbacks
):
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    *rest, last = lessons_of(course)
    for lesson in rest:
        evaluation = lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
        assert not evaluation.result.complete
    assert not enrolment_is_complete(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = lesson_complete(enrolment=enrolment, lesson=last, now=NOW)
    assert evaluation.newly_completed
    assert enrolment_is_complete(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        again = lesson_complete(enrolment=enrolment, lesson=last, now=NOW)
        enrolment_evaluate(enrolment=enrolment, now=NOW)
    assert not again.newly_completed
    assert CourseCompletion.objects.count() == 1
    assert events == [evaluation.completion.pk]


def test_a_lesson_from_another_course_is_refused(catalogue, course, learner):
    other = course_with_lessons(catalogue, lessons=1)
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    with pytest.raises(ValidationError):
        lesson_complete(enrolment=enrolment, lesson=lessons_of(other)[0], now=NOW)


def test_retake_starts_a_new_attempt_and_keeps_history(course, learner):
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    with pytest.raises(ValidationError):
        enrolment_retake(enrolment=enrolment, now=NOW)  # not completed yet
    for lesson in lessons_of(course):
        lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
    enrolment = enrolment_retake(enrolment=enrolment, now=NOW)
    assert enrolment.attempt == 2
    assert not enrolment_is_complete(enrolment)
    fresh = enrolment_progress([Enrolment.objects.select_related("course").get()])
    assert fresh[enrolment.pk].result.required_met == 0
    assert LessonProgress.objects.filter(enrolment=enrolment, attempt=1).count() == 4
    assert CourseCompletion.objects.filter(enrolment=enrolment, attempt=1).exists()
    for lesson in lessons_of(course):
        lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
    assert list(
        CourseCompletion.objects.filter(enrolment=enrolment)
        .order_by("attempt")
        .values_list("attempt", flat=True)
    ) == [1, 2]


def test_retake_is_refused_when_the_course_does_not_allow_it(catalogue, learner):
    course = course_with_lessons(catalogue, lessons=1, allow_retake=False)
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[0], now=NOW)
    with pytest.raises(ValidationError):
        enrolment_retake(enrolment=enrolment, now=NOW)


def test_answering_every_knowledge_check_completes_the_lesson(catalogue, learner):
    course = course_with_lessons(catalogue, lessons=0)
    module = ModulePageFactory(parent=course)
    first, second = check_block(correct=(1,)), check_block(correct=(0, 2))
    lesson = LessonPageFactory(parent=module, body=[markdown_block(), first, second])
    LessonPageFactory(parent=module)
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)

    outcome = check_answer_record(
        enrolment=enrolment,
        lesson=lesson,
        block_id=first["id"],
        selected=["0"],
        now=NOW,
    )
    assert not outcome.correct and not outcome.lesson_completed
    outcome = check_answer_record(
        enrolment=enrolment,
        lesson=lesson,
        block_id=first["id"],
        selected=["1"],
        now=NOW,
    )
    assert outcome.correct and CheckAnswer.objects.count() == 1  # updated, not added
    outcome = check_answer_record(
        enrolment=enrolment,
        lesson=lesson,
        block_id=second["id"],
        selected=["0", "2"],
        now=NOW,
    )
    assert outcome.correct and outcome.lesson_completed
    assert LessonProgress.objects.filter(lesson=lesson).exists()
    assert not outcome.evaluation.result.complete  # the other lesson is still open


@pytest.mark.parametrize("selected", [[], ["9"], ["x"], ["0", "1"]])
def test_a_malformed_answer_is_refused(catalogue, learner, selected):
    course = course_with_lessons(catalogue, lessons=0)
    block = check_block(correct=(0,))
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=course), body=[block])
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    with pytest.raises(ValidationError):
        check_answer_record(
            enrolment=enrolment,
            lesson=lesson,
            block_id=block["id"],
            selected=selected,
            now=NOW,
        )


def test_an_unpublished_course_cannot_be_joined(course, learner):
    course.unpublish()
    with pytest.raises(ValidationError):
        enrolment_self_create(user=learner, course=course, now=timezone.now())


def test_other_learners_progress_is_separate(course, learner, offices):
    other = UserFactory(office=offices["badung"])
    mine, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    theirs, _ = enrolment_self_create(user=other, course=course, now=NOW)
    lesson_complete(enrolment=mine, lesson=lessons_of(course)[0], now=NOW)
    progress = enrolment_progress(
        list(Enrolment.objects.select_related("course").order_by("pk"))
    )
    assert progress[mine.pk].result.required_met == 1
    assert progress[theirs.pk].result.required_met == 0
