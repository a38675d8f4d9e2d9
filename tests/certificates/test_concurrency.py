"""Numbering and issuing under real concurrency, on PostgreSQL.

Threads each hold their own database connection, so the counter row lock, the
certificate row lock and the unique constraints are exercised by the database
itself. SQLite serialises writers anyway and is skipped (or fails when
LMS_REQUIRE_SERVICES=1, as in CI).
"""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateCounter
from tests.services import missing_service

from . import factories

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL", "DATABASE_URL points at " + connection.vendor)


@pytest.fixture
def no_enqueue():
    # Keep the eager task out of the way: the threads do the issuing.
    with mock.patch("certificates.services._send_issue_task"):
        yield


def in_threads(function, items, workers=8):
    barrier = threading.Barrier(min(workers, len(items)))

    def run(item):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def pending_certificates(count, office, course):
    pending = []
    for _ in range(count):
        learner = factories.UserFactory(office=office)
        completion = factories.completion(user=learner, course_page=course)
        pending.append(Certificate.objects.get(completion=completion))
    return pending


def test_numbers_neither_repeat_nor_skip_when_issued_in_parallel(no_enqueue):
    # Rendering is not under test here; skipping it makes the transactions overlap more.
    office = factories.OfficeFactory(name="KPU Kabupaten Badung")
    other = factories.OfficeFactory(name="KPU Kota Denpasar", level="city")
    course = factories.course()
    pending = pending_certificates(40, office, course) + pending_certificates(
        10, other, course
    )
    now = timezone.now()

    def issue(certificate):
        return services.certificate_issue(certificate=certificate, issued_at=now).pk

    with mock.patch("certificates.services.certificates_store_pdfs"):
        in_threads(issue, pending)
    for place, count in ((office, 40), (other, 10)):
        issued = Certificate.objects.filter(office=place)
        assert sorted(issued.values_list("serial", flat=True)) == list(
            range(1, count + 1)
        )
        assert issued.values("number").distinct().count() == count
        assert CertificateCounter.objects.get(office=place).last_serial == count


def test_overlapping_batches_in_parallel_neither_deadlock_nor_skip(no_enqueue):
    # Batches share certificates and offices, each listing its ids in a different
    # order: rows are locked in key order and counters in office order, so the
    # workers wait for each other instead of deadlocking, and each certificate
    # gets exactly one number.
    offices = [factories.OfficeFactory(name=f"KPU Kabupaten {i}") for i in range(3)]
    course = factories.course()
    pending = []
    for office in offices:
        pending += pending_certificates(8, office, course)
    ids = [c.pk for c in pending]
    batches = [ids[i::3] + ids[: 6 * (i + 1)][::-1] for i in range(3)] + [ids[::-1]]
    now = timezone.now()
    with mock.patch("certificates.services.certificates_store_pdfs"):
        in_threads(
            lambda batch: services.certificates_issue(
                certificate_ids=batch, issued_at=now
            ),
            batches,
            workers=4,
        )
    for office in offices:
        issued = Certificate.objects.filter(office=office, status="issued")
        assert sorted(issued.values_list("serial", flat=True)) == list(range(1, 9))
        assert CertificateCounter.objects.get(office=office).last_serial == 8
    assert Certificate.objects.filter(status="pending").count() == 0


def test_the_same_certificate_issued_by_many_workers_at_once_gets_one_number(
    no_enqueue,
):
    office = factories.OfficeFactory()
    course = factories.course()
    (certificate,) = pending_certificates(1, office, course)
    now = timezone.now()
    results = in_threads(
        lambda _: services.certificate_issue(certificate=certificate, issued_at=now),
        range(8),
    )
    assert {(c.number, c.code) for c in results} == {
        (results[0].number, results[0].code)
    }
    assert CertificateCounter.objects.get().last_serial == 1
    assert Certificate.objects.get().serial == 1


def test_two_requests_for_one_completion_racing_create_one_certificate(no_enqueue):
    office = factories.OfficeFactory()
    learner = factories.UserFactory(office=office)
    course = factories.course()
    with mock.patch("certificates.receivers.certificate_request"):
        completion = factories.completion(user=learner, course_page=course)
    now = timezone.now()
    results = in_threads(
        lambda _: services.certificate_request(completion=completion, now=now).pk,
        range(8),
    )
    assert len(set(results)) == 1
    assert Certificate.objects.count() == 1
