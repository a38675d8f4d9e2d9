"""Journey of a provincial coordinator, in the Indonesian interface, in a real browser.

Sign in; import staff from a CSV whose one bad row the preview names; cancel, upload
the corrected file and confirm; assign a course to two offices; watch the dashboard
figures change once a learner completes; download the learner export as XLSX. The
dashboard and the import preview pass axe-core without serious violations.
"""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import CourseIndexPage, Enrolment, LessonPage
from courses.services import lesson_complete
from dashboard.models import StatsState
from lms.accounts.models import User
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.courses.factories import course_with_lessons
from tests.factories import TEST_PASSWORD, UserFactory, build_office_tree

pytestmark = [pytest.mark.browser, pytest.mark.services]

HEADER = "nama;email;nip;jenis_kepegawaian;kode_kantor\n"
SARI = "Ni Luh Putu Sari;sari@example.org;199001012015032001;PNS;51.03\n"
WIRAWAN = "Made Wirawan;wirawan@example.org;;magang;51.71\n"
# Two problems in one row: a 16-digit NIP, and Klaten is outside Bali.
BUDI_BAD = "Budi Santoso;budi@example.org;1985050520100110;PNS;33.10\n"
BUDI_FIXED = "Budi Santoso;budi@example.org;198505052010011002;PNS;51.71\n"
IMPORTED = {"sari@example.org", "wirawan@example.org", "budi@example.org"}

EXPORT_HEADER = [
    "Nama",
    "Email",
    "NIP",
    "Jenis kepegawaian",
    "Kode kantor",
    "Kantor",
    "Kursus",
    "Sumber",
    "Terdaftar pada",
    "Tenggat",
    "Percobaan",
    "Selesai pada",
    "Nilai",
    "Status",
]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def upload(page, base_url, path):
    page.goto(f"{base_url}/koordinator/staf/impor/")
    page.get_by_label("Berkas CSV").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url("**/koordinator/staf/impor/*/")


def import_count(page, label):
    """A number of the import preview's or result's summary, by its label."""
    item = page.get_by_role("list", name="Ringkasan").get_by_role("listitem")
    return int(item.filter(has_text=label).locator("strong").inner_text())


def summary_figure(page, label):
    """A figure of the dashboard's key figures, by the label under it."""
    name = page.locator(".figure-label").get_by_text(label, exact=True)
    item = page.locator(".dash-figures li").filter(has=name)
    return int(item.locator(".figure").inner_text().replace(".", ""))


def course_table_row(page, title):
    """A course's row in the dashboard's "Per kursus" table."""
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Per kursus")
    )
    return section.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=title)
    )


def course_row(page, title):
    """The cells (enrolled, completed, rate, overdue, …) of a course's row."""
    cells = course_table_row(page, title).get_by_role("cell").all_inner_texts()
    return [c.strip() for c in cells]


def recalculate(page):
    page.get_by_role("button", name="Hitung ulang sekarang").click()
    page.get_by_text("Angka sedang dihitung ulang").wait_for()


