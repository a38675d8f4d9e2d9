"""Fixed query counts: grading, the attempt page, the review, item analysis.

Each is measured at two sizes (1 and 30 questions, or 1 and 5 attempts) with the
same count, so an N+1 fails here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import AttemptAnswer
from quizzes.selectors import quiz_analysis
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit

from .factories import (
    UserFactory,
    course_tree,
    date_question,
    enrol,
    matching,
    multiple,
    ordering,
    quiz_page,
    short,
    single,
    true_false,
)
from .test_services import right_answers

NOW = datetime.datetime(2025, 2, 3, 9, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db
MAKERS = [single, multiple, true_false, ordering, matching, date_question, short]


def mixed(n):
    return [MAKERS[i % len(MAKERS)]() for i in range(n)]


def started(n, *, per_page=100):
    course, module = course_tree()
    quiz = quiz_page(module, mixed(n), questions_per_page=per_page)
    user = UserFactory()
    enrol(user, course)
    attempt = attempt_start(user=user, quiz=quiz, now=NOW)
    attempt_save_answers(
        attempt_id=attempt.pk,
        user_id=user.pk,
        version=attempt.version,
        responses=right_answers(attempt),
        now=NOW,
    )
    return user, quiz, attempt


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_grading_takes_the_same_queries_for_1_and_30_questions():
    from wagtail.models import Site

    Site.get_site_root_paths()  # cached after the first call in a process
    counts = []
    for n in (1, 30):
        user, quiz, attempt = started(n)
        counts.append(
            queries(
                lambda: attempt_submit(attempt_id=attempt.pk, user_id=user.pk, now=NOW)  # noqa: B023
            )
        )
        attempt.refresh_from_db()
        assert attempt.score == 100 and attempt.passed
    # Includes the course evaluation a pass triggers (courses' and certificates'
    # queries), which is fixed too.
    assert counts[0] == counts[1], counts


def test_grading_itself_is_eight_queries():
    """Savepoint, lock, answers, questions, options, one bulk update, one update,
    release — for a failed attempt (a pass adds the course evaluation)."""
    for n in (1, 30):
        user, quiz, attempt = started(n)
        AttemptAnswer.objects.filter(attempt=attempt).update(response=None)  # a fail
        count = queries(
            lambda: attempt_submit(attempt_id=attempt.pk, user_id=user.pk, now=NOW)  # noqa: B023
        )
        assert count == 8, count


def test_autosave_takes_the_same_queries_for_1_and_30_questions():
    counts = []
    for n in (1, 30):
        user, quiz, attempt = started(n)
        responses = right_answers(attempt)
        counts.append(
            queries(
                lambda: attempt_save_answers(  # noqa: B023
                    attempt_id=attempt.pk,  # noqa: B023
                    user_id=user.pk,  # noqa: B023
                    version=attempt.version,  # noqa: B023
                    responses=responses,  # noqa: B023
                    now=NOW,
                )
            )
        )
    assert counts[0] == counts[1], counts


def test_starting_takes_the_same_queries_for_1_and_30_questions():
    counts = []
    for n in (1, 30):
        course, module = course_tree()
        quiz = quiz_page(module, mixed(n))
        user = UserFactory()
        enrol(user, course)
        counts.append(queries(lambda: attempt_start(user=user, quiz=quiz, now=NOW)))  # noqa: B023
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("view", ["quizzes:attempt", "quizzes:review"])
def test_attempt_and_review_pages_take_the_same_queries_for_1_and_30(client, view):
    counts = []
    for n in (1, 30):
        user, quiz, attempt = started(n)
        if view == "quizzes:review":
            attempt_submit(attempt_id=attempt.pk, user_id=user.pk, now=NOW)
        client.force_login(user)
        url = reverse(view, args=[attempt.pk])
        client.get(url)  # warm caches (site root, content types)
        counts.append(queries(lambda: client.get(url)))  # noqa: B023
    assert counts[0] == counts[1], counts


def test_the_quiz_page_takes_the_same_queries_for_1_and_5_attempts(client):
    counts = []
    for n in (1, 5):
        course, module = course_tree()
        quiz = quiz_page(module, mixed(3), max_attempts=0)
        user = UserFactory()
        enrol(user, course)
        for _ in range(n):
            a = attempt_start(user=user, quiz=quiz, now=NOW)
            attempt_submit(attempt_id=a.pk, user_id=user.pk, now=NOW)
        client.force_login(user)
        client.get(quiz.url)
        counts.append(queries(lambda: client.get(quiz.url)))  # noqa: B023
    assert counts[0] == counts[1], counts


def test_item_analysis_takes_the_same_queries_for_1_and_5_attempts():
    counts = []
    for n in (1, 5):
        course, module = course_tree()
        quiz = quiz_page(module, mixed(7), max_attempts=0)
        for _ in range(n):
            user = UserFactory()
            enrol(user, course)
            a = attempt_start(user=user, quiz=quiz, now=NOW)
            attempt_submit(attempt_id=a.pk, user_id=user.pk, now=NOW)
        counts.append(queries(lambda: quiz_analysis(quiz)))  # noqa: B023
    assert counts[0] == counts[1] == 4, counts
