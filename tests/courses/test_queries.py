"""Listing pages run a fixed number of queries, whatever the number of rows.

Each test renders the page at two sizes (1 and 5 courses, lessons or enrolments)
and asserts the same count, so an N+1 fails. A first request warms the caches
(site root paths, calendar overrides) that a running server keeps warm.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonPage
from courses.services import enrolment_self_create, lesson_complete

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    check_block,
    course_with_lessons,
    deadline_block,
    markdown_block,
)

NOW = timezone.now()


def count_queries(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_catalogue_query_count_does_not_grow_with_courses(
    client, catalogue, learner, logged_in
):
    if logged_in:
        client.force_login(learner)
    counts = []
    for size in (1, 5):
        while len(catalogue.get_children()) < size:
            course = course_with_lessons(catalogue, lessons=1)
            enrolment_self_create(user=learner, course=course, now=NOW)
        counts.append(count_queries(client, "/kursus/"))
    assert counts[0] == counts[1], counts


def test_the_course_page_query_count_does_not_grow_with_lessons(
    client, catalogue, learner
):
    client.force_login(learner)
    counts = []
    for size in (1, 5):
        course = course_with_lessons(catalogue, lessons=size, modules=size)
        enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
        for lesson in LessonPage.objects.descendant_of(course)[: size - 1]:
            lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
        counts.append(count_queries(client, course.url))
    assert counts[0] == counts[1], counts


def test_the_lesson_page_query_count_does_not_grow_with_lessons_or_blocks(
    client, catalogue, learner
):
    client.force_login(learner)
    counts = []
    for size in (1, 5):
        course = course_with_lessons(catalogue, lessons=size, modules=size)
        enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
        body = (
            [markdown_block()]
            + [check_block() for _ in range(size)]
            + [deadline_block() for _ in range(size)]
        )
        lesson = LessonPageFactory(parent=ModulePageFactory(parent=course), body=body)
        lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
        counts.append(count_queries(client, lesson.url))
    assert counts[0] == counts[1], counts


def test_my_learning_query_count_does_not_grow_with_enrolments(
    client, catalogue, learner
):
    client.force_login(learner)
    counts = []
    for size in (1, 5):
        while learner.enrolments.count() < size:
            course = course_with_lessons(catalogue, lessons=2)
            enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
            first = LessonPage.objects.descendant_of(course).first()
            lesson_complete(enrolment=enrolment, lesson=first, now=NOW)
        counts.append(count_queries(client, "/belajar/"))
    assert counts[0] == counts[1], counts


def test_the_assignment_list_query_count_does_not_grow(
    client, catalogue, offices, coordinator, learner
):
    from courses.services import course_assign

    client.force_login(coordinator)
    counts = []
    for size in (1, 5):
        while len(catalogue.get_children()) < size:
            course = course_with_lessons(catalogue, lessons=1)
            course_assign(
                course=course,
                office=offices["badung"],
                assigned_by=coordinator,
                due_on=timezone.localdate(),
                now=NOW,
            )
        counts.append(count_queries(client, "/koordinator/penugasan/"))
    assert counts[0] == counts[1], counts


def test_search_query_count_does_not_grow_with_results(client, catalogue):
    counts = []
    for size in (1, 5):
        course = course_with_lessons(catalogue, lessons=0)
        module = ModulePageFactory(parent=course)
        for _ in range(size):
            LessonPageFactory(
                parent=module,
                title=f"Tenggat keberatan {size}",
                body=[markdown_block("Keberatan diajukan tertulis.")],
            )
        counts.append(count_queries(client, f"/kursus/cari/?q=keberatan+{size}"))
    assert counts[0] == counts[1], counts
