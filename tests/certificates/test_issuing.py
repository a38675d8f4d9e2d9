"""Issuing: completion → pending row → task → numbered certificate, exactly once."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import services, tasks
from certificates.models import Certificate, CertificateCounter, CertificateLayout
from lms.offices.models import Office

from . import factories

NOW = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))


class IssuingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory(
            code="51.03",
            level="regency",
            region_name="Kabupaten Badung",
            name="KPU Kabupaten Badung",
            head_name="I Made Wirasa",
            head_title="Ketua KPU Kabupaten Badung",
        )
        cls.learner = factories.UserFactory(
            full_name="Ni Luh Putu Sari", nip="198503122010011002", office=cls.office
        )
        cls.course = factories.course(title="Dasar-Dasar KIP", hours=8)

    def complete(self, user=None, course=None, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return factories.completion(
                user=user or self.learner, course_page=course or self.course, **kwargs
            )

    def test_a_completion_issues_a_numbered_certificate_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        pending = Certificate.objects.get(completion=completion)
        assert pending.status == Certificate.Status.PENDING  # the outbox row
        assert len(callbacks) == 1
        callbacks[0]()  # the commit: the task runs (eagerly in tests)
        certificate = Certificate.objects.get(completion=completion)
        year = timezone.localdate().year
        assert certificate.status == Certificate.Status.ISSUED
        assert certificate.serial == 1
        assert certificate.number.startswith("0001/PPID/KPU-Kab.Badung/")
        assert certificate.number.endswith(f"/{year}")
        assert certificate.holder_name == "Ni Luh Putu Sari"
        assert certificate.nip == "198503122010011002"
        assert certificate.office == self.office
        assert certificate.office_name == "KPU Kabupaten Badung"
        assert certificate.course_title == "Dasar-Dasar KIP"
        assert certificate.hours == 8
        assert certificate.score == 90
        assert certificate.signatory_name == "I Made Wirasa"
        assert certificate.signatory_title == "Ketua KPU Kabupaten Badung"
        assert certificate.place == "Badung"
        assert certificate.valid_until is None
        assert len(certificate.code) == 28
        assert certificate.pdf.name.endswith(".pdf")

    def test_running_the_task_twice_changes_nothing(self):
        completion = self.complete()
        first = Certificate.objects.get(completion=completion)
        tasks.certificate_issue_task(first.pk)
        tasks.certificate_issue_task.delay(first.pk)
        again = Certificate.objects.get(completion=completion)
        assert Certificate.objects.count() == 1
        assert (again.number, again.code, again.pdf.name) == (
            first.number,
            first.code,
            first.pdf.name,
        )
        assert CertificateCounter.objects.get().last_serial == 1

    def test_a_second_request_for_the_same_completion_is_harmless(self):
        completion = self.complete()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            again = services.certificate_request(completion=completion, now=NOW)
        assert callbacks == []
        assert again == Certificate.objects.get()

    def test_a_retake_issues_a_new_certificate_and_keeps_the_old_one(self):
        first = self.complete(completed_at=NOW - datetime.timedelta(days=400))
        second = self.complete(attempt=2, completed_at=NOW)
        old, new = (Certificate.objects.get(completion=c) for c in (first, second))
        assert old.status == new.status == Certificate.Status.ISSUED
        assert (old.serial, new.serial) == (1, 2)
        assert old.completed_on == timezone.localdate(
            NOW - datetime.timedelta(days=400)
        )
        assert new.completed_on == timezone.localdate(NOW)
        assert old.code != new.code

    def test_numbers_count_per_office_and_restart_each_year(self):
        other = factories.OfficeFactory(
            name="KPU Kota Denpasar", region_name="Kota Denpasar", level="city"
        )
        people = [
            factories.UserFactory(office=o) for o in (self.office, other, self.office)
        ]
        completions = []
        for person in people:
            with self.captureOnCommitCallbacks(execute=False):
                completions.append(
                    factories.completion(user=person, course_page=self.course)
                )
        certificates = [Certificate.objects.get(completion=c) for c in completions]
        services.certificate_issue(certificate=certificates[0], issued_at=NOW)
        services.certificate_issue(certificate=certificates[1], issued_at=NOW)
        next_year = NOW.replace(year=2027, month=1, day=2)
        services.certificate_issue(certificate=certificates[2], issued_at=next_year)
        numbers = [Certificate.objects.get(pk=c.pk).number for c in certificates]
        assert numbers == [
            "0001/PPID/KPU-Kab.Badung/XI/2026",
            "0001/PPID/KPU-Kota.Denpasar/XI/2026",
            "0001/PPID/KPU-Kab.Badung/I/2027",
        ]

    def test_the_office_layout_sets_pattern_abbreviation_place_and_signatory(self):
        factories.default_layout(number_pattern="{seq}/SERT/{abbr}/{year}")
        CertificateLayout.objects.create(
            office=self.office,
            office_abbreviation="KPU-BDG",
            place="Mangupura",
            signatory_name="Plh. Ketua",
            signatory_title="Pelaksana Harian Ketua",
        )
        with self.captureOnCommitCallbacks(execute=False):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        certificate = services.certificate_issue(
            certificate=Certificate.objects.get(completion=completion), issued_at=NOW
        )
        assert certificate.number == "1/SERT/KPU-BDG/2026"
        assert certificate.place == "Mangupura"
        assert (certificate.signatory_name, certificate.signatory_title) == (
            "Plh. Ketua",
            "Pelaksana Harian Ketua",
        )

    def test_the_record_keeps_what_was_true_on_the_day_of_issue(self):
        completion = self.complete()
        self.office.head_name = "Kepala Baru"
        self.office.name = "KPU Kabupaten Badung (baru)"
        self.office.save()
        self.learner.full_name = "Nama Lain"
        self.learner.save()
        self.course.title = "Judul Baru"
        self.course.save()
        certificate = Certificate.objects.get(completion=completion)
        assert certificate.signatory_name == "I Made Wirasa"
        assert certificate.office_name == "KPU Kabupaten Badung"
        assert certificate.holder_name == "Ni Luh Putu Sari"
        assert certificate.course_title == "Dasar-Dasar KIP"

    def test_a_validity_period_sets_the_expiry_date_from_the_completion(self):
        course = factories.course(certificate_validity_months=24)
        completion = self.complete(course=course, completed_at=NOW)
        certificate = Certificate.objects.get(completion=completion)
        assert certificate.valid_until == datetime.date(2028, 11, 23)
        assert certificate.state_on(datetime.date(2028, 11, 23)) == "valid"
        assert certificate.state_on(datetime.date(2028, 11, 24)) == "expired"

    def test_a_learner_without_an_office_is_certified_by_kpu_ri(self):
        national = Office.objects.filter(parent__isnull=True).order_by("code").first()
        if national is None:
            national = factories.OfficeFactory(
                code="00",
                level="national",
                region_name="Indonesia",
                name="KPU Republik Indonesia",
            )
        person = factories.UserFactory(office=None)
        certificate = Certificate.objects.get(completion=self.complete(user=person))
        assert certificate.office == national

    def test_issuing_is_written_to_the_audit_log(self):
        certificate = Certificate.objects.get(completion=self.complete())
        entry = ModelLogEntry.objects.for_instance(certificate).get()
        assert entry.action == "certificates.issue"
        assert entry.data == {"number": certificate.number}


class OutboxAndSweepTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory()
        cls.learner = factories.UserFactory(office=cls.office)
        cls.course = factories.course()

    def test_a_broker_that_is_down_leaves_the_row_pending_for_the_sweep(self):
        from kombu.exceptions import OperationalError

        with (
            mock.patch.object(
                tasks.certificate_issue_task,
                "delay",
                side_effect=OperationalError("down"),
            ),
            self.captureOnCommitCallbacks(execute=True),
        ):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        certificate = Certificate.objects.get(completion=completion)
        assert certificate.status == Certificate.Status.PENDING

        # Too early: the sweep leaves fresh rows alone.
        assert services.certificates_sweep(now=timezone.now()) == 0
        later = timezone.now() + services.STALE_AFTER + datetime.timedelta(minutes=1)
        assert services.certificates_sweep(now=later) == 1
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.ISSUED
        # Issued now: the next sweep has nothing to do.
        assert services.certificates_sweep(now=later + services.STALE_AFTER * 2) == 0

    def test_the_sweep_drains_a_backlog_in_batches(self):
        from kombu.exceptions import OperationalError

        learners = [factories.UserFactory(office=self.office) for _ in range(5)]
        with (
            mock.patch.object(
                tasks.certificate_issue_task,
                "delay",
                side_effect=OperationalError("down"),
            ),
            self.captureOnCommitCallbacks(execute=True),
        ):
            for learner in learners:
                factories.completion(user=learner, course_page=self.course)
        later = timezone.now() + services.STALE_AFTER + datetime.timedelta(minutes=1)
        batches = []
        real_delay = tasks.certificates_issue_batch_task.delay
        with (
            mock.patch.object(services, "ISSUE_BATCH_SIZE", 2),
            mock.patch.object(
                tasks.certificates_issue_batch_task,
                "delay",
                side_effect=lambda ids: batches.append(ids) or real_delay(ids),
            ),
        ):
            assert services.certificates_sweep(now=later) == 5
        assert [len(batch) for batch in batches] == [2, 2, 1]
        issued = Certificate.objects.filter(status="issued").order_by("serial")
        assert list(issued.values_list("serial", flat=True)) == [1, 2, 3, 4, 5]
        assert all(c.pdf for c in issued)
        assert ModelLogEntry.objects.filter(action="certificates.issue").count() == 5

    def test_issuing_a_batch_takes_a_fixed_number_of_queries(self):
        other = factories.OfficeFactory(name="KPU Kota Denpasar", level="city")

        def pending(count):
            ids = []
            with mock.patch("certificates.services._send_issue_task"):
                for i in range(count):
                    learner = factories.UserFactory(
                        office=self.office if i % 2 else other
                    )
                    completion = factories.completion(
                        user=learner, course_page=self.course
                    )
                    ids.append(Certificate.objects.get(completion=completion).pk)
            return ids

        def queries(ids):
            with (
                mock.patch("certificates.services.certificates_store_pdfs"),
                CaptureQueriesContext(connection) as context,
            ):
                services.certificates_issue(certificate_ids=ids, issued_at=NOW)
            return len(context)

        small, large = queries(pending(2)), queries(pending(12))
        # Lock, facts, offices, layouts, a counter per office, update, audit log.
        assert small == large
        assert Certificate.objects.filter(status="issued").count() == 14

    def test_the_sweep_stores_a_pdf_that_a_dead_worker_never_wrote(self):
        with self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        certificate = Certificate.objects.get(completion=completion)
        number = certificate.number
        certificate.pdf.delete(save=False)
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")
        assert services.certificates_sweep(now=timezone.now()) == 0  # too early
        later = timezone.now() + services.STALE_AFTER + datetime.timedelta(minutes=1)
        assert services.certificates_sweep(now=later) == 1
        certificate.refresh_from_db()
        assert certificate.pdf and certificate.pdf.size > 1000
        assert certificate.number == number  # stored, not re-issued
        assert services.certificates_sweep(now=later + services.STALE_AFTER * 2) == 0

    def test_an_eager_task_that_fails_does_not_break_the_learners_request(self):
        failing = mock.patch(
            "certificates.services.certificates_issue", side_effect=RuntimeError("bug")
        )
        logs = self.assertLogs("certificates.services", "ERROR")
        with failing, logs, self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        assert Certificate.objects.get(completion=completion).status == "pending"

    def test_the_sweep_creates_rows_for_completions_that_never_got_one(self):
        with mock.patch("certificates.receivers.certificate_request"):
            completion = factories.completion(
                user=self.learner,
                course_page=self.course,
                completed_at=timezone.now() - datetime.timedelta(hours=1),
            )
        assert not Certificate.objects.exists()
        with self.captureOnCommitCallbacks(execute=True):
            services.certificates_sweep(now=timezone.now())
        assert Certificate.objects.get(completion=completion).status == "issued"

    def test_the_course_completed_signal_alone_also_requests_a_certificate(self):
        from courses.models import CourseCompletion
        from courses.signals import course_completed

        with mock.patch("certificates.receivers.certificate_request") as request:
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
            assert request.call_count == 1  # post_save, inside the transaction
        with self.captureOnCommitCallbacks(execute=True):
            course_completed.send(
                sender=CourseCompletion,
                completion=completion,
                enrolment=completion.enrolment,
            )
        assert Certificate.objects.get(completion=completion).status == "issued"


class RevocationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory()
        cls.learner = factories.UserFactory(office=cls.office, full_name="Nama Salah")
        cls.admin = factories.UserFactory(is_superuser=True, is_staff=True)
        cls.course = factories.course()

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner, course_page=self.course
            )
        self.certificate = Certificate.objects.get(completion=completion)

    def test_revoking_needs_a_reason_and_is_logged(self):
        with pytest.raises(ValidationError):
            services.certificate_revoke(
                certificate=self.certificate, by=self.admin, reason=" ", now=NOW
            )
        revoked = services.certificate_revoke(
            certificate=self.certificate, by=self.admin, reason="Data palsu", now=NOW
        )
        assert revoked.status == Certificate.Status.REVOKED
        assert (revoked.revoked_at, revoked.revoked_reason, revoked.revoked_by) == (
            NOW,
            "Data palsu",
            self.admin,
        )
        entry = (
            ModelLogEntry.objects.for_instance(revoked)
            .filter(action="certificates.revoke")
            .get()
        )
        assert (entry.user, entry.data) == (self.admin, {"reason": "Data palsu"})
        with pytest.raises(ValidationError):
            services.certificate_revoke(
                certificate=revoked, by=self.admin, reason="lagi", now=NOW
            )

    def test_reissuing_revokes_the_old_one_and_issues_a_corrected_one(self):
        self.learner.full_name = "Nama Benar"
        self.learner.save()
        new = services.certificate_reissue(
            certificate=self.certificate, by=self.admin, reason="Salah nama", now=NOW
        )
        old = Certificate.objects.get(pk=self.certificate.pk)
        assert old.status == Certificate.Status.REVOKED
        assert "Salah nama" in old.revoked_reason
        assert new.replaces == old and new.revision == 1
        assert new.holder_name == "Nama Benar"
        assert new.serial == old.serial + 1
        assert new.code != old.code
        assert new.pdf
        with pytest.raises(ValidationError):
            services.certificate_reissue(
                certificate=old, by=self.admin, reason="lagi", now=NOW
            )


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_the_sweep_task_calls_the_sweep_service(db):
    with mock.patch(
        "certificates.services.certificates_sweep", return_value=3
    ) as sweep:
        assert tasks.certificates_sweep_task() == 3
    assert sweep.call_count == 1