def test_a_coordinator_imports_staff_assigns_a_course_and_exports_progress(
    page, live_server, tmp_path, mailoutbox
):
    base = live_server.url
    tree = build_office_tree()
    coordinator = UserFactory(
        email="koordinator.bali@example.org",
        full_name="Koordinator Bali",
        office=tree.bali,
        coordinates=tree.bali,
    )
    course = course_with_lessons(
        CourseIndexPage.objects.get(), lessons=1, title="Dasar Keterbukaan Informasi"
    )
    users_before = User.objects.count()
    sign_in(page, base, coordinator.email, TEST_PASSWORD)

    # 1. A file with one bad row: the preview names both of its problems.
    bad = tmp_path / "pegawai-bali.csv"
    bad.write_text(HEADER + SARI + WIRAWAN + BUDI_BAD, encoding="utf-8")
    upload(page, base, bad)
    assert import_count(page, "akun baru") == 2
    assert import_count(page, "baris bermasalah") == 1
    budi = page.get_by_role("row").filter(has_text="budi@example.org")
    assert "Dilewati" in budi.inner_text()
    assert "NIP “1985050520100110” tidak terdiri atas 18 digit." in budi.inner_text()
    assert "Kantor 33.10 (KPU Kabupaten Klaten) berada di luar kantor" in (
        budi.inner_text()
    )
    sari = page.get_by_role("row").filter(has_text="sari@example.org")
    assert "Baru" in sari.inner_text()
    assert_accessible(page)
    assert User.objects.count() == users_before, "the preview saved nothing"

    # 2. Cancel, upload the corrected file, confirm.
    page.get_by_role("button", name="Batal").click()
    page.get_by_text("Impor dibatalkan. Tidak ada data yang diimpor.").wait_for()
    fixed = tmp_path / "pegawai-bali-perbaikan.csv"
    fixed.write_text(HEADER + SARI + WIRAWAN + BUDI_FIXED, encoding="utf-8")
    upload(page, base, fixed)
    assert "Dilewati" not in page.locator("table").inner_text()
    page.get_by_role("button", name="Impor 3 baris").click()
    page.get_by_text("Impor selesai: 3 baru, 0 diperbarui, 0 dilewati.").wait_for()

    imported = {u.email: u for u in User.objects.filter(email__in=IMPORTED)}
    assert set(imported) == IMPORTED
    assert imported["sari@example.org"].office == tree.badung
    assert imported["budi@example.org"].office == tree.denpasar
    assert imported["budi@example.org"].nip == "198505052010011002"
    assert imported["wirawan@example.org"].employment_type == User.EmploymentType.MAGANG
    invited = {m.to[0] for m in mailoutbox}
    assert invited >= IMPORTED, "each new account is invited"

    page.get_by_role("link", name="Ke daftar pegawai").click()
    staff = page.locator("table").inner_text()
    for name in ("Ni Luh Putu Sari", "Made Wirawan", "Budi Santoso"):
        assert name in staff

    # 3. The dashboard before any assignment.
    page.goto(f"{base}/koordinator/")
    page.get_by_text("Angka belum dihitung.").wait_for()
    recalculate(page)
    assert summary_figure(page, "ditugaskan") == 0
    assert summary_figure(page, "pendaftaran") == 0

    # 4. Assign the course to Badung, then to Denpasar, in the assignment page.
    page.get_by_role("link", name="Tugaskan kursus").click()
    due = timezone.localdate() + datetime.timedelta(days=30)
    for office, message in [
        (tree.badung, "1 baru, 0 sudah ditugaskan."),
        (tree.denpasar, "2 baru, 0 sudah ditugaskan."),
    ]:
        page.get_by_label(re.compile(r"^Kursus\b")).select_option(label=course.title)
        page.get_by_label(re.compile(r"^Kantor\b")).select_option(label=office.name)
        page.get_by_label(re.compile(r"^Tenggat\b")).fill(due.isoformat())
        page.get_by_role("button", name="Tugaskan", exact=True).click()
        page.get_by_text(message).wait_for()
    listing = page.get_by_role("table").inner_text()
    assert "KPU Kabupaten Badung" in listing and "KPU Kota Denpasar" in listing
    assert Enrolment.objects.filter(course=course).count() == 3

    # 5. One learner completes the course (the lesson done, through the service).
    enrolment = Enrolment.objects.get(course=course, user=imported["sari@example.org"])
    lesson = LessonPage.objects.descendant_of(course).get()
    assert lesson_complete(
        enrolment=enrolment, lesson=lesson, now=timezone.now()
    ).newly_completed

    # 6. The figures, recalculated: the button refuses figures under a minute old,
    # so let the last calculation be five minutes old, as time would.
    StatsState.objects.filter(pk=1).update(
        refreshed_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page.goto(f"{base}/koordinator/")
    recalculate(page)
    assert summary_figure(page, "ditugaskan") == 3
    assert summary_figure(page, "pendaftaran") == 3
    enrolled, completed, rate, overdue, *_rest = course_row(page, course.title)
    assert (enrolled, completed, rate, overdue) == ("3", "1", "33 %", "0")
    assert_accessible(page)

    # 7. The learners' completion, exported as XLSX.
    with page.expect_download() as download_info:
        page.locator(".dash-downloads li").filter(
            has_text="Penyelesaian per peserta"
        ).get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved, read_only=True).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == EXPORT_HEADER
    by_email = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_email) == IMPORTED
    assert {r["Kursus"] for r in by_email.values()} == {course.title}
    assert {r["Sumber"] for r in by_email.values()} == {"Ditugaskan"}
    assert by_email["sari@example.org"]["Status"] == "Selesai"
    assert by_email["sari@example.org"]["Selesai pada"] is not None
    assert by_email["budi@example.org"]["Status"] == "Sedang berlangsung"
    assert by_email["budi@example.org"]["Kode kantor"] == "51.71"

    # 8. From the course's enrolled figure to the list of its learners.
    course_table_row(page, course.title).get_by_role("link", name="3").first.click()
    page.wait_for_url("**/koordinator/peserta/*")
    learners = page.get_by_role("table").inner_text()
    for name in ("Ni Luh Putu Sari", "Made Wirawan", "Budi Santoso"):
        assert name in learners
