"""Demo content: the question bank in quizzes/content/*.yaml and a quiz per course.

`seed(stdout)` is called by the project's seed_demo after the courses exist. It is
idempotent (questions are keyed by their ID number and never replaced here; a
course that already has its quiz is left alone) and tolerant (a course page that
is not there is skipped with a message).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from .interchange import parse_bank_yaml
from .models import QuestionCategory, QuizDraw, QuizPage
from .services import bank_import

CONTENT = Path(__file__).resolve().parent / "content"
QUIZ_SLUG = "kuis-akhir"


def bank_files() -> list[Path]:
    return sorted(CONTENT.glob("*.yaml"))


def seed(stdout) -> None:
    from courses.models import CoursePage

    for path in bank_files():
        text = path.read_text(encoding="utf-8")
        bank = parse_bank_yaml(text)
        report = bank_import(bank=bank, replace_existing=False)
        stdout.write(
            f"Bank soal {path.name}: {len(report.created)} dibuat, "
            f"{len(report.unchanged)} sudah ada, {len(report.rejected)} ditolak"
        )
        for rejection in report.rejected:
            stdout.write(f"  ditolak: {rejection}")
        spec = (yaml.safe_load(text) or {}).get("quiz")
        if not spec:
            continue
        course = CoursePage.objects.filter(slug=spec["course"]).first()
        if course is None:
            stdout.write(f"  kursus '{spec['course']}' belum ada: kuis dilewati")
            continue
        if QuizPage.objects.child_of(course).filter(slug=QUIZ_SLUG).exists():
            stdout.write(f"  kuis untuk '{spec['course']}' sudah ada")
            continue
        category = QuestionCategory.objects.get(name=bank.questions[0].category.name)
        _create_quiz(course, category, spec)
        stdout.write(f"  kuis dibuat: {spec['title']}")


@transaction.atomic
def _create_quiz(course, category, spec: dict) -> QuizPage:
    draw = int(spec.get("draw", 10))
    quiz = QuizPage(
        title=spec["title"],
        slug=QUIZ_SLUG,
        intro=(
            f"<p>Kuis akhir kursus ini berisi {draw} soal yang diambil acak dari bank "
            "soal untuk setiap percobaan. Jawaban tersimpan otomatis; nilai tertinggi "
            "yang dihitung.</p>"
        ),
        selection=QuizPage.Selection.RANDOM,
        questions_per_page=5,
        time_limit_minutes=int(spec.get("time_limit_minutes", 30)),
        max_attempts=int(spec.get("max_attempts", 3)),
    )
    course.add_child(instance=quiz)
    QuizDraw.objects.create(quiz=quiz, category=category, count=draw, sort_order=0)
    quiz.save_revision().publish()
    return quiz
