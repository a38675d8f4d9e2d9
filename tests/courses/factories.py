"""Factories for course tests: offices, users, and the course page tree."""

import uuid

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from courses.models import CoursePage, LessonPage, ModulePage
from lms.offices.models import Office

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:02d}")
    level = Office.Level.PROVINCE
    region_name = factory.LazyAttribute(lambda o: f"Region {o.code}")
    name = factory.LazyAttribute(lambda o: f"KPU {o.region_name}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@kpu.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    employment_type = "pns"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def markdown_block(text="## Bagian\n\nIsi pelajaran."):
    return {"type": "markdown", "value": text, "id": str(uuid.uuid4())}


def check_block(correct=(0,), options=3, block_id=None):
    return {
        "type": "check",
        "id": block_id or str(uuid.uuid4()),
        "value": {
            "question": "Satuan hari apa yang dipakai Pasal 22 ayat (7)?",
            "options": [
                {
                    "text": f"Pilihan {i}",
                    "correct": i in correct,
                    "feedback": "Benar." if i in correct else "Keliru.",
                }
                for i in range(options)
            ],
            "explanation": "Pasal 22 ayat (7) UU 14/2008 menyebut hari kerja.",
        },
    }


def deadline_block(step="notice", start="2024-03-06", regime="general"):
    return {
        "type": "deadline",
        "id": str(uuid.uuid4()),
        "value": {
            "step": step,
            "start": start,
            "regime": regime,
            "caption": "Permohonan diterima Rabu, 6 Maret 2024 di KPU Gianyar.",
        },
    }


def citation_block(marker="V", quoted=True):
    return {
        "type": "citation",
        "id": str(uuid.uuid4()),
        "value": {
            "regulation": "UU 14/2008",
            "article": "Pasal 22 ayat (7)",
            "text": "… paling lambat 10 (sepuluh) hari kerja sejak diterimanya …",
            "quoted": quoted,
            "marker": marker,
            "source": "salinan UU 14/2008 (123dok)",
        },
    }


def callout_block(kind="mistake"):
    return {
        "type": "callout",
        "id": str(uuid.uuid4()),
        "value": {
            "kind": kind,
            "title": "Menghitung hari kalender",
            "text": "Tenggat Pasal 22 dihitung dalam **hari kerja**.",
        },
    }


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kursus {n}")
    slug = factory.Sequence(lambda n: f"kursus-{n}")
    summary = "Ringkasan kursus."
    objectives = "Memahami tenggat.\nMenerapkan asas."
    regulations = "UU 14/2008"
    audience = "both"
    hours = 2
    passing_score = 70
    allow_retake = True


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Modul {n}")
    slug = factory.Sequence(lambda n: f"modul-{n}")


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Pelajaran {n}")
    slug = factory.Sequence(lambda n: f"pelajaran-{n}")
    summary = "Ringkasan pelajaran."
    minutes = 5
    required = True
    body = factory.LazyFunction(lambda: [markdown_block()])


def course_with_lessons(catalogue, *, lessons=2, modules=1, **course_kwargs):
    """A published course with `modules` modules of `lessons` lessons each."""
    course = CoursePageFactory(parent=catalogue, **course_kwargs)
    for _m in range(modules):
        module = ModulePageFactory(parent=course)
        for _l in range(lessons):
            LessonPageFactory(parent=module)
    return CoursePage.objects.get(pk=course.pk)
