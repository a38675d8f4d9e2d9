"""A worker killed in the middle of issuing: after a restart, one certificate.

A real Celery worker (solo pool) runs against Redis and PostgreSQL. It is told to
pause inside the issuing transaction — the number already taken, nothing
committed — and is killed with SIGKILL there. PostgreSQL rolls the transaction
back; the message was never acknowledged (acks_late), so Redis hands it to the
restarted worker once the visibility timeout (5 s here) has passed. The result
must be exactly one issued certificate, numbered 1: nothing lost, nothing
doubled, no number skipped.
"""

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery
from django.db import connection

from certificates.models import Certificate, CertificateCounter
from tests.services import celery_worker_argv, missing_service, require_port

from . import factories

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def start_worker(env, log):
    return subprocess.Popen(  # noqa: S603
        celery_worker_argv("--loglevel=INFO", "-Q", env["TEST_WORKER_QUEUE"]),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, timeout, what, log_path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")[-4000:]
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{log}")


def test_a_worker_killed_mid_task_issues_exactly_once_after_restart(tmp_path):
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL", "DATABASE_URL points at " + connection.vendor)
    require_port("Redis", "127.0.0.1", 6379)

    office = factories.OfficeFactory()
    learner = factories.UserFactory(office=office)
    with mock.patch("certificates.services._send_issue_task"):
        completion = factories.completion(user=learner, course_page=factories.course())
    certificate = Certificate.objects.get(completion=completion)

    settings = connection.settings_dict
    queue = f"cert-kill-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
            f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
            f"{settings['NAME']}"
        ),
        "TEST_WORKER_BROKER_URL": REDIS_URL,
        "TEST_WORKER_QUEUE": queue,
        "TEST_WORKER_MEDIA": str(tmp_path / "media"),
        # Pause inside the issuing transaction (number taken, not yet committed),
        # so the test can kill the worker at exactly that point.
        "TEST_WORKER_DELAYS": '{"issue": 60}',
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        ),
    }
    # set_as_current=False: a second app must not become the current app, or every
    # shared_task in later tests would publish through it.
    client = Celery(broker=REDIS_URL, set_as_current=False)
    log_path = tmp_path / "worker.log"
    workers = []
    try:
        with open(log_path, "wb") as log:
            first = start_worker(env, log)
            workers.append(first)
            client.send_task(
                "certificates.tasks.certificate_issue_task",
                args=[certificate.pk],
                queue=queue,
            )
            # The worker is inside the transaction once it holds the counter row.
            wait_for(
                lambda: _locked_counter_rows() > 0,
                60,
                "the worker to take a number",
                log_path,
            )
            time.sleep(1)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert Certificate.objects.get().status == Certificate.Status.PENDING
            assert not CertificateCounter.objects.filter(last_serial__gt=0).exists()

            second = start_worker({**env, "TEST_WORKER_DELAYS": "{}"}, log)
            workers.append(second)
            wait_for(
                lambda: Certificate.objects.get().status == Certificate.Status.ISSUED,
                90,
                "the restarted worker to issue the certificate",
                log_path,
            )
        issued = Certificate.objects.get()
        assert Certificate.objects.count() == 1
        assert issued.serial == 1
        assert CertificateCounter.objects.get().last_serial == 1
        log_text = log_path.read_text(errors="replace")
        assert log_text.count("certificate_issue_task") >= 2, log_text[-3000:]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        with client.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def _locked_counter_rows() -> int:
    """Row locks held on the counter table by another session (the worker)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'certificates_certificatecounter' "
            "AND l.pid <> pg_backend_pid() AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0]
