"""A seeded lesson page: light, self-contained, readable without JavaScript."""

import re

from django.core.management import call_command
from django.test import TestCase

from courses.models import LessonPage
from tests.factories import ensure_site_tree

from .test_import_export import CONTENT

BLOCK_MARKERS = {
    "markdown": 'class="prose',
    "citation": 'class="citation',
    "callout": 'class="callout',
    "deadline": 'class="deadline-example',
    "check": 'class="check-options',
}


class SeededLessonPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_site_tree()
        call_command("import_course", str(CONTENT))

    def test_every_seeded_lesson_weighs_under_200_kb_and_loads_nothing_external(self):
        lessons = LessonPage.objects.live()
        self.assertTrue(lessons.exists())
        for lesson in lessons:
            response = self.client.get(lesson.url)
            self.assertEqual(response.status_code, 200)
            html = response.content.decode()
            self.assertLess(len(response.content), 200_000, lesson.url)
            for tag in re.findall(r"<(?:script|link|iframe|img)\b[^>]*>", html):
                src = re.search(r'(?:src|href)="([^"]+)"', tag)
                self.assertTrue(src is None or src.group(1).startswith("/"), tag)
            self.assertEqual(html.count("<h1"), 1)

    def test_a_seeded_lesson_renders_every_imported_block_kind(self):
        lessons = {}
        for lesson in LessonPage.objects.live():
            for block in lesson.body:
                lessons.setdefault(block.block_type, lesson)
        self.assertLessEqual(set(BLOCK_MARKERS), set(lessons))
        for kind, lesson in lessons.items():
            html = self.client.get(lesson.url).content.decode()
            self.assertIn(BLOCK_MARKERS[kind], html, kind)
