"""Shared steps of the learner's browser journeys.

`build_assigned_course()` makes what a coordinator and an instructor would have
made: a small course of real Wagtail pages (one module with two lessons, a quiz
of five questions of different kinds, the Gianyar library scenario), assigned to
the learner's office. The steps below drive the browser as the learner does: they
click links and buttons by their visible names. The right answers come from the
database (the attempt's layout, the question bank) and from the scenario engine,
never from the page.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page

from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import course_assign
from lms.accounts.models import User
from lms.offices.models import Office
from quizzes.models import (
    Attempt,
    Choice,
    Question,
    QuestionCategory,
    QuizPage,
    QuizQuestion,
)
from quizzes.practice.adapters import page_values
from quizzes.practice.models import ScenarioPage, ScenarioPlay
from quizzes.scenarios import load_library
from tests.factories import UserFactory, build_office_tree, ensure_site_tree
from tests.practice.helpers import best_post

SCENARIO_SLUG = "permohonan-tepat-waktu-gianyar"
LEARNER_NAME = "Ni Kadek Sekar Arini"
LEARNER_EMAIL = "sekar.arini@example.org"
LEARNER_NIP = "198503152010122003"
COURSE_TITLE = "Melayani Permohonan Informasi"


@dataclass(frozen=True)
class AssignedCourse:
    course: CoursePage
    lessons: tuple[LessonPage, ...]
    quiz: QuizPage
    scenario: ScenarioPage
    learner: User
    office: Office


# Visible texts the journey clicks or expects, per interface language.
TEXTS = {
    "id": {
        "my_learning": "Pembelajaran saya",
        "assigned": "Ditugaskan kepada Anda",
        "due": "Tenggat",
        "start_first_lesson": "Mulai pelajaran pertama",
        "mark_done_and_continue": "Tandai selesai dan lanjutkan",
        "mark_done": "Tandai selesai",
        "lesson_done": "Anda telah menyelesaikan pelajaran ini.",
        "resume": "Lanjutkan dari bagian terakhir",
        "rules": "Ketentuan",
        "start_quiz": "Mulai kuis",
        "next": "Berikutnya",
        "submit_quiz": "Kirim jawaban",
        "passed": "lulus",
        "autosaved": "Tersimpan",
        "review": "Tinjauan percobaan ke-1",
        "back_to_quiz": "Kembali ke kuis",
        "case_exercise": "Latihan kasus",
        "start_case": "Mulai kasus",
        "submit_step": "Kirim jawaban",
        "path_taken": "Jalur yang Anda tempuh",
        "back_to_course": "Kembali ke kursus",
        "completed": "Selesai",
        "view_certificate": "Lihat sertifikat",
        "my_certificates": "Sertifikat saya",
        "valid_badge": "Berlaku",
        "genuine": "Sertifikat ini asli dan berlaku.",
        "verify_title": "Verifikasi sertifikat",
        "holder": "Pemegang",
        "issued_by": "Diterbitkan oleh",
    },
    "en": {
        "my_learning": "My learning",
        "assigned": "Assigned to you",
        "due": "Due",
        "start_first_lesson": "Start the first lesson",
        "mark_done_and_continue": "Mark as done and continue",
        "mark_done": "Mark as done",
        "lesson_done": "You have completed this lesson.",
        "resume": "Continue where you left off",
        "rules": "Rules",
        "start_quiz": "Start the quiz",
        "next": "Next",
        "submit_quiz": "Submit answers",
        "passed": "passed",
        "autosaved": "Saved",
        "review": "Review of attempt 1",
        "back_to_quiz": "Back to the quiz",
        "case_exercise": "Case exercise",
        "start_case": "Start the case",
        "submit_step": "Submit answer",
        "path_taken": "The path you took",
        "back_to_course": "Back to the course",
        "completed": "Completed",
        "view_certificate": "View certificate",
        "my_certificates": "My certificates",
        "valid_badge": "Valid",
        "genuine": "This certificate is genuine and valid.",
        "verify_title": "Verify a certificate",
        "holder": "Holder",
        "issued_by": "Issued by",
    },
}


# --- Content ------------------------------------------------------------------------


def _publish(parent: Page, page: Page) -> Page:
    """Add `page` under `parent` as a draft and publish it through a revision, as an
    editor does in the admin (publishing runs the page's own validation)."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _markdown(text: str) -> dict:
    return {"type": "markdown", "value": text}


def _callout(title: str, text: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": "mistake", "title": title, "text": text},
    }


def _questions() -> list[Question]:
    category = QuestionCategory.objects.create(
        name="Layanan permohonan (uji jelajah)",
        regulation=QuestionCategory.Regulation.UU_KIP,
        topic="Permohonan informasi",
    )

    def make(kind: str, name: str, text: str, choices=(), **fields) -> Question:
        question = Question.objects.create(
            category=category,
            kind=kind,
            name=name,
            text=text,
            legal_basis=fields.pop("legal_basis", "UU 14/2008"),
            **fields,
        )
        for order, choice in enumerate(choices):
            Choice.objects.create(question=question, sort_order=order, **choice)
        return question

    return [
        make(
            "single",
            "Batas pemberitahuan tertulis",
            "Paling lambat berapa lama Badan Publik wajib menyampaikan "
            "pemberitahuan tertulis atas permohonan informasi?",
            [
                {"text": "10 hari kerja sejak permohonan diterima", "is_correct": True},
                {"text": "7 hari kerja sejak permohonan diterima"},
                {"text": "14 hari kalender sejak permohonan diterima"},
                {"text": "30 hari kalender sejak permohonan diterima"},
            ],
            legal_basis="UU 14/2008 Pasal 22 ayat (7)",
        ),
        make(
            "multiple",
            "Isi pencatatan permohonan",
            "Apa saja yang dicatat Badan Publik saat menerima permohonan?",
            [
                {"text": "Nama dan alamat pemohon", "is_correct": True},
                {"text": "Subjek dan format informasi", "is_correct": True},
                {"text": "Agama dan suku pemohon"},
                {"text": "Cara penyampaian informasi", "is_correct": True},
            ],
            legal_basis="UU 14/2008 Pasal 22 ayat (4)",
        ),
        make(
            "matching",
            "Jenis informasi",
            "Pasangkan setiap informasi dengan jenisnya.",
            [
                {
                    "text": "Laporan keuangan tahunan",
                    "match_text": "Informasi berkala",
                },
                {
                    "text": "Peringatan dini bencana alam",
                    "match_text": "Informasi serta merta",
                },
                {
                    "text": "Rekam medis seseorang",
                    "match_text": "Informasi yang dikecualikan",
                },
                {"text": "", "match_text": "Informasi tersedia setiap saat"},
            ],
            legal_basis="UU 14/2008 Pasal 9, 10 dan 17",
        ),
        make(
            "date",
            "Tenggat pemberitahuan (Nyepi 2024)",
            "Permohonan diterima Rabu, 6 Maret 2024. Kapan batas akhir "
            "pemberitahuan tertulis?",
            kip_step="notice",
            kip_start=datetime.date(2024, 3, 6),
            kip_regime="general",
            legal_basis="UU 14/2008 Pasal 22 ayat (7)",
        ),
        make(
            "short",
            "Tujuan keberatan",
            "Kepada siapa pemohon mengajukan keberatan secara tertulis?",
            [
                {"text": "Atasan PPID", "is_correct": True},
                {"text": "atasan Pejabat Pengelola Informasi", "is_correct": True},
            ],
            legal_basis="UU 14/2008 Pasal 36",
        ),
    ]


def build_assigned_course(*, due_in_days: int = 14) -> AssignedCourse:
    """The learner (PNS at KPU Kabupaten Badung) and a course assigned to Badung."""
    tree = build_office_tree()
    learner = UserFactory(
        email=LEARNER_EMAIL,
        full_name=LEARNER_NAME,
        nip=LEARNER_NIP,
        office=tree.badung,
        employment_type=User.EmploymentType.PNS,
    )
    coordinator = UserFactory(office=tree.bali, coordinates=tree.bali)

    catalogue = ensure_site_tree()
    course = _publish(
        catalogue,
        CoursePage(
            title=COURSE_TITLE,
            slug="melayani-permohonan",
            summary="Menerima, mencatat dan menjawab permohonan informasi tepat waktu.",
            objectives="Mencatat permohonan.\nMenghitung tenggat dalam hari kerja.",
            regulations="UU 14/2008\nPerKI 1/2021",
            hours=4,
            passing_score=70,
        ),
    )
    module = _publish(
        course, ModulePage(title="Permohonan masuk", slug="permohonan-masuk")
    )
    lessons = (
        _publish(
            module,
            LessonPage(
                title="Mencatat permohonan",
                slug="mencatat-permohonan",
                summary="Register permohonan dan nomor pendaftaran.",
                minutes=4,
                body=[
                    _markdown(
                        "## Register permohonan\n\nSetiap permohonan dicatat: nama dan "
                        "alamat pemohon, subjek dan format informasi, serta cara "
                        "penyampaiannya (UU 14/2008 Pasal 22 ayat (4))."
                    )
                ],
            ),
        ),
        _publish(
            module,
            LessonPage(
                title="Menghitung tenggat",
                slug="menghitung-tenggat",
                summary="Sepuluh hari kerja, bukan hari kalender.",
                minutes=5,
                body=[
                    _markdown(
                        "## Hari kerja\n\nPemberitahuan tertulis paling lambat 10 hari "
                        "kerja sejak permohonan diterima."
                    ),
                    _callout(
                        "Menghitung hari kalender",
                        "Hari libur nasional dan cuti bersama **tidak** dihitung.",
                    ),
                ],
            ),
        ),
    )

    quiz = QuizPage(
        title="Kuis layanan permohonan",
        slug="kuis-layanan-permohonan",
        intro="<p>Lima soal tentang menerima dan menjawab permohonan.</p>",
        selection=QuizPage.Selection.FIXED,
        questions_per_page=3,
        max_attempts=3,
    )
    quiz.live = False
    course.add_child(instance=quiz)
    for order, question in enumerate(_questions()):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    QuizPage.objects.get(pk=quiz.pk).save_revision().publish()
    quiz = QuizPage.objects.get(pk=quiz.pk)

    library = {s.slug: s for s in load_library()}
    scenario = _publish(
        CoursePage.objects.get(pk=course.pk),
        ScenarioPage(**page_values(library[SCENARIO_SLUG])),
    )

    course = CoursePage.objects.get(pk=course.pk)
    course_assign(
        course=course,
        office=tree.badung,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        assigned_by=coordinator,
        now=timezone.now(),
    )
    return AssignedCourse(
        course=course,
        lessons=lessons,
        quiz=quiz,
        scenario=scenario,
        learner=learner,
        office=tree.badung,
    )


# --- Browser steps ------------------------------------------------------------------


def watch_console(page) -> list[str]:
    """Collect the errors the browser reports while the journey runs: script
    errors, and anything the Content Security Policy refused to load or run."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and errors.append(f"{message.text} ({message.location.get('url')})")
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def click_and_wait(page, locator) -> None:
    """Click something that submits a form or follows a link, and wait for the page
    that comes back (after any redirects)."""
    with page.expect_navigation():
        locator.click()


def read_lessons(page, texts: dict, lessons) -> None:
    """From the course page: start the first lesson, mark each lesson done."""
    click_and_wait(page, page.get_by_role("link", name=texts["start_first_lesson"]))
    for index, lesson in enumerate(lessons):
        assert page.locator("h1").inner_text() == lesson.title
        last = index == len(lessons) - 1
        name = texts["mark_done"] if last else texts["mark_done_and_continue"]
        click_and_wait(page, page.get_by_role("button", name=name, exact=True))
    # After the last lesson the learner is back on the course page.


def answer_slot(page, entry: dict) -> None:
    """Give the right answer to one slot of an attempt, found in the database."""
    question = Question.objects.get(pk=entry["q"])
    choices = list(question.choices.order_by("sort_order"))
    field = f"q{entry['slot']}"
    token_of = {choice_id: token for token, choice_id in entry["opts"]}
    kind = entry["kind"]
    if kind in ("single", "truefalse", "multiple"):
        for choice in choices:
            box = page.locator(f"input[name={field}][value='{token_of[choice.pk]}']")
            if choice.is_correct:
                box.check()
            elif kind == "multiple":
                box.uncheck()
    elif kind == "ordering":
        for position, choice in enumerate(choices, start=1):
            page.select_option(f"#{field}-{token_of[choice.pk]}", str(position))
    elif kind == "matching":
        answer_token = {text: token for token, text in entry["answers"]}
        for choice in choices:
            if choice.text.strip():
                page.select_option(
                    f"#{field}-{token_of[choice.pk]}",
                    answer_token[choice.match_text.strip()],
                )
    elif kind == "date":
        page.fill(f"#{field}", question.expected_date().isoformat())
    else:
        page.fill(f"#{field}", next(c.text for c in choices if c.is_correct))


def open_attempt(user, quiz) -> Attempt:
    return Attempt.objects.get(user=user, quiz=quiz, state=Attempt.State.IN_PROGRESS)


def answer_shown_questions(page, attempt: Attempt) -> list[int]:
    """Answer every question on the current page; returns the slots answered."""
    slots = [int(s) for s in page.locator("input[name=slots]").input_value().split(",")]
    by_slot = {entry["slot"]: entry for entry in attempt.layout}
    for slot in slots:
        answer_slot(page, by_slot[slot])
    return slots


def submit_quiz(page, texts: dict) -> None:
    page.once("dialog", lambda dialog: dialog.accept())  # "Submit your answers?"
    click_and_wait(page, page.get_by_role("button", name=texts["submit_quiz"]))


def answer_step(page, scenario, texts: dict) -> str:
    """Give the best answer to the step shown, from the scenario and the legal
    engine; returns the step id."""
    form = page.locator("form.practice-step")
    step_id = form.locator("input[name=step]").input_value()
    answer = best_post(scenario, step_id)
    for name, value in answer.items():
        if name == "step":
            continue
        if name == "choice":
            form.locator(f"input[name=choice][value='{value}']").check()
        elif name == "date":
            form.locator("input[name=date]").fill(value)
        elif name == "element":
            for box in form.locator("input[name=element]").all():
                if box.get_attribute("value") in value:
                    box.check()
                else:
                    box.uncheck()
        else:  # a classification item
            form.locator(f"select[name='{name}']").select_option(value)
    click_and_wait(page, form.get_by_role("button", name=texts["submit_step"]))
    return step_id


def play_of(page) -> ScenarioPlay:
    match = re.search(r"/latihan/(?:main|hasil)/(\d+)/", page.url)
    assert match, page.url
    return ScenarioPlay.objects.get(pk=int(match.group(1)))


# --- The certificate PDF ------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages
    )


_QR_RUN = re.compile(r"^(\d+) (\d+) (\d+) 1 re$")


def qr_matrix(data: bytes) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, read back from the PDF's drawing operators.

    certificates.rendering draws the code as one `x y w 1 re` rectangle per run of
    dark modules, in module units with a two-module quiet zone, rows counted from
    the bottom. The symbol's size is the extent of the runs.
    """
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    runs = [
        tuple(int(n) for n in match.groups())
        for line in content.decode("latin-1").splitlines()
        if (match := _QR_RUN.match(line.strip()))
    ]
    assert runs, "no QR code modules found in the PDF"
    border = min(x for x, _y, _w in runs)
    size = max(x + w for x, _y, w in runs) - border
    top = max(y for _x, y, _w in runs)
    dark = set()
    for x, y, w in runs:
        for col in range(x, x + w):
            dark.add((top - y, col - border))
    return tuple(
        tuple((row, col) in dark for col in range(size)) for row in range(size)
    )


def qr_encodes(data: bytes, url: str) -> bool:
    """Whether the PDF's QR code is the symbol for `url` (byte mode, level M: the
    parameters certificates.rendering uses; segno picks the mask deterministically)."""
    expected = tuple(
        tuple(bool(module) for module in row)
        for row in segno.make(url, error="m", micro=False).matrix
    )
    return qr_matrix(data) == expected


def verification_path(url: str) -> str:
    return urlsplit(url).path
