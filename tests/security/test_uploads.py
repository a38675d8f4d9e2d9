"""Every upload point refuses hostile and broken files with a clear Indonesian
message, and keeps nothing of them.

Upload points: the coordinator's staff CSV import, the question bank import
(Moodle XML / YAML), Wagtail images, and course packages (.zip or a lesson .md)
in the admin and through `import_course`. Each case goes through the real view
with the test client, signed in as the role that may use it, and checks the
status, the message (the interface is Indonesian by default) and that nothing
was saved.
"""

import io
import random
import shutil
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from courses.content_format import read_course
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import course_import
from lms.accounts.models import StaffImport
from quizzes.models import Question, QuestionCategory
from tests.courses.conftest import ensure_site_tree
from tests.factories import UserFactory
from tests.quizzes.test_interchange import BOMB, QUADRATIC, XXE

pytestmark = pytest.mark.django_db

CONTENT = Path(__file__).resolve().parents[2] / "courses" / "content"
STAFF_UPLOAD_URL = "/koordinator/staf/impor/"
GOOD_CSV = (
    b"nama;email;nip;jenis_kepegawaian;kode_kantor\n"
    b"Sari Dewi;sari@example.org;;magang;51\n"
)


def assert_refused(response, message: str) -> None:
    """The form came back (200) naming the problem in Indonesian."""
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(message) in html, f"{message!r} not in the response"


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few dozen bytes whose header claims a `width` × `height` canvas."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.cookie)</script></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# --- Staff CSV import (/koordinator/staf/impor/, coordinator) ---------------------


@pytest.fixture
def coordinator_client(client, office_tree):
    client.force_login(
        UserFactory(office=office_tree.bali, coordinates=office_tree.bali)
    )
    return client


def upload_staff(client, data: bytes, name: str = "pegawai.csv"):
    return client.post(
        STAFF_UPLOAD_URL, {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "pegawai.csv",
            GOOD_CSV + b"#" * (1024 * 1024),
            "Berkas lebih besar dari 1 MB.",
            id="oversized",
        ),
        pytest.param(
            "pegawai.csv",
            png(),
            "Berkas ini gambar PNG, bukan berkas CSV.",
            id="png-renamed-csv",
        ),
        pytest.param(
            "pegawai.csv",
            EXE,
            "Berkas ini program (Windows), bukan berkas CSV.",
            id="exe-renamed-csv",
        ),
        pytest.param(
            "pegawai.csv",
            GOOD_CSV.replace(b"Sari", b"Sa\x00ri"),
            "Berkas ini bukan berkas teks, jadi tidak mungkin berkas CSV.",
            id="binary-in-csv",
        ),
        pytest.param(
            "pegawai.html",
            GOOD_CSV,
            "Hanya berkas .csv, .txt yang diterima di sini.",
            id="wrong-extension",
        ),
        pytest.param(
            "pegawai.csv",
            "nama;email\nSí;x@example.org\n".encode("latin-1"),
            "Berkas tidak disimpan sebagai UTF-8.",
            id="broken-encoding",
        ),
        pytest.param(
            "pegawai.csv",
            b"PK\x03\x04" + b"\x00" * 100,
            "Ini adalah buku kerja Excel, bukan berkas CSV.",
            id="excel-renamed-csv",
        ),
    ],
)
def test_the_staff_import_refuses_bad_files(coordinator_client, name, data, message):
    response = upload_staff(coordinator_client, data, name)
    assert_refused(response, message)
    assert not StaffImport.objects.exists()


def test_the_staff_import_still_takes_a_good_file(coordinator_client):
    response = upload_staff(coordinator_client, GOOD_CSV)
    assert response.status_code == 302
    assert StaffImport.objects.count() == 1


# --- Question bank import (/admin/kuis/impor/, instructor) -------------------------


@pytest.fixture
def instructor(db):
    ensure_site_tree()
    return UserFactory(instructor=True)


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


