"""Who may do what with courses; offices and roles come from lms.offices.permissions.

Fetch and check together: the `*_or_404` helpers answer 404 for "missing" and "not
yours" alike, so a URL never reveals whether someone else's record exists.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from lms.offices.permissions import offices_visible_to, user_is_coordinator

from .models import CourseAssignment, CoursePage, Enrolment, LessonPage


def user_can_assign_courses(user) -> bool:
    return user_is_coordinator(user)


def assignments_visible_to(user):
    """Assignments made to offices the user coordinates."""
    return CourseAssignment.objects.filter(office__in=offices_visible_to(user))


def assignment_for_user_or_404(user, pk) -> CourseAssignment:
    return get_object_or_404(
        assignments_visible_to(user).select_related("course", "office"), pk=pk
    )


def live_course_or_404(pk) -> CoursePage:
    return get_object_or_404(CoursePage.objects.live(), pk=pk)


def live_lesson_or_404(pk) -> LessonPage:
    return get_object_or_404(LessonPage.objects.live(), pk=pk)


def enrolment_for_user_or_404(user, course: CoursePage) -> Enrolment:
    """The user's own enrolment in `course`; 404 when there is none."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Enrolment.objects.select_related("course"), user=user, course=course
    )


def user_can_import_courses(user, catalogue) -> bool:
    """Whether `user` may upload course packages: the importer creates and
    publishes pages under the catalogue, so it takes both page permissions there."""
    if catalogue is None or not user.is_authenticated:
        return False
    permissions = catalogue.permissions_for_user(user)
    return permissions.can_add_subpage() and permissions.can_publish_subpage()
