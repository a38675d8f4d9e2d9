"""Personal data never appears on public pages (docs/privacy.md).

A learner with a distinctive NIP and e-mail has completed a course and holds an
issued and a revoked certificate. Every page an anonymous visitor can open is
fetched, and neither the NIP (as 18 digits or with separators) nor the e-mail
may appear in it. The verification page shows the holder's name and the masked
NIP (first four and last four digits), which is its purpose.
"""

import json

import pytest
from django.test import TestCase
from django.utils import timezone

from certificates import credentials
from certificates import services as certificate_services
from certificates.models import Certificate, CredentialKey
from courses.models import CourseCompletion, Enrolment
from tests.courses.factories import course_with_lessons
from tests.security import records
from tests.test_authorisation_matrix import ACCESS, PUBLIC

MASKED_NIP = "1987**********2004"

# Public URLs not fetched here, and why.
NOT_FETCHED = {
    "dashboard:unsubscribe": (
        "opens only with the signed token of a digest e-mail, which went to the "
        "address it shows"
    ),
    "switch_language": "a POST that redirects back; renders nothing",
    "courses:check_answer": "a POST answering one knowledge check with feedback",
}


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = records.build()
        # A second certificate, revoked, so the revocation list has an entry.
        course = course_with_lessons(
            cls.r.course.get_parent().specific, lessons=1, slug="kursus-dicabut"
        )
        enrolment = Enrolment.objects.create(user=cls.r.learner, course=course)
        completion = CourseCompletion.objects.create(
            enrolment=enrolment, attempt=1, completed_at=timezone.now(), score=80
        )
        revoked = certificate_services.certificate_issue(
            certificate=Certificate.objects.get(completion=completion),
            issued_at=timezone.now(),
        )
        cls.revoked = certificate_services.certificate_revoke(
            certificate=revoked,
            by=cls.r.coordinator,
            reason="Diterbitkan untuk kursus yang salah",
            now=timezone.now(),
        )

    def public_paths(self) -> dict[str, list[str]]:
        """URL name (or a label for pages Wagtail serves) → example paths."""
        code = self.r.certificate.display_code
        credentials.publish_current_key()
        key = CredentialKey.objects.first().key_id
        r = self.r
        return {
            "home": ["/"],
            "catalogue and course pages": [
                "/kursus/",
                r.course.url,
                r.module.url,
                *[lesson.url for lesson in r.lessons],
                r.quiz.url,
                r.scenario.url,
            ],
            "courses:search": ["/kursus/cari/?q=Rahasia", "/kursus/cari/?q=KIP"],
            "deadlines:calculator": ["/alat/tenggat/"],
            "deadlines:calculator_json": [
                "/alat/tenggat/json/?step=notice&start=2024-03-06&regime=general",
                "/alat/tenggat/json/",
            ],
            "certificates:verify": [
                "/sertifikat/verifikasi/",
                f"/sertifikat/verifikasi/?code={code}",
            ],
            "certificates:verify_code": [
                f"/sertifikat/verifikasi/{code}/",
                f"/sertifikat/verifikasi/{self.revoked.display_code}/",
                "/sertifikat/verifikasi/AAAA-BBBB-CCCC/",
            ],
            "certificates:issuer": ["/sertifikat/issuer.json"],
            "certificates:credential_key": [f"/sertifikat/keys/{key}.json"],
            "certificates:revocations": ["/sertifikat/revocations.json"],
            "healthz": ["/healthz"],
            "sitemap and robots": ["/sitemap.xml", "/robots.txt"],
            "sign-in pages": [
                "/akun/login/",
                "/akun/signup/",
                "/akun/password/reset/",
            ],
        }

    def test_every_public_url_of_the_project_is_fetched_here(self):
        public = {name for name, access in ACCESS.items() if access == PUBLIC}
        covered = set(self.public_paths()) | set(NOT_FETCHED)
        assert not public - covered, (
            f"public URLs this test does not fetch: {sorted(public - covered)}"
        )

    def test_no_public_page_shows_the_nip_or_the_e_mail(self):
        failures = []
        for name, paths in self.public_paths().items():
            for path in paths:
                response = self.client.get(path)
                assert response.status_code < 500, (path, response.status_code)
                text = response.content.decode(errors="replace") + " ".join(
                    f"{header}: {value}" for header, value in response.items()
                )
                found = records.leaks(text)
                if found:
                    failures.append(f"{name} {path}: {found}")
        assert not failures, "\n".join(failures)

    def test_the_pages_were_real_pages(self):
        # A leak test over error pages proves nothing: the key pages answer 200
        # and show what they are for.
        for path in ("/", "/kursus/", self.r.course.url, "/alat/tenggat/"):
            assert self.client.get(path).status_code == 200, path
        assert self.client.get(self.r.lessons[0].url).status_code in (200, 302)
        data = json.loads(self.client.get("/sertifikat/revocations.json").content)
        assert [c["id"] for c in data["revokedCredentials"]] == [
            f"urn:uuid:{self.revoked.credential_id}"
        ]

    def test_the_verification_page_shows_the_name_and_the_masked_nip_only(self):
        response = self.client.get(
            f"/sertifikat/verifikasi/{self.r.certificate.display_code}/"
        )
        assert response.status_code == 200
        self.assertContains(response, records.NAME)
        self.assertContains(response, MASKED_NIP)
        assert records.NIP[:4] + "*" * 10 + records.NIP[-4:] == MASKED_NIP

    def test_the_open_badges_credential_names_the_holder_without_nip_or_e_mail(self):
        document = credentials.signed_credential(self.r.certificate)
        text = json.dumps(document, ensure_ascii=False)
        assert not records.leaks(text)
        [identifier] = document["credentialSubject"]["identifier"]
        assert identifier["identityType"] == "name"
        assert identifier["identityHash"] == records.NAME
        # The holder's own download is the same document.
        self.client.force_login(self.r.learner)
        response = self.client.get(
            f"/sertifikat/saya/{self.r.certificate.pk}/kredensial.json"
        )
        assert response.status_code == 200
        assert not records.leaks(response.content.decode())

    def test_the_credential_download_is_not_public(self):
        response = self.client.get(
            f"/sertifikat/saya/{self.r.certificate.pk}/kredensial.json"
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/login/")


@pytest.mark.parametrize(
    "text",
    [
        "NIP 198703152011012004",
        "NIP 19870315 201101 2 004",
        "1987.0315.2011.0120.04",
        "19870315-201101-2-004",
        "NI.LUH.RAHASIA@KPU.GO.ID",
        "mailto:ni.luh.rahasia%40kpu.go.id",
        "ni.luh.rahasia&#64;kpu.go.id",
    ],
)
def test_the_leak_check_finds_the_nip_and_the_e_mail_however_written(text):
    assert records.leaks(text)


@pytest.mark.parametrize(
    "text", [MASKED_NIP, records.NAME, "198703152011", "ni.luh@kpu.go.id"]
)
def test_the_leak_check_lets_the_masked_nip_and_the_name_pass(text):
    assert not records.leaks(text)
