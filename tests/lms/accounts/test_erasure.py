"""Deletion on request: the account is anonymised and disabled, personal learning
records are deleted, issued certificates are kept and still verify
(docs/privacy.md)."""

import datetime
import json
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.utils import user_can_delete_user

from certificates import services as certificate_services
from certificates.models import Certificate
from courses.models import (
    CheckAnswer,
    CourseCompletion,
    Enrolment,
    LessonProgress,
)
from dashboard.models import CompletionStat, DigestSubscription, ReminderSent
from dashboard.services import stats_refresh
from lms.accounts.models import ERASED_NAME, StaffImport, User
from lms.accounts.permissions import user_can_erase_account
from lms.accounts.services import account_erase
from lms.offices.models import CoordinatorScope
from quizzes.models import Attempt, AttemptAnswer
from quizzes.practice.models import ScenarioAnswer, ScenarioPlay
from tests.conftest import admin_in_english
from tests.courses.factories import course_with_lessons
from tests.factories import TEST_PASSWORD, UserFactory
from tests.security import records

DELETE = "/akun/hapus-akun/"


def verify_page(client, certificate):
    return client.get(f"/sertifikat/verifikasi/{certificate.display_code}/")


class ErasureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = records.build()

    def erase(self, account=None, actor=None):
        account = account or self.r.learner
        with self.captureOnCommitCallbacks(execute=True):
            return account_erase(account=account, actor=actor or account)

    # --- The form in the account area -------------------------------------

    def test_the_form_refuses_a_wrong_password_and_deletes_nothing(self):
        self.client.force_login(self.r.learner)
        response = self.client.post(
            DELETE, {"password": "bukan-sandinya", "confirm": "on"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["password"]
        self.r.learner.refresh_from_db()
        assert self.r.learner.email == records.EMAIL and self.r.learner.is_active
        assert Attempt.objects.filter(user=self.r.learner).exists()

    def test_the_form_needs_the_box_ticked(self):
        self.client.force_login(self.r.learner)
        response = self.client.post(DELETE, {"password": TEST_PASSWORD})
        assert response.context["form"].errors["confirm"]
        assert User.objects.get(pk=self.r.learner.pk).is_active

    @override_settings(ACCOUNT_RATE_LIMITS={"change_password": "2/m/user"})
    def test_guessing_the_password_on_the_form_is_rate_limited(self):
        self.client.force_login(self.r.learner)
        for _ in range(2):
            self.client.post(DELETE, {"password": "bukan-sandinya", "confirm": "on"})
        response = self.client.post(
            DELETE, {"password": TEST_PASSWORD, "confirm": "on"}
        )
        assert (response.status_code, response["Location"]) == (302, DELETE)
        assert not User.objects.get(pk=self.r.learner.pk).is_erased

    def test_deleting_through_the_form_erases_signs_out_and_sends_a_notice(self):
        self.client.force_login(self.r.learner)
        page = self.client.get(DELETE)
        # Download the certificates first: the page says so and links to them.
        self.assertContains(page, 'href="/sertifikat/saya/"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                DELETE, {"password": TEST_PASSWORD, "confirm": "on"}
            )
        assert response.status_code == 200
        self.assertTemplateUsed(response, "accounts/account_deleted.html")
        assert self.client.get("/akun/profil/")["Location"].startswith("/akun/login/")
        [notice] = mail.outbox
        assert notice.to == [records.EMAIL]
        assert "Akademi PPID" in notice.subject
        assert "/sertifikat/verifikasi/" in notice.body

        learner = User.objects.get(pk=self.r.learner.pk)
        assert learner.is_erased and not learner.is_active
        assert learner.full_name == ERASED_NAME
        assert learner.email == f"deleted-{learner.pk}@akun-dihapus.invalid"
        assert learner.nip == "" and learner.office is None and learner.language == ""
        assert not learner.has_usable_password()
        assert not EmailAddress.objects.filter(user=learner).exists()
        assert not Authenticator.objects.filter(user=learner).exists()

    # --- What goes, what stays --------------------------------------------

    def test_personal_learning_records_go_and_other_peoples_stay(self):
        self.erase()
        learner, other = self.r.learner, self.r.other
        for model, lookup in [
            (LessonProgress, "enrolment__user"),
            (CheckAnswer, "enrolment__user"),
            (Attempt, "user"),
            (AttemptAnswer, "attempt__user"),
            (ScenarioPlay, "user"),
            (ScenarioAnswer, "play__user"),
            (ReminderSent, "recipient"),
            (DigestSubscription, "user"),
        ]:
            assert not model.objects.filter(**{lookup: learner}).exists(), model
            if model not in (ReminderSent, DigestSubscription):
                assert model.objects.filter(**{lookup: other}).exists(), model
        # The coordinator's upload loses the learner's row, keeps the other one.
        rows = StaffImport.objects.get(pk=self.r.staff_import.pk).rows
        assert [row["line"] for row in rows] == [3]

    def test_the_certificate_is_kept_and_still_verifies(self):
        self.erase()
        certificate = Certificate.objects.get(pk=self.r.certificate.pk)
        assert certificate.user_id == self.r.learner.pk
        assert certificate.holder_name == records.NAME
        assert certificate.nip == records.NIP
        # The completion it was issued for, and its enrolment, stay with it.
        assert CourseCompletion.objects.filter(pk=certificate.completion_id).exists()
        assert Enrolment.objects.filter(user=self.r.learner).count() == 1
        response = verify_page(self.client, certificate)
        assert response.status_code == 200
        self.assertContains(response, records.NAME)
        self.assertContains(response, "1987**********2004")
        assert not records.leaks(response.content.decode())

    def test_a_pending_certificate_goes_with_its_completion(self):
        other_course = course_with_lessons(
            self.r.course.get_parent().specific, lessons=1, slug="kursus-lain"
        )
        enrolment = Enrolment.objects.create(user=self.r.learner, course=other_course)
        completion = CourseCompletion.objects.create(
            enrolment=enrolment, attempt=1, completed_at=timezone.now()
        )
        assert Certificate.objects.get(completion=completion).status == "pending"
        self.erase()
        assert not CourseCompletion.objects.filter(pk=completion.pk).exists()
        assert not Enrolment.objects.filter(pk=enrolment.pk).exists()
        # The sweep finds no completion left to certify.
        later = timezone.now() + datetime.timedelta(days=1)
        certificate_services.certificates_sweep(now=later)
        assert list(
            Certificate.objects.filter(user=self.r.learner).values_list("pk", flat=True)
        ) == [self.r.certificate.pk]

    def test_a_certificate_of_an_erased_holder_can_be_revoked_not_reissued(self):
        self.erase()
        admin = UserFactory(admin=True)
        certificate = Certificate.objects.get(pk=self.r.certificate.pk)
        with self.assertRaises(ValidationError):
            certificate_services.certificate_reissue(
                certificate=certificate,
                by=admin,
                reason="Nama salah",
                now=timezone.now(),
            )
        certificate_services.certificate_revoke(
            certificate=certificate, by=admin, reason="Dicabut", now=timezone.now()
        )
        assert Certificate.objects.get(pk=certificate.pk).status == "revoked"

    # --- Signing in, signing up, sessions ----------------------------------

    def test_an_erased_person_cannot_sign_in_and_may_sign_up_again(self):
        office = self.r.learner.office_id
        self.erase()
        assert not self.client.login(email=records.EMAIL, password=TEST_PASSWORD)
        response = self.client.post(
            reverse("account_login"),
            {"login": records.EMAIL, "password": TEST_PASSWORD},
        )
        assert "_auth_user_id" not in self.client.session
        assert response.status_code == 200
        response = self.client.post(
            reverse("account_signup"),
            {
                "full_name": "Ni Luh Baru",
                "email": records.EMAIL,
                "nip": records.NIP,
                "employment_type": "pns",
                "office": office,
                "password1": "Batur-Kintamani-Pagi-77",
                "password2": "Batur-Kintamani-Pagi-77",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        new = User.objects.get(email=records.EMAIL)
        assert new.pk != self.r.learner.pk and new.nip == records.NIP
        assert not Certificate.objects.filter(user=new).exists()

    def test_every_session_of_the_person_ends(self):
        elsewhere = Client()
        elsewhere.force_login(self.r.learner)
        assert elsewhere.get("/akun/profil/").status_code == 200
        self.erase()
        assert elsewhere.get("/akun/profil/")["Location"].startswith("/akun/login/")
        for session in Session.objects.all():
            decoded = session.get_decoded()
            assert decoded.get("_auth_user_id") != str(self.r.learner.pk)

    # --- Audit, repetition, dashboard --------------------------------------

    def test_the_audit_log_records_the_erasure_without_personal_data(self):
        result = self.erase()
        assert result.erased and result.counts["quizzes.Attempt"] == 1
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_id=str(self.r.learner.pk),
        )
        entry = entries.get(action="accounts.erase")
        assert entry.label == ERASED_NAME
        assert entry.data["requested_by"] == "self"
        text = json.dumps([e.label for e in entries]) + json.dumps(entry.data)
        assert not records.leaks(text) and records.NAME not in text

    def test_erasing_twice_changes_nothing_the_second_time(self):
        self.erase()
        again = self.erase()
        assert not again.erased
        assert len(mail.outbox) == 1
        assert (
            ModelLogEntry.objects.filter(
                action="accounts.erase", object_id=str(self.r.learner.pk)
            ).count()
            == 1
        )
        assert Certificate.objects.filter(pk=self.r.certificate.pk).exists()

    def test_dashboard_figures_follow_the_erasure(self):
        def enrolled_in_badung():
            return sum(
                CompletionStat.objects.filter(
                    office__code="51.03", course__isnull=True, employment_type=""
                ).values_list("enrolled", flat=True)
            )

        stats_refresh(now=timezone.now())
        assert enrolled_in_badung() == 2
        self.erase()  # refreshes the aggregates once it commits
        assert enrolled_in_badung() == 1
        after = sorted(CompletionStat.objects.values_list("office_id", "enrolled"))
        stats_refresh(now=timezone.now())
        assert sorted(CompletionStat.objects.values_list("office_id", "enrolled")) == (
            after
        )

    def test_erasing_a_coordinator_removes_their_scopes_and_uploads(self):
        self.erase(account=self.r.coordinator)
        assert not CoordinatorScope.objects.filter(user=self.r.coordinator).exists()
        assert not StaffImport.objects.filter(pk=self.r.staff_import.pk).exists()


class WhoMayEraseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = records.build()
        cls.admin = admin_in_english(UserFactory(admin=True))

    def delete_url(self, user) -> str:
        return reverse("wagtailusers_users:delete", args=[user.pk])

    def test_the_rule(self):
        learner, other, coordinator = self.r.learner, self.r.other, self.r.coordinator
        assert user_can_erase_account(learner, learner)
        assert not user_can_erase_account(learner, other)
        assert not user_can_erase_account(coordinator, learner)
        assert user_can_erase_account(self.admin, learner)

    def test_an_administrator_deletes_from_the_user_admin(self):
        self.client.force_login(self.admin)
        page = self.client.get(self.delete_url(self.r.learner))
        self.assertContains(page, "stay verifiable")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.delete_url(self.r.learner))
        assert response.status_code == 302
        learner = User.objects.get(pk=self.r.learner.pk)
        assert learner.is_erased
        entry = ModelLogEntry.objects.get(
            action="accounts.erase", object_id=str(learner.pk)
        )
        assert entry.user_id == self.admin.pk
        assert entry.data["requested_by"] == "administrator"
        assert [m.to for m in mail.outbox] == [[records.EMAIL]]

    def test_a_coordinator_with_admin_access_cannot_delete_someone_else(self):
        coordinator = self.r.coordinator
        coordinator.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="delete_user"),
        )
        # Wagtail's own rule would let them: the project's rule refuses.
        assert user_can_delete_user(User.objects.get(pk=coordinator.pk), self.r.learner)
        self.client.force_login(coordinator)
        for method in (self.client.get, self.client.post):
            response = method(self.delete_url(self.r.learner))
            # Wagtail answers a refusal with a redirect to the dashboard.
            assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert not User.objects.get(pk=self.r.learner.pk).is_erased

    def test_the_bulk_delete_of_the_user_listing_erases(self):
        self.client.force_login(self.admin)
        url = reverse("wagtail_bulk_action", args=("accounts", "user", "delete"))
        query = urlencode({"id": [self.r.learner.pk, self.admin.pk]}, doseq=True)
        page = self.client.get(f"{url}?{query}")
        self.assertTemplateUsed(page, "accounts/admin/confirm_bulk_erase.html")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"{url}?{query}")
        assert User.objects.get(pk=self.r.learner.pk).is_erased
        assert Certificate.objects.filter(pk=self.r.certificate.pk).exists()
        # Never one's own account from the listing.
        assert not User.objects.get(pk=self.admin.pk).is_erased
