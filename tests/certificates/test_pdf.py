"""The PDF: what it says (read back with pypdf) and that it renders identically."""

import io
import subprocess
import sys
from pathlib import Path

from django.core.files.storage import default_storage
from django.test import TestCase
from pypdf import PdfReader

from certificates import services
from certificates.layouts import render_certificate
from certificates.models import Certificate

from . import factories

ROOT = Path(__file__).resolve().parents[2]


class PdfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        office = factories.OfficeFactory(
            code="51.03", region_name="Kabupaten Badung", name="KPU Kabupaten Badung"
        )
        learner = factories.UserFactory(
            full_name="Ni Luh Putu Sari Dewi", nip="198503122010012002", office=office
        )
        course = factories.course(
            title="Dasar-Dasar Keterbukaan Informasi",
            hours=8,
            certificate_validity_months=24,
        )
        cls.completion = factories.completion(user=learner, course_page=course)

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            pending = Certificate.objects.get(completion=self.completion)
            services.certificate_enqueue_on_commit(certificate_id=pending.pk)
        self.certificate = Certificate.objects.get(completion=self.completion)

    def text(self, data: bytes) -> str:
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        return " ".join(reader.pages[0].extract_text().split())

    def test_the_pdf_names_holder_office_course_number_and_code(self):
        data = services.certificate_pdf_bytes(certificate=self.certificate)
        text = self.text(data)
        c = self.certificate
        for expected in (
            "SERTIFIKAT",
            "Ni Luh Putu Sari Dewi",
            "NIP. 198503122010012002",
            "KPU KABUPATEN BADUNG",
            "Dasar-Dasar Keterbukaan Informasi",
            "8 jam pelajaran",
            f"Nomor: {c.number}",
            c.display_code,
            f"Verifikasi: http://testserver/sertifikat/verifikasi/{c.display_code}/",
            "Badung,",
            "Berlaku sampai dengan",
        ):
            assert expected in text, expected

    def test_the_page_is_a4_landscape_with_embedded_fonts_and_record_dates(self):
        reader = PdfReader(io.BytesIO(render_certificate(self.certificate)))
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
        fonts = reader.pages[0]["/Resources"]["/Font"]
        for ref in fonts.values():
            descriptor = ref.get_object().get("/DescendantFonts") or [ref]
            font = descriptor[0].get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font
        issued = self.certificate.issued_at.astimezone()
        assert reader.metadata["/CreationDate"].startswith(f"D:{issued:%Y%m%d%H%M}")

    def test_two_renders_of_the_same_record_are_byte_identical(self):
        first = render_certificate(self.certificate)
        again = render_certificate(Certificate.objects.get(pk=self.certificate.pk))
        assert first == again

    def test_a_lost_file_is_rendered_again_identically(self):
        stored = services.certificate_pdf_bytes(certificate=self.certificate)
        default_storage.delete(self.certificate.pdf.name)
        assert services.certificate_pdf_bytes(certificate=self.certificate) == stored

    def test_another_process_renders_the_same_bytes(self):
        here = render_certificate(self.certificate)
        code = (
            "import sys, pickle; from certificates.rendering import render_pdf; "
            "doc = pickle.loads(sys.stdin.buffer.read()); "
            "sys.stdout.buffer.write(render_pdf(doc))"
        )
        import pickle

        from certificates.layouts import document_for

        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            input=pickle.dumps(document_for(self.certificate)),
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr.decode()
        assert result.stdout == here


class LayoutImageTests(TestCase):
    """Logo, signature and background come from Wagtail images, via renditions."""

    @classmethod
    def setUpTestData(cls):
        from wagtail_factories import ImageFactory

        from certificates.models import CertificateLayout

        office = factories.OfficeFactory()
        cls.logo = ImageFactory(title="Logo", file__color="red")
        cls.signature = ImageFactory(title="Tanda tangan", file__color="blue")
        cls.background = ImageFactory(title="Latar", file__color="white")
        factories.default_layout(logo=cls.logo, background=cls.background)
        CertificateLayout.objects.create(office=office, signature=cls.signature)
        learner = factories.UserFactory(office=office)
        cls.completion = factories.completion(
            user=learner, course_page=factories.course()
        )

    def test_images_are_drawn_and_the_render_stays_deterministic(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.certificate_enqueue_on_commit(
                certificate_id=Certificate.objects.get().pk
            )
        certificate = Certificate.objects.get()
        assert (certificate.logo, certificate.signature, certificate.background) == (
            self.logo,
            self.signature,
            self.background,
        )
        data = render_certificate(certificate)
        images = PdfReader(io.BytesIO(data)).pages[0].images
        assert len(images) == 3
        assert render_certificate(Certificate.objects.get()) == data