YAML_ALIAS_BOMB = b"""
category: {name: Bom}
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
questions:
  - {name: *g, kind: single, text: *g}
"""
UNSAFE_XML = (
    "Berkas ini mendeklarasikan DTD, entitas, atau referensi eksternal. Semuanya "
    "ditolak karena dapat dipakai untuk menyerang server; Moodle tidak "
    "memerlukannya."
)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "bank.xml",
            b"<quiz>" + b" " * (5 * 1024 * 1024) + b"</quiz>",
            "Berkas lebih besar dari 5 MB.",
            id="oversized",
        ),
        pytest.param(
            "bank.xml",
            EXE,
            "Berkas ini program (Windows), bukan berkas Moodle XML atau YAML.",
            id="exe-renamed-xml",
        ),
        pytest.param(
            "bank.xml",
            png(),
            "Berkas ini gambar PNG, bukan berkas Moodle XML atau YAML.",
            id="png-renamed-xml",
        ),
        pytest.param(
            "bank.docx",
            b"<quiz></quiz>",
            "Hanya berkas .xml, .yaml, .yml yang diterima di sini.",
            id="wrong-extension",
        ),
        pytest.param(
            "bank.xml",
            b'<?xml version="1.0"?><quiz><question type="truefalse"><name>',
            "Berkas ini bukan XML yang tersusun benar (mungkin terpotong atau rusak)",
            id="truncated-xml",
        ),
        pytest.param(
            "bank.xml",
            HTML,
            "Berkas ini bukan XML yang tersusun benar",
            id="html-renamed-xml",
        ),
        pytest.param(
            "bank.xml", SVG_WITH_SCRIPT, "Berkas ini bukan Moodle XML", id="svg-as-xml"
        ),
        pytest.param("bank.xml", BOMB, UNSAFE_XML, id="billion-laughs"),
        pytest.param("bank.xml", XXE, UNSAFE_XML, id="external-entity"),
        pytest.param("bank.xml", QUADRATIC[:4000], UNSAFE_XML, id="quadratic-blowup"),
        pytest.param(
            "bank.yaml",
            YAML_ALIAS_BOMB,
            "Berkas ini memakai anchor atau alias YAML (&nama, *nama), yang ditolak.",
            id="yaml-alias-bomb",
        ),
        pytest.param(
            "bank.yaml",
            b"questions: [unclosed",
            "Berkas ini bukan YAML yang sah",
            id="broken-yaml",
        ),
    ],
)
def test_the_question_import_refuses_bad_files(instructor_client, name, data, message):
    categories = QuestionCategory.objects.count()
    response = instructor_client.post(
        reverse("quizzes_admin:import"),
        {"file": SimpleUploadedFile(name, data, "text/xml")},
    )
    assert_refused(response, message)
    assert not Question.objects.exists()
    assert QuestionCategory.objects.count() == categories


# --- Wagtail images (/admin/images/add/, instructor) -------------------------------


def add_image(client, name: str, data: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Logo",
            "file": SimpleUploadedFile(name, data, "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "logo.png",
            png(200, 200) + b"\x00" * (5 * 1024 * 1024),
            "Berkas terlalu besar",
            id="oversized",
        ),
        pytest.param(
            "logo.png",
            png_claiming(30_000, 30_000),
            "Gambar ini terlalu besar dalam piksel",
            id="decompression-bomb",
        ),
        pytest.param(
            "logo.png",
            png(6000, 6000),
            "Gambar ini terlalu besar dalam piksel (36000000); paling banyak "
            "30000000 piksel yang diterima.",
            id="too-many-pixels",
        ),
        pytest.param(
            "logo.svg",
            SVG_WITH_SCRIPT,
            "Format gambar tidak didukung.",
            id="svg-with-script",
        ),
        pytest.param(
            "logo.png",
            SVG_WITH_SCRIPT,
            "Ini bukan gambar .png yang sebenarnya: isinya svg.",
            id="svg-renamed-png",
        ),
        pytest.param(
            "logo.png",
            HTML,
            "Unggah gambar yang valid.",
            id="html-renamed-png",
        ),
        pytest.param(
            "logo.png",
            png(300, 300)[:60],
            "Berkas gambar rusak atau tidak lengkap.",
            id="truncated-png",
        ),
        pytest.param(
            "logo.jpg", png(), "Ini bukan gambar .jpeg yang sebenarnya", id="png-as-jpg"
        ),
    ],
)
def test_image_uploads_refuse_bad_files(instructor_client, name, data, message):
    response = add_image(instructor_client, name, data)
    assert_refused(response, message)
    assert not get_image_model().objects.exists()


def test_the_multiple_image_upload_refuses_an_svg_renamed_png(instructor_client):
    response = instructor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("logo.png", SVG_WITH_SCRIPT, "image/png")},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    assert "Ini bukan gambar .png yang sebenarnya" in data["error_message"]
    assert not get_image_model().objects.exists()
    assert not UploadedFile.objects.exists()


