"""Lessons go through the "Moderators approval" workflow: in review, not live."""

import pytest
from django.contrib.auth.models import Group

from courses.models import LessonPage

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    course_with_lessons,
)


@pytest.mark.django_db
def test_a_lesson_submitted_for_moderation_is_in_review_until_approved(
    catalogue, instructor
):
    course = course_with_lessons(catalogue, lessons=0)
    module = ModulePageFactory(parent=course)
    lesson = LessonPageFactory(parent=module, live=False)
    lesson.title = "Draf pelajaran"
    lesson.save_revision(user=instructor)

    workflow = lesson.get_workflow()
    assert workflow is not None and workflow.name == "Moderators approval"
    workflow_state = workflow.start(lesson, instructor)
    lesson.refresh_from_db()
    assert workflow_state.status == "in_progress"
    assert lesson.workflow_in_progress
    assert not lesson.live
    assert not LessonPage.objects.live().filter(pk=lesson.pk).exists()

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.title == "Draf pelajaran"
