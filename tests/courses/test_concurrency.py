"""Two simultaneous "mark done" requests on the last lesson: one completion, one event.

Real threads with their own database connections, so the transactions really race:
on PostgreSQL the enrolment row lock serialises them; on SQLite the IMMEDIATE
transaction mode does. SQLite's in-memory test database uses shared-cache table
locks instead of the file locking production has, so there the committed test data
is copied to a temporary file first and the threads connect to that file.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseCompletion, LessonPage
from courses.services import enrolment_self_create, lesson_complete
from courses.signals import course_completed
from tests.factories import ensure_site_tree

from .factories import OfficeFactory, UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db(transaction=True)


def _file_copy_of_memory_db(tmp_path):
    """Settings for a file copy of the in-memory SQLite test database, or None."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    path = str(tmp_path / "race.sqlite3")
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return {**connection.settings_dict, "NAME": path}


def _race(target, count=2, *, db_settings=None):
    barrier = threading.Barrier(count)
    errors, results = [], []

    def run():
        try:
            if db_settings is not None:  # this thread only
                connections["default"] = type(connections["default"])(
                    db_settings, "default"
                )
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.fixture
def setup():
    catalogue = ensure_site_tree()
    course = course_with_lessons(catalogue, lessons=2)
    user = UserFactory(office=OfficeFactory())
    enrolment, _ = enrolment_self_create(user=user, course=course, now=timezone.now())
    first, last = LessonPage.objects.live().descendant_of(course).order_by("path")
    lesson_complete(enrolment=enrolment, lesson=first, now=timezone.now())
    events = []

    def receiver(sender, completion, **kwargs):
        events.append(completion.pk)

    course_completed.connect(receiver, weak=False)
    yield user, last, events
    course_completed.disconnect(receiver)


def test_two_simultaneous_last_lessons_complete_the_course_once(setup, tmp_path):
    user, last, events = setup
    url = reverse("courses:lesson_done", args=[last.pk])
    db_settings = _file_copy_of_memory_db(tmp_path)

    def post():
        client = Client()
        client.force_login(user)
        return client.post(url).status_code

    def completions():
        return list(CourseCompletion.objects.values_list("pk", flat=True))

    assert _race(post, db_settings=db_settings) == [302, 302]
    [stored] = _race(completions, count=1, db_settings=db_settings)
    assert len(stored) == 1
    assert events == stored
