"""Public verification: valid, expired, revoked, unknown and mistyped codes."""

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone

from certificates import codes, services
from certificates.models import Certificate

from . import factories

VERIFY = "/sertifikat/verifikasi/"


class VerificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory(name="KPU Kabupaten Badung")
        cls.learner = factories.UserFactory(
            full_name="Ni Luh Putu Sari",
            nip="198503122010011002",
            email="sari@kpu.go.id",
            office=cls.office,
        )
        cls.course = factories.course(
            title="Dasar-Dasar KIP", certificate_validity_months=12
        )

    def issue(self, completed_at=None, attempt=1):
        with self.captureOnCommitCallbacks(execute=True):
            completion = factories.completion(
                user=self.learner,
                course_page=self.course,
                completed_at=completed_at,
                attempt=attempt,
            )
        return Certificate.objects.get(completion=completion)

    def get(self, code, **extra):
        return self.client.get(f"{VERIFY}{code}/", **extra)

    def assert_noindex(self, response):
        assert response["X-Robots-Tag"].startswith("noindex")
        self.assertContains(
            response,
            '<meta name="robots" content="noindex',
            status_code=response.status_code,
        )

    def test_a_valid_certificate_shows_its_facts_with_the_nip_masked(self):
        certificate = self.issue()
        with self.assertNumQueries(1):
            response = self.get(certificate.display_code)
        assert response.status_code == 200
        self.assert_noindex(response)
        for text in (
            "Ni Luh Putu Sari",
            "1985**********1002",
            "KPU Kabupaten Badung",
            "Dasar-Dasar KIP",
            certificate.number,
            certificate.display_code,
        ):
            self.assertContains(response, text)
        assert response.context["state"] == "valid"
        self.assertNotContains(response, "198503122010011002")
        self.assertNotContains(response, "sari@kpu.go.id")

    def test_an_expired_certificate_says_so(self):
        certificate = self.issue(
            completed_at=timezone.now() - datetime.timedelta(days=800)
        )
        response = self.get(certificate.code)
        assert response.status_code == 200
        assert response.context["state"] == "expired"
        self.assertContains(response, "badge-warn")

    def test_a_revoked_certificate_shows_the_date_and_reason(self):
        certificate = self.issue()
        admin = factories.UserFactory(is_superuser=True)
        services.certificate_revoke(
            certificate=certificate,
            by=admin,
            reason="Peserta tidak mengikuti evaluasi",
            now=timezone.make_aware(datetime.datetime(2026, 12, 1, 9)),
        )
        response = self.get(certificate.display_code)
        assert response.status_code == 200
        assert response.context["state"] == "revoked"
        self.assertContains(response, "Peserta tidak mengikuti evaluasi")
        self.assertContains(response, "2026")

    def test_an_unknown_but_well_formed_code_is_not_found(self):
        self.issue()
        data = "ABCDEFGHJKMNPQRSTVWXYZ01234"
        response = self.get(codes.display(data + codes.check_symbol(data)))
        assert response.status_code == 404
        self.assert_noindex(response)
        self.assertTemplateUsed(response, "certificates/verify_not_found.html")

    def test_a_mistyped_code_is_told_apart_from_a_forged_one(self):
        code = self.issue().code
        wrong = "1" if code[5] != "1" else "2"
        typo = code[:5] + wrong + code[6:]
        response = self.get(codes.display(typo))
        assert response.status_code == 400
        self.assertTemplateUsed(response, "certificates/verify_typo.html")
        assert not response.context.get("malformed")

    def test_a_truncated_code_is_malformed(self):
        response = self.get("7K3Q-X9M2")
        assert response.status_code == 400
        self.assertTemplateUsed(response, "certificates/verify_typo.html")
        assert response.context["malformed"] is True

    def test_codes_are_normalised_for_case_spaces_dashes_and_look_alike_letters(self):
        certificate = self.issue()
        messy = " ".join(certificate.code.lower()).replace("1", "l").replace("0", "o")
        response = self.client.get(VERIFY, {"code": messy})
        assert response.status_code == 200
        assert response.context["certificate"] == certificate

    def test_the_form_page_asks_for_a_code(self):
        assert self.client.get(VERIFY, {"code": " "}).status_code == 200
        response = self.client.get(VERIFY)
        assert response.status_code == 200
        self.assert_noindex(response)
        self.assertContains(response, 'name="code"')

    def test_a_pending_certificate_is_not_verifiable(self):
        with self.captureOnCommitCallbacks(execute=False):
            factories.completion(user=self.learner, course_page=self.course)
        pending = Certificate.objects.get()
        assert pending.code is None
        assert self.client.get(VERIFY, {"code": "0" * 28}).status_code in (400, 404)

    def test_a_replaced_certificate_names_its_replacement_but_not_its_code(self):
        old = self.issue()
        admin = factories.UserFactory(is_superuser=True)
        new = services.certificate_reissue(
            certificate=old, by=admin, reason="Nama salah", now=timezone.now()
        )
        response = self.get(old.display_code)
        self.assertContains(response, new.number)
        self.assertNotContains(response, new.display_code)


@override_settings(CERTIFICATES_VERIFY_RATE_LIMIT=(5, 60))
class RateLimitTests(TestCase):
    def test_the_sixth_lookup_in_a_minute_from_one_address_is_refused(self):
        statuses = [
            self.client.get(
                VERIFY, {"code": f"X{i}"}, REMOTE_ADDR="203.0.113.9"
            ).status_code
            for i in range(6)
        ]
        assert statuses == [400] * 5 + [429]
        response = self.client.get(f"{VERIFY}ABC/", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        assert response["X-Robots-Tag"].startswith("noindex")
        self.assertTemplateUsed(response, "certificates/verify_limited.html")
        # Another address is not affected.
        other = self.client.get(VERIFY, {"code": "X"}, REMOTE_ADDR="198.51.100.7")
        assert other.status_code == 400

    def test_opening_the_empty_form_does_not_count(self):
        for _ in range(10):
            assert (
                self.client.get(VERIFY, REMOTE_ADDR="203.0.113.10").status_code == 200
            )