def test_a_good_image_is_still_accepted(instructor_client):
    response = add_image(instructor_client, "logo.png", png(40, 20))
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (40, 20)


def test_svg_is_not_an_image_format_the_admin_accepts(settings):
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


# --- Course packages (/admin/kursus/impor/, instructor) ----------------------------

IMPORT_URL = "/admin/kursus/impor/"


def zip_bytes(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name, bytes) pairs, or of prepared ZipInfo objects."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_of_directory(directory: Path, *, base: Path) -> bytes:
    return zip_bytes(
        (path.relative_to(base).as_posix(), path.read_bytes())
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    )


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("kursus/course.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def corrupted_member_zip() -> bytes:
    data = bytearray(zip_bytes([("kursus/course.md", "isi kursus " * 500)]))
    start = 30 + len("kursus/course.md")  # local header, then the deflated data
    for i in range(start + 5, start + 25):
        data[i] ^= 0xFF
    return bytes(data)


def too_large_unpacked() -> bytes:
    """About 21 MB of text that compresses about 6 times: no bomb, still too big."""
    rnd = random.Random(9)
    text = "".join(rnd.randbytes(16).hex() + "a" * 96 for _ in range(170_000))
    return zip_bytes([("kursus/01-besar.md", text.encode())])


def upload_package(client, name: str, data: bytes, course=None):
    payload = {"package": SimpleUploadedFile(name, data, "application/zip")}
    if course is not None:
        payload["course"] = course.pk
    return client.post(IMPORT_URL, payload)


@pytest.fixture
def seeded(instructor):
    """The catalogue with the real course dasar-kip imported."""
    catalogue = ensure_site_tree()
    course_import(spec=read_course(CONTENT / "dasar-kip"), catalogue=catalogue)
    return CoursePage.objects.get(slug="dasar-kip")


@pytest.fixture
def exported(seeded, tmp_path) -> Path:
    """dasar-kip as export_course writes it: tmp/export/dasar-kip/…"""
    call_command("export_course", "dasar-kip", str(tmp_path / "export"))
    return tmp_path / "export" / "dasar-kip"


def course_md(slug: str = "kursus-uji", extra: str = "") -> str:
    text = (CONTENT / "dasar-kip" / "course.md").read_text(encoding="utf-8")
    return text.replace("slug: dasar-kip", f"slug: {slug}{extra}", 1)


BAD_PACKAGES = [
    pytest.param(
        "kursus.zip",
        zip_bytes(
            [("kursus/course.md", b"x" * (5 * 1024 * 1024))],
            compression=zipfile.ZIP_STORED,
        ),
        "Berkas lebih besar dari 5 MB.",
        id="oversized",
    ),
    pytest.param(
        "kursus.zip",
        png(),
        "Berkas ini gambar PNG, bukan arsip ZIP.",
        id="png-renamed-zip",
    ),
    pytest.param(
        "kursus.zip",
        b"bukan zip sama sekali",
        "Berkas ini bukan arsip ZIP, walaupun namanya berakhiran .zip.",
        id="text-renamed-zip",
    ),
    pytest.param(
        "pelajaran.md",
        EXE,
        "Berkas ini program (Windows), bukan berkas pelajaran Markdown.",
        id="exe-renamed-md",
    ),
    pytest.param(
        "kursus.tar.gz",
        b"\x1f\x8b\x08\x00",
        "Hanya berkas .zip, .md yang diterima di sini.",
        id="wrong-extension",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus/course.md", "isi " * 400)])[:-30],
        "Berkas ini bukan arsip ZIP yang sah (rusak atau tidak lengkap).",
        id="truncated-zip",
    ),
    pytest.param(
        "kursus.zip",
        corrupted_member_zip(),
        "Entri arsip “kursus/course.md” rusak dan tidak dapat dibongkar.",
        id="corrupted-member",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus/01-bom/01-bom.md", b"\x00" * (2 * 1024 * 1024))]),
        "Entri arsip “kursus/01-bom/01-bom.md” dimampatkan lebih dari 100 kali, "
        "seperti bom zip; paket ini ditolak.",
        id="zip-bomb",
    ),
    pytest.param(
        "kursus.zip",
        too_large_unpacked,
        "Setelah dibongkar, paket ini akan lebih besar dari 20 MB, batas yang "
        "diterima.",
        id="too-large-unpacked",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([(f"kursus/{i:03d}.md", b"a") for i in range(1, 502)]),
        "Paket ini berisi 501 entri; paling banyak 500 yang diterima.",
        id="too-many-files",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("../../luar.md", b"---\n")]),
        "Entri arsip “../../luar.md” menunjuk ke luar arsip (..); arsip seperti "
        "ini ditolak.",
        id="zip-slip-dotdot",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("/etc/cron.d/luar.md", b"---\n")]),
        "Entri arsip “/etc/cron.d/luar.md” memakai jalur absolut atau jalur "
        "Windows; arsip seperti ini ditolak.",
        id="zip-slip-absolute",
    ),
    pytest.param(
        "kursus.zip",
        symlink_zip(),
        "Entri arsip “kursus/course.md” adalah tautan (link); tautan ditolak.",
        id="symlink",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus/pasang.exe", EXE)]),
        "Berkas “kursus/pasang.exe” tidak diizinkan dalam paket kursus",
        id="disallowed-type",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus/course.md", "judul: Sí".encode("latin-1"))]),
        "Berkas “kursus/course.md” bukan teks UTF-8.",
        id="not-utf8",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus/gambar.png", HTML)]),
        "Berkas “kursus/gambar.png” bukan gambar .png.",
        id="html-renamed-png",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes([("kursus-uji/course.md", "tanpa front matter\n")]),
        "Kursus tidak diimpor: kursus-uji/course.md:1: front matter missing",
        id="malformed-course",
    ),
    pytest.param(
        "kursus.zip",
        zip_bytes(
            [
                (
                    "kursus-uji/course.md",
                    course_md(extra="\nx: &a [1, 2]\ny: *a"),
                )
            ]
        ),
        "Kursus tidak diimpor: kursus-uji/course.md:1: front matter is not valid "
        "YAML: YAML aliases (*name) are not allowed",
        id="yaml-alias-in-front-matter",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_PACKAGES)
