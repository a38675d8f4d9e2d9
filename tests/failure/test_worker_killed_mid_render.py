"""A worker killed while rendering: the number stays, the PDF comes back, once.

tests/certificates/test_worker_kill.py kills a worker inside the issuing
transaction (nothing committed). This is the later stage: the certificate is
numbered and committed, the PDF is being rendered and is not stored yet. The task
is `acks_late` + `reject_on_worker_lost`, so the message was never acknowledged
and Redis hands it to the restarted worker; the task finds the certificate no
longer pending, takes no new number and only stores the missing PDF. Meanwhile a
download renders the PDF on demand, byte for byte the file stored later.
"""

import re

import pytest
from wagtail.models import ModelLogEntry

from certificates.layouts import render_certificate
from certificates.models import Certificate, CertificateCounter
from certificates.services import certificate_pdf_bytes
from tests.certificates import factories

from .processes import CeleryWorker, publishing_to, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TASK = "certificates.tasks.certificate_issue_task"


def test_a_worker_killed_mid_render_keeps_its_number_and_redelivery_stores_the_pdf(
    process_database_url, private_redis, tmp_path
):
    learner = factories.UserFactory(office=factories.OfficeFactory())
    media = tmp_path / "media"
    log_path = tmp_path / "worker.log"
    with publishing_to(private_redis.url):
        # The completion's transaction writes the pending row; its commit sends
        # the task to Redis.
        factories.completion(user=learner, course_page=factories.course())
        assert private_redis.client().llen("celery") == 1
        first = CeleryWorker(
            broker_url=private_redis.url,
            database=process_database_url,
            media=media,
            log_path=log_path,
            delays='{"render": 60}',
        )
        second = None
        try:
            wait_for(
                lambda: Certificate.objects.filter(
                    status=Certificate.Status.ISSUED
                ).exists(),
                timeout=60,
                what="the worker to commit the number",
                log=first.log,
            )
            first.kill()
            killed = Certificate.objects.get()
            assert killed.serial == 1
            assert killed.pdf.name == ""
            assert not list(media.rglob("*.pdf"))

            # The learner's download does not wait for the worker.
            on_demand = certificate_pdf_bytes(certificate=killed)
            assert on_demand.startswith(b"%PDF")

            second = CeleryWorker(
                broker_url=private_redis.url,
                database=process_database_url,
                media=media,
                log_path=log_path,
            )
            wait_for(
                lambda: (
                    Certificate.objects.exclude(pdf="").exists()
                    and private_redis.client().hlen("unacked") == 0
                ),
                timeout=60,
                what="the redelivered task to store the PDF",
                log=second.log,
            )
        finally:
            first.stop()
            if second is not None:
                second.stop()

    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.ISSUED
    assert (certificate.serial, certificate.number) == (killed.serial, killed.number)
    assert certificate.code == killed.code
    assert CertificateCounter.objects.get().last_serial == 1
    assert ModelLogEntry.objects.filter(action="certificates.issue").count() == 1
    files = list(media.rglob("*.pdf"))
    assert [f.relative_to(media).as_posix() for f in files] == [certificate.pdf.name]
    stored = files[0].read_bytes()
    assert stored == on_demand == render_certificate(certificate)
    # Redelivered, not re-sent: both workers received the one message.
    received = re.findall(
        rf"Task {TASK}\[([0-9a-f-]+)\] received", log_path.read_text()
    )
    assert len(received) == 2
    assert len(set(received)) == 1
