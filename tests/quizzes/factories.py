"""Factories for quiz tests: learners, the course tree, questions of each kind."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from courses.models import CourseIndexPage, CoursePage, Enrolment, ModulePage
from quizzes.models import (
    Choice,
    Question,
    QuestionCategory,
    QuizDraw,
    QuizPage,
    QuizQuestion,
)
from tests.factories import ensure_site_tree

PASSWORD = "kuis-sandi-yang-panjang-2024"  # noqa: S105
_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"peserta{n}@kpu.go.id")
    full_name = factory.Sequence(lambda n: f"Peserta {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory

    name = factory.Sequence(lambda n: f"Kategori {n}")
    regulation = QuestionCategory.Regulation.UU_KIP
    topic = "Tenggat"


def catalogue() -> CourseIndexPage:
    return ensure_site_tree()


def course_tree(*, slug: str | None = None, passing_score: int = 70):
    """A published course with one module; returns (course, module)."""
    n = next(_seq)
    course = catalogue().add_child(
        instance=CoursePage(
            title=f"Kursus {n}",
            slug=slug or f"kursus-kuis-{n}",
            summary="Ringkasan.",
            objectives="Memahami tenggat.",
            regulations="UU 14/2008",
            passing_score=passing_score,
        )
    )
    module = course.add_child(
        instance=ModulePage(title=f"Modul {n}", slug=f"modul-{n}")
    )
    return CoursePage.objects.get(pk=course.pk), module


def enrol(user, course) -> Enrolment:
    return Enrolment.objects.create(user=user, course=course)


def question(kind: str, *, category=None, choices=(), points=1, **fields) -> Question:
    """A question with options given as dicts of Choice fields."""
    n = next(_seq)
    q = Question(
        category=category or CategoryFactory(),
        kind=kind,
        name=fields.pop("name", f"Soal {n}"),
        text=fields.pop("text", f"Teks soal nomor {n}?"),
        points=points,
        explanation=fields.pop("explanation", f"Penjelasan rahasia {n} (Pasal 22)."),
        legal_basis=fields.pop("legal_basis", "UU 14/2008 Pasal 22 ayat (7)"),
        **fields,
    )
    q.save()
    for order, spec in enumerate(choices):
        Choice.objects.create(question=q, sort_order=order, **spec)
    return q


def single(category=None, *, right=1, options=4, points=1, **fields) -> Question:
    n = next(_seq)
    return question(
        "single",
        category=category,
        points=points,
        choices=[
            {
                "text": f"Pilihan {n}-{i}",
                "is_correct": i == right,
                "feedback": f"Umpan balik rahasia {n}-{i}",
            }
            for i in range(options)
        ],
        **fields,
    )


def multiple(category=None, *, right=(0, 2), options=4) -> Question:
    n = next(_seq)
    return question(
        "multiple",
        category=category,
        choices=[
            {
                "text": f"Jawaban {n}-{i}",
                "is_correct": i in right,
                "feedback": f"FB {n}-{i}",
            }
            for i in range(options)
        ],
    )


def true_false(category=None, *, answer=True) -> Question:
    return question(
        "truefalse",
        category=category,
        choices=[
            {"text": "Benar", "is_correct": answer, "feedback": "Umpan benar"},
            {"text": "Salah", "is_correct": not answer, "feedback": "Umpan salah"},
        ],
    )


def ordering(category=None, steps=4) -> Question:
    n = next(_seq)
    return question(
        "ordering",
        category=category,
        choices=[{"text": f"Langkah {n}-{i}"} for i in range(steps)],
    )


def matching(category=None) -> Question:
    n = next(_seq)
    return question(
        "matching",
        category=category,
        choices=[
            {"text": f"Laporan keuangan {n}", "match_text": "Informasi berkala"},
            {"text": f"Ancaman bencana {n}", "match_text": "Informasi serta merta"},
            {"text": f"Rekam medis {n}", "match_text": "Informasi dikecualikan"},
            {"text": "", "match_text": "Informasi rahasia negara"},
        ],
    )


def date_question(category=None, **fields) -> Question:
    fields.setdefault("kip_step", "notice")
    fields.setdefault("kip_start", datetime.date(2024, 4, 3))
    fields.setdefault("kip_regime", "general")
    return question("date", category=category, **fields)


def short(category=None, accepted=("Atasan PPID", "atasan pejabat PPID")) -> Question:
    return question(
        "short",
        category=category,
        choices=[{"text": a, "is_correct": True} for a in accepted],
    )


def quiz_page(parent, questions=(), *, draws=(), **fields) -> QuizPage:
    n = next(_seq)
    fields.setdefault("title", f"Kuis {n}")
    fields.setdefault("slug", f"kuis-{n}")
    fields.setdefault("selection", "random" if draws else "fixed")
    quiz = parent.add_child(instance=QuizPage(**fields))
    for order, q in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=q, sort_order=order)
    for order, (category, count) in enumerate(draws):
        QuizDraw.objects.create(
            quiz=quiz, category=category, count=count, sort_order=order
        )
    return QuizPage.objects.get(pk=quiz.pk)


def one_of_each(category=None) -> list[Question]:
    category = category or CategoryFactory()
    return [
        single(category),
        multiple(category),
        true_false(category),
        ordering(category),
        matching(category),
        date_question(category),
        short(category),
    ]
