"""Layouts in the Wagtail admin: validation, the PDF preview button, live preview."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from pypdf import PdfReader

from certificates.models import CertificateLayout

from . import factories

ADMIN = "/admin/snippets/certificates/certificatelayout/"


def pdf_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


class LayoutAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = factories.UserFactory(is_superuser=True, is_staff=True)
        cls.office = factories.OfficeFactory(
            code="51.03",
            region_name="Kabupaten Badung",
            name="KPU Kabupaten Badung",
            head_name="I Made Wirasa",
        )
        cls.default = factories.default_layout(title="SERTIFIKAT")
        cls.layout = CertificateLayout.objects.create(
            office=cls.office, body="telah lulus {course} dengan nilai {score}."
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_listing_and_edit_page_offer_a_pdf_preview(self):
        listing = self.client.get(ADMIN)
        assert listing.status_code == 200
        preview_url = f"{ADMIN}preview-pdf/{self.layout.pk}/"
        self.assertContains(listing, preview_url)
        edit = self.client.get(f"{ADMIN}edit/{self.layout.pk}/")
        assert edit.status_code == 200
        self.assertContains(edit, preview_url)

    def test_the_preview_is_a_sample_certificate_in_that_layout(self):
        response = self.client.get(f"{ADMIN}preview-pdf/{self.layout.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        text = pdf_text(response.content)
        assert "telah lulus" in text and "dengan nilai 92" in text
        assert "KPU-Kab.Badung" in text and "I Made Wirasa" in text

    def test_the_live_preview_renders_the_unsaved_form(self):
        url = f"{ADMIN}preview/{self.layout.pk}/"
        data = {"office": self.office.pk, "title": "PIAGAM", "body": "uji {holder}"}
        assert self.client.post(url, data).status_code == 200
        response = self.client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert "PIAGAM" in pdf_text(response.content)

    def test_preview_needs_an_admin(self):
        self.client.force_login(factories.UserFactory())
        response = self.client.get(f"{ADMIN}preview-pdf/{self.layout.pk}/")
        assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_wording_with_an_unknown_placeholder_is_rejected():
    layout = CertificateLayout(office=factories.OfficeFactory(), body="Halo {nama}")
    with pytest.raises(ValidationError, match="nama"):
        layout.full_clean()


@pytest.mark.django_db
def test_a_number_pattern_without_year_is_rejected():
    layout = CertificateLayout(
        office=factories.OfficeFactory(), number_pattern="{seq}/X"
    )
    with pytest.raises(ValidationError, match="year"):
        layout.full_clean()


@pytest.mark.django_db
def test_there_is_only_one_default_layout():
    factories.default_layout()
    with pytest.raises(ValidationError):
        CertificateLayout().full_clean()


@pytest.mark.django_db
def test_a_default_layout_with_the_indonesian_wording_ships():
    from certificates.models import DEFAULT_WORDING

    layout = CertificateLayout.objects.get(office__isnull=True)
    assert (layout.title, layout.intro, layout.body) == (
        DEFAULT_WORDING["title"],
        DEFAULT_WORDING["intro"],
        DEFAULT_WORDING["body"],
    )
