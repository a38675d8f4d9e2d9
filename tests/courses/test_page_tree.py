"""Where each page type may live in the tree, and the catalogue at /kursus/."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ModulePage,
)


def courses_subpage_types(model) -> set:
    return {m for m in model.allowed_subpage_models() if m._meta.app_label == "courses"}


class PageTreeRulesTest(WagtailPageTestCase):
    def test_the_catalogue_lives_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanNotCreateAt(Page, CourseIndexPage)
        self.assertCanNotCreateAt(CoursePage, CourseIndexPage)
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})

    def test_courses_live_in_the_catalogue(self):
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(CoursePage, CoursePage)
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_modules_live_in_courses_and_hold_lessons(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        # Other apps may add their own pages (quizzes: scenarios) under both.
        self.assertEqual(courses_subpage_types(CoursePage), {ModulePage})
        self.assertEqual(courses_subpage_types(ModulePage), {LessonPage})
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)

    def test_lessons_live_in_modules_and_are_leaves(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertAllowedSubpageTypes(LessonPage, set())


@pytest.mark.django_db
def test_the_migrations_create_the_catalogue_at_kursus(client):
    catalogue = CourseIndexPage.objects.get()
    assert catalogue.url == "/kursus/"
    assert catalogue.get_workflow().name == "Moderators approval"
    assert client.get("/kursus/").status_code == 200
