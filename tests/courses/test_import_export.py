"""import_course / export_course: idempotent, progress-safe, and round-tripping."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from courses.content_format import ContentError, read_course, read_courses
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, ModulePage
from courses.selectors import course_export_spec
from courses.services import enrolment_self_create, lesson_complete

CONTENT = Path(__file__).resolve().parents[2] / "courses" / "content"
NOW = timezone.now()

COURSE_MD = """---
title: Contoh Kursus
slug: contoh-kursus
summary: Kursus contoh untuk menguji importir.
objectives:
  - Memahami tenggat pemberitahuan tertulis.
regulations:
  - UU 14/2008
audience: both
hours: 2
prerequisites: []
certificate_validity_months: null
allow_retake: true
passing_score: 70
search_keywords:
  - tenggat
---
Kursus ini memperkenalkan **tenggat** layanan informasi.
"""
MODULE_MD = """---
title: Permohonan Informasi
slug: permohonan
---
Modul tentang cara menerima permohonan.
"""
LESSON_MD = """---
title: Tenggat Pemberitahuan Tertulis
slug: tenggat-pemberitahuan
summary: Batas waktu PPID menjawab permohonan.
minutes: 5
required: true
---
## Sepuluh hari kerja

Badan publik wajib mengirim pemberitahuan tertulis.

```citation
regulation: UU 14/2008
article: Pasal 22 ayat (7)
text: |
  … paling lambat 10 (sepuluh) hari kerja sejak diterimanya permintaan …
quoted: true
marker: V
source: salinan UU 14/2008 (123dok)
```

```callout
kind: mistake
title: Menghitung hari kalender
text: |
  Tenggat Pasal 22 dihitung dalam **hari kerja**, bukan hari kalender.
```

```deadline
step: notice
start: 2024-03-06
regime: general
caption: Permohonan diterima Rabu, 6 Maret 2024 di KPU Kabupaten Gianyar.
```

```check
question: Satuan hari apa yang dipakai Pasal 22 ayat (7)?
options:
  - text: Hari kerja
    correct: true
    feedback: Benar.
  - text: Hari kalender
    correct: false
    feedback: Bukan; pasal ini menyebut hari kerja.
explanation: |
  Pasal 22 ayat (7) UU 14/2008 menyebut "10 (sepuluh) hari kerja".
```
"""
SECOND_LESSON_MD = """---
title: Pelajaran Kedua
slug: kedua
summary: Pelajaran kedua.
minutes: 3
---
Teks pelajaran kedua.

```python
# a code fence is not a special block
print("```check")
```
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def example(tmp_path):
    root = tmp_path / "content" / "contoh-kursus"
    write(root / "course.md", COURSE_MD)
    write(root / "01-permohonan" / "module.md", MODULE_MD)
    write(root / "01-permohonan" / "01-tenggat-pemberitahuan.md", LESSON_MD)
    write(root / "01-permohonan" / "02-kedua.md", SECOND_LESSON_MD)
    return root


def test_the_spec_example_yields_the_five_blocks_of_the_spec(example):
    spec = read_course(example)
    kinds = [kind for kind, _ in spec.modules[0].lessons[0].blocks]
    assert kinds == ["markdown", "citation", "callout", "deadline", "check"]
    markdown = spec.modules[0].lessons[0].blocks[0][1]
    assert markdown == (
        "## Sepuluh hari kerja\n\nBadan publik wajib mengirim pemberitahuan tertulis."
    )
    assert spec.modules[0].lessons[0].blocks[1][1]["text"].endswith("permintaan …\n")
    second = spec.modules[0].lessons[1]
    assert (
        second.blocks[0][0] == "markdown" and 'print("```check")' in second.blocks[0][1]
    )


BAD_LESSONS = {
    "unknown key": LESSON_MD.replace("minutes: 5", "minutes: 5\npasing_score: 3"),
    "level-1 heading": LESSON_MD.replace("## Sepuluh", "# Sepuluh"),
    "raw html": LESSON_MD.replace("Badan publik", "<b>Badan</b> publik"),
    "unclosed fence": LESSON_MD.rsplit("```", 1)[0],
    "marker R": LESSON_MD.replace("marker: V", "marker: R"),
    "election on objection": LESSON_MD.replace(
        "step: notice", "step: objection"
    ).replace("regime: general", "regime: election"),
    "start out of range": LESSON_MD.replace("2024-03-06", "2027-01-04"),
    "one option": LESSON_MD.replace(
        "  - text: Hari kalender\n    correct: false\n"
        "    feedback: Bukan; pasal ini menyebut hari kerja.\n",
        "",
    ),
    "no correct option": LESSON_MD.replace("correct: true", "correct: false"),
    "slug mismatch": LESSON_MD.replace("slug: tenggat-pemberitahuan", "slug: lain"),
    "minutes as text": LESSON_MD.replace("minutes: 5", "minutes: lima"),
    "missing block key": LESSON_MD.replace("source: salinan UU 14/2008 (123dok)\n", ""),
}


@pytest.mark.parametrize("case", sorted(BAD_LESSONS))
def test_the_importer_rejects_content_outside_the_format(example, case):
    write(example / "01-permohonan" / "01-tenggat-pemberitahuan.md", BAD_LESSONS[case])
    with pytest.raises(ContentError) as exc:
        read_course(example)
    assert "01-tenggat-pemberitahuan.md" in str(exc.value)


def test_block_errors_name_the_line_of_the_opening_fence(example):
    write(
        example / "01-permohonan" / "01-tenggat-pemberitahuan.md",
        BAD_LESSONS["marker R"],
    )
    with pytest.raises(ContentError) as exc:
        read_course(example)
    assert exc.value.line == LESSON_MD.split("\n").index("```citation") + 1