def test_the_course_upload_refuses_bad_packages(instructor_client, name, data, message):
    pages = CoursePage.objects.count()
    response = upload_package(
        instructor_client, name, data() if callable(data) else data
    )
    assert_refused(response, message)
    assert CoursePage.objects.count() == pages
    assert not ModulePage.objects.exists()


def test_an_uploaded_export_creates_the_course(instructor_client, exported, seeded):
    data = zip_of_directory(exported, base=exported.parent)
    seeded.delete()
    response = upload_package(instructor_client, "dasar-kip.zip", data)
    assert response.status_code == 200
    assert 'id="report"' in response.content.decode()
    course = CoursePage.objects.live().get(slug="dasar-kip")
    assert ModulePage.objects.live().child_of(course).count() == 2
    assert LessonPage.objects.live().descendant_of(course).count() == 6
    assert course.get_latest_revision().user is not None


def test_a_zip_of_the_folder_contents_works_too_and_reimport_is_a_no_op(
    instructor_client, exported, seeded
):
    lessons = {p.slug: p.pk for p in LessonPage.objects.descendant_of(seeded)}
    data = zip_of_directory(exported, base=exported)  # course.md at the top
    response = upload_package(instructor_client, "dasar-kip.zip", data)
    assert response.status_code == 200
    assert escape("0 halaman dibuat, 0 diperbarui, 9 tidak berubah") in (
        response.content.decode()
    )
    assert {p.slug: p.pk for p in LessonPage.objects.descendant_of(seeded)} == lessons


def test_a_single_lesson_file_replaces_that_lesson_in_place(
    instructor_client, exported, seeded
):
    source = exported / "01-landasan-keterbukaan" / "01-istilah-kunci.md"
    lesson = LessonPage.objects.get(slug="istilah-kunci")
    text = source.read_text(encoding="utf-8")
    changed = text.replace(f"title: {lesson.title}", "title: Istilah Kunci (revisi)")
    assert changed != text
    response = upload_package(
        instructor_client, source.name, changed.encode(), course=seeded
    )
    assert response.status_code == 200
    lesson.refresh_from_db()
    assert lesson.title == "Istilah Kunci (revisi)"
    assert LessonPage.objects.descendant_of(seeded).count() == 6


