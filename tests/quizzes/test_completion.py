"""A quiz is a requirement of its course: passed (highest attempt) → course complete."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.completion import collect_requirements
from courses.models import CourseCompletion, Enrolment
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit

from .factories import UserFactory, course_tree, enrol, quiz_page, single
from .test_services import right_answers

NOW = datetime.datetime(2025, 2, 3, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


def take(user, quiz, *, right: bool, now=NOW):
    attempt = attempt_start(user=user, quiz=quiz, now=now)
    if right:
        attempt_save_answers(
            attempt_id=attempt.pk,
            user_id=user.pk,
            version=attempt.version,
            responses=right_answers(attempt),
            now=now,
        )
    return attempt_submit(attempt_id=attempt.pk, user_id=user.pk, now=now)


@pytest.fixture
def setup():
    course, module = course_tree()
    quiz = quiz_page(module, [single(), single()], max_attempts=0)
    user = UserFactory()
    enrolment = enrol(user, course)
    return course, quiz, user, enrolment


def statuses(enrolment):
    enrolment = Enrolment.objects.select_related("course").get(pk=enrolment.pk)
    return [
        s for s in collect_requirements([enrolment])[enrolment.pk] if s.kind == "quiz"
    ]


def test_the_quiz_is_a_requirement_until_passed(setup):
    course, quiz, user, enrolment = setup
    [status] = statuses(enrolment)
    assert status.key == f"quiz:{quiz.pk}"
    assert status.required and not status.done and status.score is None
    take(user, quiz, right=False)
    [status] = statuses(enrolment)
    assert not status.done and status.score == 0
    assert not CourseCompletion.objects.exists()


def test_passing_the_quiz_completes_the_course(setup):
    course, quiz, user, enrolment = setup
    take(user, quiz, right=False)
    take(user, quiz, right=True)
    [status] = statuses(enrolment)
    assert status.done and status.score == 100
    completion = CourseCompletion.objects.get(enrolment=enrolment)
    assert completion.attempt == 1


def test_the_highest_attempt_counts(setup):
    course, quiz, user, enrolment = setup
    take(user, quiz, right=True)
    take(user, quiz, right=False)
    [status] = statuses(enrolment)
    assert status.done and status.score == 100


def test_an_optional_quiz_never_blocks(setup):
    course, quiz, user, enrolment = setup
    quiz.required = False
    quiz.save_revision().publish()
    [status] = statuses(enrolment)
    assert not status.required


def test_a_course_retake_needs_the_quiz_again(setup):
    course, quiz, user, enrolment = setup
    take(user, quiz, right=True)
    Enrolment.objects.filter(pk=enrolment.pk).update(attempt=2)
    [status] = statuses(enrolment)
    assert not status.done


def test_the_provider_runs_a_fixed_number_of_queries():
    from quizzes.selectors import quiz_requirements

    def count(n):
        enrolments = []
        for _ in range(n):
            course, module = course_tree()
            quiz = quiz_page(module, [single()])
            user = UserFactory()
            enrol(user, course)
            take(user, quiz, right=True)
        enrolments = list(
            Enrolment.objects.select_related("course").order_by("-pk")[:n]
        )
        with CaptureQueriesContext(connection) as ctx:
            quiz_requirements(enrolments)
        return len(ctx.captured_queries)

    assert count(1) == count(4) == 2


def test_the_course_page_lists_the_quiz_with_the_learners_score(setup, client):
    course, quiz, user, enrolment = setup
    client.force_login(user)

    def assessments():
        page = client.get(course.url).content.decode()
        assert "Kuis dan latihan" in page  # "Quizzes and exercises"
        return page.split("Kuis dan latihan", 1)[1].split("</ul>", 1)[0]

    listed = assessments()
    assert f'href="{quiz.url}"' in listed
    assert "badge" not in listed  # not attempted yet: no score
    take(user, quiz, right=False)
    assert '<span class="badge">0%</span>' in assessments()  # attempted, not passed


def test_visitors_who_are_not_enrolled_see_no_assessment_list(setup, client):
    course, quiz, user, enrolment = setup
    assert "Kuis dan latihan" not in client.get(course.url).content.decode()
