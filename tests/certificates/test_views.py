"""Learner and coordinator pages: permission matrix, listings, exports, bundles."""

import csv
import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from certificates.exports import neutralise
from certificates.models import Certificate, CertificateBundle

from . import factories

LOGIN = "/akun/login/"


def issue_for(testcase, user, course):
    with testcase.captureOnCommitCallbacks(execute=True):
        completion = factories.completion(user=user, course_page=course)
    return Certificate.objects.get(completion=completion)


class LearnerPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory()
        cls.owner = factories.UserFactory(office=cls.office)
        cls.other = factories.UserFactory(office=cls.office)
        cls.courses = [factories.course() for _ in range(5)]

    def setUp(self):
        self.certificate = issue_for(self, self.owner, self.courses[0])

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for url in (
            "/sertifikat/saya/",
            f"/sertifikat/saya/{self.certificate.pk}/pdf/",
            f"/sertifikat/saya/{self.certificate.pk}/kredensial.json",
        ):
            response = self.client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(
                LOGIN
            )

    def test_the_owner_downloads_the_pdf_and_the_credential(self):
        self.client.force_login(self.owner)
        pdf = self.client.get(f"/sertifikat/saya/{self.certificate.pk}/pdf/")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        credential = self.client.get(
            f"/sertifikat/saya/{self.certificate.pk}/kredensial.json"
        )
        assert credential.status_code == 200
        assert credential.json()["type"][1] == "OpenBadgeCredential"

    def test_someone_else_gets_404_for_the_downloads(self):
        self.client.force_login(self.other)
        for url in (
            f"/sertifikat/saya/{self.certificate.pk}/pdf/",
            f"/sertifikat/saya/{self.certificate.pk}/kredensial.json",
            "/sertifikat/saya/999999/pdf/",
        ):
            assert self.client.get(url).status_code == 404

    def test_my_certificates_lists_mine_only_in_constant_queries(self):
        issue_for(self, self.other, self.courses[1])
        self.client.force_login(self.owner)
        with CaptureQueriesContext(connection) as one:
            response = self.client.get("/sertifikat/saya/")
        assert [c.pk for c in response.context["certificates"]] == [self.certificate.pk]
        for course in self.courses[1:]:
            issue_for(self, self.owner, course)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get("/sertifikat/saya/")
        assert len(response.context["certificates"]) == 5
        self.assertContains(response, "kredensial.json", count=5)

    def test_my_learning_links_a_completed_course_to_its_certificate(self):
        from certificates.services import certificate_reissue, certificate_revoke

        link = f"/sertifikat/saya/#sertifikat-{self.certificate.pk}"
        self.client.force_login(self.owner)
        self.assertContains(self.client.get("/belajar/"), f'href="{link}"')
        mine = self.client.get("/sertifikat/saya/")
        self.assertContains(mine, f'id="sertifikat-{self.certificate.pk}"')
        self.client.force_login(self.other)
        self.assertNotContains(self.client.get("/belajar/"), "/sertifikat/saya/")

        self.client.force_login(self.owner)
        with self.captureOnCommitCallbacks(execute=True):
            new = certificate_reissue(
                certificate=self.certificate,
                by=self.other,
                reason="Nama salah eja",
                now=timezone.now(),
            )
        response = self.client.get("/belajar/")
        self.assertNotContains(response, link)
        self.assertContains(response, f"/sertifikat/saya/#sertifikat-{new.pk}")
        certificate_revoke(
            certificate=Certificate.objects.get(pk=new.pk),
            by=self.other,
            reason="Dicabut",
            now=timezone.now(),
        )
        self.assertNotContains(self.client.get("/belajar/"), "/sertifikat/saya/#")


class RegisterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.province = factories.OfficeFactory(
            code="51", level="province", region_name="Bali", name="KPU Provinsi Bali"
        )
        cls.badung = factories.OfficeFactory(
            code="51.03", parent=cls.province, name="KPU Kabupaten Badung"
        )
        cls.elsewhere = factories.OfficeFactory(
            code="52", level="province", region_name="NTB", name="KPU Provinsi NTB"
        )
        cls.coordinator = factories.coordinator(cls.province)
        cls.learner = factories.UserFactory(
            office=cls.badung, full_name="=HYPERLINK(1)"
        )
        cls.outsider = factories.UserFactory(office=cls.elsewhere)
        cls.courses = [factories.course() for _ in range(5)]

    def setUp(self):
        self.mine = issue_for(self, self.learner, self.courses[0])
        self.theirs = issue_for(self, self.outsider, self.courses[0])

    def test_the_permission_matrix(self):
        urls = [
            "/sertifikat/register/",
            f"/sertifikat/register/{self.mine.pk}/",
            f"/sertifikat/register/{self.mine.pk}/pdf/",
            "/sertifikat/register/ekspor.csv",
        ]
        for url in urls:
            response = self.client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(
                LOGIN
            )
        self.client.force_login(self.learner)
        for url in urls:
            assert self.client.get(url).status_code == 403, url
        self.client.force_login(self.coordinator)
        for url in urls:
            assert self.client.get(url).status_code == 200, url
        for url in (
            f"/sertifikat/register/{self.theirs.pk}/",
            f"/sertifikat/register/{self.theirs.pk}/pdf/",
            f"/sertifikat/register/?office={self.elsewhere.pk}",
            f"/sertifikat/register/ekspor.xlsx?office={self.elsewhere.pk}",
            "/sertifikat/register/?office=abc",
        ):
            assert self.client.get(url).status_code == 404, url
        response = self.client.post(
            f"/sertifikat/register/{self.theirs.pk}/cabut/", {"reason": "x"}
        )
        assert response.status_code == 404

    def test_the_register_shows_the_scope_only_in_constant_queries(self):
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as one:
            response = self.client.get("/sertifikat/register/")
        assert [c.pk for c in response.context["page"]] == [self.mine.pk]
        for course in self.courses[1:]:
            issue_for(self, self.learner, course)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.client.get("/sertifikat/register/")
        assert len(response.context["page"]) == 5

    def test_filters_by_office_course_and_period(self):
        other = issue_for(self, self.learner, self.courses[1])
        self.client.force_login(self.coordinator)
        today = timezone.localdate()

        def listed(**params):
            response = self.client.get("/sertifikat/register/", params)
            return {c.pk for c in response.context["page"]}

        assert listed(office=self.badung.pk) == {self.mine.pk, other.pk}
        assert listed(course=self.courses[1].pk) == {other.pk}
        assert listed(date_from=today.isoformat(), date_to=today.isoformat()) == {
            self.mine.pk,
            other.pk,
        }
        assert listed(date_to=(today - datetime.timedelta(days=1)).isoformat()) == set()

    def test_csv_and_xlsx_exports_neutralise_formulas(self):
        self.client.force_login(self.coordinator)
        response = self.client.get("/sertifikat/register/ekspor.csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows[0]) == 13  # the header, in the active language
        assert len(rows) == 2
        assert rows[1][0] == self.mine.number
        assert rows[1][2] == "'=HYPERLINK(1)"
        response = self.client.get("/sertifikat/register/ekspor.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 2
        assert values[1][2] == "'=HYPERLINK(1)"
        assert all(
            not (isinstance(v, str) and v.startswith("="))
            for row in values
            for v in row
        )

    def test_revoke_and_reissue_from_the_register(self):
        self.client.force_login(self.coordinator)
        url = f"/sertifikat/register/{self.mine.pk}/"
        assert self.client.post(url + "cabut/", {"reason": ""}).status_code == 302
        assert Certificate.objects.get(pk=self.mine.pk).status == "issued"
        response = self.client.post(url + "terbitkan-ulang/", {"reason": "Nama salah"})
        new = Certificate.objects.get(replaces=self.mine)
        assert response["Location"] == f"/sertifikat/register/{new.pk}/"
        assert Certificate.objects.get(pk=self.mine.pk).status == "revoked"
        page = self.client.get(url)
        self.assertContains(page, "Nama salah")
        self.assertContains(page, new.number)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("0007/PPID/KPU-Kab.Badung/XI/2026", "0007/PPID/KPU-Kab.Badung/XI/2026"),
        (8, 8),
        (None, None),
    ],
)
def test_spreadsheet_cells_that_could_be_formulas_get_a_quote(value, expected):
    assert neutralise(value) == expected


class BundleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office = factories.OfficeFactory(name="KPU Kabupaten Badung")
        cls.elsewhere = factories.OfficeFactory(name="KPU Kota Lain", level="city")
        cls.coordinator = factories.coordinator(cls.office)
        cls.other_coordinator = factories.coordinator(cls.elsewhere)
        cls.learners = [factories.UserFactory(office=cls.office) for _ in range(3)]
        cls.course = factories.course()

    def test_a_zip_of_the_offices_pdfs_is_built_in_the_background(self):
        certificates = [
            issue_for(self, learner, self.course) for learner in self.learners
        ]
        self.client.force_login(self.coordinator)
        today = timezone.localdate().isoformat()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/sertifikat/bundel/",
                {"office": self.office.pk, "date_from": today, "date_to": today},
            )
        bundle = CertificateBundle.objects.get()
        assert response["Location"] == f"/sertifikat/bundel/{bundle.pk}/"
        page = self.client.get(response["Location"])
        assert bundle.status == "done" and bundle.total == 3
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, f"/sertifikat/bundel/{bundle.pk}/unduh/")
        download = self.client.get(f"/sertifikat/bundel/{bundle.pk}/unduh/")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
        assert sorted(archive.namelist()) == sorted(
            c.number.replace("/", "_") + ".pdf" for c in certificates
        )
        assert all(archive.read(n).startswith(b"%PDF") for n in archive.namelist())
        # Only the coordinator who asked (and still has the scope) sees it.
        self.client.force_login(self.other_coordinator)
        assert self.client.get(f"/sertifikat/bundel/{bundle.pk}/").status_code == 404
        assert (
            self.client.get(f"/sertifikat/bundel/{bundle.pk}/unduh/").status_code == 404
        )

    def test_a_running_bundle_page_refreshes_itself(self):
        bundle = CertificateBundle.objects.create(
            requested_by=self.coordinator,
            office=self.office,
            date_from=timezone.localdate(),
            date_to=timezone.localdate(),
            status="running",
            total=10,
            done=4,
        )
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/sertifikat/bundel/{bundle.pk}/")
        self.assertContains(page, '<meta http-equiv="refresh" content="3">')
        self.assertContains(page, 'value="40"')
        assert (
            self.client.get(f"/sertifikat/bundel/{bundle.pk}/unduh/").status_code == 404
        )

    def test_a_bundle_for_an_office_out_of_scope_is_refused(self):
        self.client.force_login(self.coordinator)
        today = timezone.localdate().isoformat()
        response = self.client.post(
            "/sertifikat/bundel/",
            {"office": self.elsewhere.pk, "date_from": today, "date_to": today},
        )
        assert response.status_code == 404
        response = self.client.post(
            "/sertifikat/bundel/",
            {"office": "abc", "date_from": today, "date_to": today},
        )
        assert response.status_code == 404
        assert not CertificateBundle.objects.exists()

    def test_the_sweep_deletes_bundles_after_a_week(self):
        from django.core.files.base import ContentFile

        from certificates import services

        bundle = CertificateBundle.objects.create(
            requested_by=self.coordinator,
            office=self.office,
            date_from=timezone.localdate(),
            date_to=timezone.localdate(),
            status="done",
        )
        bundle.file.save("old.zip", ContentFile(b"zip"))
        name = bundle.file.name
        services.certificates_sweep(now=timezone.now() + datetime.timedelta(days=6))
        assert CertificateBundle.objects.exists()
        services.certificates_sweep(now=timezone.now() + datetime.timedelta(days=8))
        assert not CertificateBundle.objects.exists()
        assert not bundle.file.storage.exists(name)