def test_a_single_lesson_file_needs_a_course_and_a_known_lesson(
    instructor_client, exported, seeded
):
    source = exported / "01-landasan-keterbukaan" / "01-istilah-kunci.md"
    response = upload_package(instructor_client, source.name, source.read_bytes())
    assert_refused(response, "Pilih kursus yang pelajarannya diganti oleh berkas ini.")
    text = source.read_text(encoding="utf-8").replace(
        "slug: istilah-kunci", "slug: pelajaran-baru"
    )
    response = upload_package(
        instructor_client, "01-pelajaran-baru.md", text.encode(), course=seeded
    )
    assert_refused(
        response,
        f"Kursus tidak diimpor: Kursus {seeded.title} tidak memiliki pelajaran "
        "terbit pelajaran-baru.",
    )
    assert not LessonPage.objects.filter(slug="pelajaran-baru").exists()


def test_a_package_is_imported_whole_or_not_at_all(
    instructor_client, exported, seeded, monkeypatch, tmp_path
):
    second = tmp_path / "export" / "kursus-uji"
    shutil.copytree(exported, second)
    (second / "course.md").write_text(course_md(), encoding="utf-8")
    data = zip_of_directory(tmp_path / "export", base=tmp_path / "export")
    seeded.delete()

    import courses.services

    real_import, calls = courses.services.course_import, []

    def failing_second(**kwargs):
        calls.append(kwargs["spec"].slug)
        if len(calls) == 2:
            raise ValidationError("gagal menulis")
        return real_import(**kwargs)

    monkeypatch.setattr(courses.services, "course_import", failing_second)
    response = upload_package(instructor_client, "dua-kursus.zip", data)
    assert_refused(response, "Kursus tidak diimpor: gagal menulis")
    assert calls == ["dasar-kip", "kursus-uji"]
    assert not CoursePage.objects.filter(slug__in=calls).exists()
    assert not LessonPage.objects.exists()


# --- Who may upload course packages ------------------------------------------------


def test_instructors_and_administrators_see_the_course_upload(client, instructor):
    client.force_login(instructor)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert IMPORT_URL in client.get("/admin/").content.decode()
    client.force_login(UserFactory(admin=True))
    assert client.get(IMPORT_URL).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "learner", "coordinator"])
def test_others_are_sent_to_sign_in_and_import_nothing(
    client, office_tree, exported, seeded, role
):
    data = zip_of_directory(exported, base=exported.parent)
    seeded.delete()
    if role == "learner":
        client.force_login(UserFactory(office=office_tree.badung))
    elif role == "coordinator":
        client.force_login(
            UserFactory(office=office_tree.bali, coordinates=office_tree.bali)
        )
    for response in (
        client.get(IMPORT_URL),
        upload_package(client, "dasar-kip.zip", data),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/login/")
    assert not CoursePage.objects.filter(slug="dasar-kip").exists()


def test_admin_access_without_page_publishing_is_refused(client, exported, seeded):
    group = Group.objects.create(name="Hanya admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    data = zip_of_directory(exported, base=exported.parent)
    seeded.delete()
    for response in (
        client.get(IMPORT_URL),
        upload_package(client, "dasar-kip.zip", data),
    ):
        assert response.status_code in (302, 403)
        assert not response["Location"].startswith("/akun/login/")
    assert IMPORT_URL not in client.get("/admin/").content.decode()
    assert not CoursePage.objects.filter(slug="dasar-kip").exists()


# --- import_course PATH: the same checks ------------------------------------------


def test_import_course_takes_a_zip_through_the_same_checks(exported, seeded, tmp_path):
    package = tmp_path / "dasar-kip.zip"
    package.write_bytes(zip_of_directory(exported, base=exported.parent))
    seeded.delete()
    call_command("import_course", str(package))
    assert CoursePage.objects.live().filter(slug="dasar-kip").exists()

    slip = tmp_path / "slip.zip"
    slip.write_bytes(zip_bytes([("../luar.md", b"---\n")]))
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"points outside the archive"),
    ):
        call_command("import_course", str(slip))


def test_import_course_refuses_links_and_foreign_files_in_a_directory(
    exported, tmp_path
):
    (exported / "01-landasan-keterbukaan" / "pasang.exe").write_bytes(EXE)
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"pasang.exe.*is not allowed"),
    ):
        call_command("import_course", str(exported))
    (exported / "01-landasan-keterbukaan" / "pasang.exe").unlink()
    (exported / "02-kategori-informasi" / "04-rahasia.md").symlink_to("/etc/passwd")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"04-rahasia.md.*is a link"),
    ):
        call_command("import_course", str(exported))
