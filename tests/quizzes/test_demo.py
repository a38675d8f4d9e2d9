"""Demo content: a large bank, accurate to the engine; seeding is idempotent."""

import io
import re

import pytest

from courses.models import CoursePage
from quizzes import demo
from quizzes.interchange import parse_bank_yaml
from quizzes.models import Question, QuizPage

from .factories import catalogue

SLUGS = [
    "dasar-kip",
    "standar-layanan",
    "informasi-dikecualikan",
    "keberatan-sengketa",
    "layanan-informasi-pemilu",
]
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
]  # fmt: skip


def all_questions():
    return [
        q
        for path in demo.bank_files()
        for q in parse_bank_yaml(path.read_text()).questions
    ]


def test_the_bank_has_at_least_80_valid_questions_of_every_type():
    banks = [parse_bank_yaml(path.read_text()) for path in demo.bank_files()]
    assert all(not bank.rejected for bank in banks)
    questions = [q for bank in banks for q in bank.questions]
    assert len(questions) >= 80
    assert {q.kind for q in questions} == {
        "single",
        "multiple",
        "truefalse",
        "ordering",
        "matching",
        "date",
        "short",
    }
    ids = [q.external_id for q in questions]
    assert len(ids) == len(set(ids)) and all(ids)


def test_every_question_names_its_legal_basis_and_explains_with_a_pasal():
    for q in all_questions():
        assert q.legal_basis, q.name
        assert q.explanation, q.name
        identity = {"regulasi", "pkpu", "sejarah"} & set(q.tags)
        assert "Pasal" in q.explanation or identity, q.name


def test_secondary_sources_are_never_marked_verified():
    for q in all_questions():
        if (
            "PerKI 1/2019 Pasal" in q.legal_basis
            or "Pasal 22 ayat (8)" in q.legal_basis
        ):
            assert q.marker == "S", q.name


def test_date_explanations_state_the_date_the_engine_computes():
    from lms.kip import due_date

    dates = [q for q in all_questions() if q.kind == "date"]
    assert len(dates) >= 10
    years = set()
    for q in dates:
        due = due_date(q.kip_step, q.kip_start, regime=q.kip_regime)
        years.add(due.year)
        spoken = f"{due.day} {MONTHS[due.month - 1]} {due.year}"
        assert spoken in q.explanation, (q.name, spoken)
    assert {2024, 2025, 2026} <= years


@pytest.mark.django_db
def test_seeding_is_idempotent_and_skips_missing_courses():
    parent = catalogue()
    for slug in SLUGS[:4]:
        parent.add_child(
            instance=CoursePage(
                title=slug, slug=slug, summary="s", objectives="o", regulations="r"
            )
        )
    out = io.StringIO()
    demo.seed(out)
    assert "layanan-informasi-pemilu' belum ada" in out.getvalue()
    count = Question.objects.count()
    assert count >= 80
    assert QuizPage.objects.count() == 4
    for quiz in QuizPage.objects.all():
        assert quiz.draws.get().count == 10
        assert quiz.get_parent().specific_class is CoursePage

    again = io.StringIO()
    demo.seed(again)
    assert Question.objects.count() == count
    assert QuizPage.objects.count() == 4
    assert re.search(r"0 dibuat, \d+ sudah ada", again.getvalue())
