"""Search over published lessons at /kursus/cari/?q= (Wagtail's database backend)."""

import pytest

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    course_with_lessons,
    markdown_block,
)


@pytest.fixture
def lessons(catalogue):
    course = course_with_lessons(catalogue, lessons=0, title="Keberatan dan Sengketa")
    module = ModulePageFactory(parent=course)
    live = LessonPageFactory(
        parent=module,
        title="Tenggat keberatan",
        body=[markdown_block("Atasan PPID menanggapi keberatan.")],
    )
    draft = LessonPageFactory(parent=module, title="Keberatan rahasia", live=False)
    return live, draft


def test_search_finds_published_lessons_only(client, lessons):
    live, draft = lessons
    response = client.get("/kursus/cari/", {"q": "keberatan"})
    assert response.status_code == 200
    results = list(response.context["results"].object_list)
    assert live in results and draft not in results
    assert response.context["courses"][live.pk].title == "Keberatan dan Sengketa"


def test_an_empty_search_shows_the_form(client, catalogue):
    response = client.get("/kursus/cari/")
    assert response.status_code == 200 and response.context["results"] is None
