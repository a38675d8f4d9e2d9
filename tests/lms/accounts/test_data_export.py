"""A learner downloads all their personal data as one JSON file (/akun/data-saya/)."""

import json

from django.test import TestCase

from lms.accounts import personal_data
from tests.security import records

PAGE = "/akun/data-saya/"
DOWNLOAD = "/akun/data-saya/unduh/"


class DataExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = records.build()

    def download(self, user) -> tuple[dict, str]:
        self.client.force_login(user)
        response = self.client.get(DOWNLOAD)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"].startswith(
            'attachment; filename="data-saya-akademi-ppid-'
        )
        assert "no-store" in response["Cache-Control"]
        text = response.content.decode()
        return json.loads(text), text

    def test_the_download_holds_every_app_section_with_the_learners_records(self):
        document, _text = self.download(self.r.learner)
        assert document["format"] == "akademi-ppid.personal-data"
        for part in personal_data.registered():
            assert part.section in document
        account = document["account"]
        assert account["profile"]["email"] == records.EMAIL
        assert account["profile"]["nip"] == records.NIP
        assert account["profile"]["full_name"] == records.NAME
        assert account["profile"]["office"]["code"] == "51.03"
        assert account["profile"]["language"] == "id"
        assert account["email_addresses"] == [
            {"email": records.EMAIL, "verified": True, "primary": True}
        ]
        assert account["two_factor_authentication"] == {
            "enabled": True,
            "methods": ["totp"],
        }
        listing = account["staff_imports_listing_you"]
        assert [i["file_name"] for i in listing] == ["pegawai-badung.csv"]
        assert [row["line"] for row in listing[0]["rows"]] == [2]
        assert listing[0]["uploaded_by"] == "Koordinator Bali"

        [enrolment] = document["courses"]["enrolments"]
        assert enrolment["course"]["title"] == "Dasar-Dasar KIP"
        assert len(enrolment["lessons_completed"]) == 2
        assert enrolment["knowledge_check_answers"][0]["block_id"] == "cek-1"
        assert enrolment["completions"][0]["score"] == 90

        [attempt] = document["quizzes"]["attempts"]
        assert attempt["score"] == "100.00" and attempt["passed"] is True
        assert attempt["answers"][0]["response"] == {"choice": 1}

        [play] = document["practice"]["plays"]
        assert play["scenario"]["id"] == self.r.scenario.pk
        assert play["answers"][0]["value"] == {"choice": "a"}

        [certificate] = document["certificates"]["certificates"]
        assert certificate["number"] == self.r.certificate.number
        assert certificate["verification_code"] == self.r.certificate.display_code
        assert certificate["nip"] == records.NIP

        dashboard = document["dashboard"]
        assert dashboard["digest_subscription"]["active"] is False
        assert [r["kind"] for r in dashboard["reminders_sent"]] == ["due_7"]

    def test_the_download_holds_nothing_about_anyone_else(self):
        _document, text = self.download(self.r.learner)
        assert "orang.lain" not in text
        assert not records.leaks(text, nip=self.r.other.nip, email=self.r.other.email)
        assert "Orang Lain" not in text

    def test_secrets_are_never_in_the_download(self):
        _document, text = self.download(self.r.learner)
        assert records.TOTP_SECRET not in text
        assert self.r.learner.password not in text
        assert "password" not in json.loads(text)["account"]["profile"]

    def test_a_coordinators_uploads_are_listed_without_the_rows_of_other_people(self):
        document, text = self.download(self.r.coordinator)
        [upload] = document["account"]["staff_imports_uploaded"]
        assert upload["file_name"] == "pegawai-badung.csv" and upload["rows"] == 2
        assert not records.leaks(text)
        assert [s["office_code"] for s in document["offices"]["coordinator_of"]] == [
            "51"
        ]

    def test_the_page_offers_the_download_and_the_deletion_form(self):
        self.client.force_login(self.r.learner)
        response = self.client.get(PAGE)
        assert response.status_code == 200
        self.assertContains(response, f'href="{DOWNLOAD}"')
        self.assertContains(response, 'href="/akun/hapus-akun/"')
        profile = self.client.get("/akun/profil/")
        self.assertContains(profile, f'href="{PAGE}"')

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for url in (PAGE, DOWNLOAD):
            response = self.client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/akun/login/")
