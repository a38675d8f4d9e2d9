"""Redis dies while learners complete courses: nothing lost, nothing doubled.

The certificate of a completion is an outbox row written in the completion's
transaction; the Celery message is sent after the commit and a dead broker only
logs a warning; `certificates_sweep` (Celery beat) re-queues pending rows.

Here a private redis-server is the broker. One learner completes a course while
it runs (the message waits in Redis, no worker yet); Redis is SIGKILLed, which
loses that message; three more learners complete their courses through the real
"mark as done" request while it is down. Redis comes back empty, the sweep runs
twice (every certificate is queued twice, alone or in a batch) and a real Celery
worker drains the queue: four certificates, each numbered once, with its PDF.
"""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateCounter
from certificates.services import certificates_sweep
from courses.models import CourseCompletion, CourseIndexPage, Enrolment, LessonPage
from tests.certificates import factories
from tests.courses.factories import course_with_lessons

from .processes import CeleryWorker, publishing_to, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# A request that completes a course must not hang on a dead broker: kombu's
# publish retries (3 × 0.2 s) then gives up and the row stays pending.
MAX_SECONDS_PER_REQUEST = 5
# The sweep's cutoff (10 minutes in production), shortened for the test.
NO_WAIT = datetime.timedelta(0)


def complete_course(client, learner, course):
    """The learner's own request: "mark as done" on the course's only lesson."""
    lesson = LessonPage.objects.live().descendant_of(course).get()
    client.force_login(learner)
    started = time.monotonic()
    response = client.post(reverse("courses:lesson_done", args=[lesson.pk]))
    return response, time.monotonic() - started


def test_completions_while_redis_is_down_are_certified_once_it_returns(
    process_database_url, client, private_redis, tmp_path
):
    catalogue = CourseIndexPage.objects.get()
    office = factories.OfficeFactory()
    courses = [course_with_lessons(catalogue, lessons=1) for _ in range(4)]
    learners = [factories.UserFactory(office=office) for _ in range(4)]
    for learner, course in zip(learners, courses, strict=True):
        Enrolment.objects.create(user=learner, course=course)

    with publishing_to(private_redis.url):
        response, _ = complete_course(client, learners[0], courses[0])
        assert response.status_code == 302
        assert private_redis.client().llen("celery") == 1  # queued, no worker yet

        private_redis.kill()  # the queued message dies with it
        for learner, course in zip(learners[1:], courses[1:], strict=True):
            response, seconds = complete_course(client, learner, course)
            assert response.status_code == 302, response.content[:500]
            assert response["Location"] == course.url
            assert seconds < MAX_SECONDS_PER_REQUEST

        assert CourseCompletion.objects.count() == 4
        assert set(Certificate.objects.values_list("status", flat=True)) == {
            Certificate.Status.PENDING
        }
        assert Certificate.objects.count() == 4

        private_redis.start()  # empty: no persistence
        assert private_redis.client().llen("celery") == 0
        # Beat's sweep, twice, as if beat fired again before a worker came.
        assert certificates_sweep(now=timezone.now(), stale_after=NO_WAIT) == 4
        assert certificates_sweep(now=timezone.now(), stale_after=NO_WAIT) == 4
        # One message per certificate, or per batch of them: at least two.
        queued = private_redis.client().llen("celery")
        assert queued >= 2

        media = tmp_path / "media"
        worker = CeleryWorker(
            broker_url=private_redis.url,
            database=process_database_url,
            media=media,
            log_path=tmp_path / "worker.log",
        )
        try:
            # Every message ran (the duplicates too) and was acknowledged.
            wait_for(
                lambda: (
                    worker.log_path.read_text().count("succeeded in") == queued
                    and _drained(private_redis)
                ),
                timeout=60,
                what=f"the worker to run all {queued} messages",
                log=worker.log,
            )
        finally:
            worker.stop()

    issued = list(Certificate.objects.order_by("serial"))
    assert [c.status for c in issued] == [Certificate.Status.ISSUED] * 4
    assert [c.serial for c in issued] == [1, 2, 3, 4]
    assert len({c.code for c in issued}) == 4
    assert CertificateCounter.objects.get().last_serial == 4
    assert {c.user_id for c in issued} == {u.pk for u in learners}
    # Twice as many messages as certificates: the second ones found nothing
    # pending and took no number.
    assert ModelLogEntry.objects.filter(action="certificates.issue").count() == 4
    assert all(c.pdf.name for c in issued)
    assert sorted(p.name for p in media.rglob("*.pdf")) == sorted(
        c.pdf.name.rsplit("/", 1)[1] for c in issued
    )
    assert certificates_sweep(now=timezone.now(), stale_after=NO_WAIT) == 0


def _drained(server) -> bool:
    """Nothing waiting and nothing delivered but unacknowledged."""
    redis = server.client()
    return redis.llen("celery") == 0 and redis.hlen("unacked") == 0
