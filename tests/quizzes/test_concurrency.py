"""Races on PostgreSQL: two submits of one attempt, two starts at the attempt limit.

SQLite serialises writers and would hide these races, so they need PostgreSQL
(skipped locally without it, failing in CI where LMS_REQUIRE_SERVICES=1).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt
from tests.services import missing_service

from .factories import UserFactory, course_tree, enrol, one_of_each, quiz_page

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),  # base content: tests/conftest.py
]
THREADS = 6


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL", "SQLite serialises writers and hides these races")


def at_once(n, request):
    """Run request(i) in n threads released together; return their results."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait()
            results[i] = request(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def learner_and_quiz():
    course, module = course_tree()
    user = UserFactory()
    enrol(user, course)
    return user, course, module


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_simultaneous_submits_grade_the_attempt_once(learner_and_quiz):
    user, course, module = learner_and_quiz
    quiz = quiz_page(module, one_of_each())
    start = logged_in(user).post(reverse("quizzes:start", args=[quiz.pk]))
    assert start.status_code == 302
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    clients = [logged_in(user) for _ in range(THREADS)]
    url = reverse("quizzes:attempt", args=[attempt.pk])
    results = at_once(
        THREADS,
        lambda i: clients[i].post(
            url, {"action": "submit", "version": attempt.version}
        ),
    )
    assert all(getattr(r, "status_code", None) == 302 for r in results), results
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.times_graded == 1


def test_simultaneous_starts_at_the_limit_make_one_attempt(learner_and_quiz):
    user, course, module = learner_and_quiz
    quiz = quiz_page(module, one_of_each(), max_attempts=1)
    clients = [logged_in(user) for _ in range(THREADS)]
    url = reverse("quizzes:start", args=[quiz.pk])
    results = at_once(THREADS, lambda i: clients[i].post(url))
    assert all(getattr(r, "status_code", None) == 302 for r in results), results
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 1


def test_simultaneous_starts_after_the_last_allowed_attempt_make_none(learner_and_quiz):
    user, course, module = learner_and_quiz
    quiz = quiz_page(module, one_of_each(), max_attempts=2)
    client = logged_in(user)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    first = Attempt.objects.get(user=user, quiz=quiz)
    client.post(reverse("quizzes:attempt", args=[first.pk]), {"action": "submit"})
    clients = [logged_in(user) for _ in range(THREADS)]
    url = reverse("quizzes:start", args=[quiz.pk])
    at_once(THREADS, lambda i: clients[i].post(url))
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 2
    second = Attempt.objects.get(user=user, quiz=quiz, number=2)
    at_once(
        THREADS,
        lambda i: clients[i].post(
            reverse("quizzes:attempt", args=[second.pk]), {"action": "submit"}
        ),
    )
    results = at_once(THREADS, lambda i: clients[i].post(url))
    assert all(getattr(r, "status_code", None) == 302 for r in results)
    assert Attempt.objects.filter(user=user, quiz=quiz).count() == 2
    assert set(Attempt.objects.values_list("times_graded", flat=True)) == {1}