def test_stray_files_duplicate_prefixes_and_cycles_are_rejected(example, tmp_path):
    write(example / "notes.txt", "x")
    with pytest.raises(ContentError):
        read_course(example)
    (example / "notes.txt").unlink()
    write(example / "_draft.md", "ignored")  # reserved for drafts
    read_course(example)
    write(example / "01-permohonan" / "01-duplikat.md", SECOND_LESSON_MD)
    with pytest.raises(ContentError):
        read_course(example)


def test_unknown_prerequisites_and_cycles_are_rejected(example):
    course_md = example / "course.md"
    course_md.write_text(
        COURSE_MD.replace("prerequisites: []", "prerequisites: [tidak-ada]")
    )
    with pytest.raises(ContentError):
        read_courses(example.parent)
    course_md.write_text(
        COURSE_MD.replace("prerequisites: []", "prerequisites: [contoh-kursus]")
    )
    with pytest.raises(ContentError):
        read_courses(example.parent)


def test_import_is_idempotent_and_publishes(catalogue, example):
    call_command("import_course", str(example))
    course = CoursePage.objects.get(slug="contoh-kursus")
    assert course.live and course.url == "/kursus/contoh-kursus/"
    lesson = LessonPage.objects.get(slug="tenggat-pemberitahuan")
    assert lesson.live and [b.block_type for b in lesson.body] == [
        "markdown",
        "citation",
        "callout",
        "deadline",
        "check",
    ]
    revisions = lesson.revisions.count()
    call_command("import_course", str(example))
    assert CoursePage.objects.count() == 1 and LessonPage.objects.count() == 2
    assert lesson.revisions.count() == revisions  # nothing changed, nothing re-saved


def test_reimport_keeps_progress_and_unpublishes_removed_lessons(
    catalogue, example, learner
):
    call_command("import_course", str(example))
    course = CoursePage.objects.get(slug="contoh-kursus")
    lesson = LessonPage.objects.get(slug="tenggat-pemberitahuan")
    check_id = next(b.id for b in lesson.body if b.block_type == "check")
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)

    edited = LESSON_MD.replace("Badan publik wajib", "Setiap badan publik wajib")
    write(example / "01-permohonan" / "01-tenggat-pemberitahuan.md", edited)
    (example / "01-permohonan" / "02-kedua.md").unlink()
    call_command("import_course", str(example))

    lesson.refresh_from_db()
    assert "Setiap badan publik" in lesson.body[0].value
    assert next(b.id for b in lesson.body if b.block_type == "check") == check_id
    assert LessonProgress.objects.filter(
        lesson_id=lesson.pk, enrolment=enrolment
    ).exists()
    removed = LessonPage.objects.get(slug="kedua")
    assert not removed.live  # unpublished, not deleted
    assert Enrolment.objects.get().course_id == course.pk


def test_lessons_move_between_modules_in_place(catalogue, example):
    call_command("import_course", str(example))
    lesson_id = LessonPage.objects.get(slug="kedua").pk
    (example / "02-lanjutan").mkdir()
    shutil.move(
        example / "01-permohonan" / "02-kedua.md",
        example / "02-lanjutan" / "01-kedua.md",
    )
    write(
        example / "02-lanjutan" / "module.md",
        MODULE_MD.replace("permohonan", "lanjutan"),
    )
    call_command("import_course", str(example))
    moved = LessonPage.objects.get(slug="kedua")
    assert moved.pk == lesson_id
    assert moved.get_parent().slug == "lanjutan"
    assert list(
        ModulePage.objects.child_of(moved.get_parent().get_parent())
        .order_by("path")
        .values_list("slug", flat=True)
    ) == ["permohonan", "lanjutan"]


def test_a_bad_course_writes_nothing(catalogue, example):
    write(
        example / "01-permohonan" / "01-tenggat-pemberitahuan.md",
        BAD_LESSONS["raw html"],
    )
    with pytest.raises(CommandError):
        call_command("import_course", str(example))
    assert not CoursePage.objects.exists()


def test_dry_run_writes_nothing(catalogue, example, capsys):
    call_command("import_course", str(example), "--dry-run")
    assert not CoursePage.objects.exists()
    assert "tenggat-pemberitahuan" in capsys.readouterr().out


def test_round_trip_import_export_import(catalogue, example, tmp_path):
    call_command("import_course", str(example))
    course = CoursePage.objects.get(slug="contoh-kursus")
    exported = tmp_path / "export"
    call_command("export_course", "contoh-kursus", str(exported))
    # The exported files mean the same as the source files…
    assert read_course(exported / "contoh-kursus") == read_course(example)
    # …and importing them changes nothing.
    before = course_export_spec(course)
    revisions = {p.pk: p.revisions.count() for p in LessonPage.objects.all()}
    call_command("import_course", str(exported / "contoh-kursus"))
    assert course_export_spec(CoursePage.objects.get(pk=course.pk)) == before
    assert {p.pk: p.revisions.count() for p in LessonPage.objects.all()} == revisions


def test_the_real_curriculum_imports_and_round_trips(catalogue, tmp_path):
    specs = read_courses(CONTENT)
    assert specs, "courses/content has no course"
    call_command("import_course", str(CONTENT))
    for spec in specs:
        course = CoursePage.objects.get(slug=spec.slug)
        assert course_export_spec(course) == spec
    slug = specs[0].slug
    call_command("export_course", slug, str(tmp_path))
    assert read_course(tmp_path / slug) == specs[0]
