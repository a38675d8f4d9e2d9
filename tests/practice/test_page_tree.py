"""Where a scenario page may live: under a course or a module, with no children."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ModulePage,
)
from quizzes.practice.models import ScenarioPage


class ScenarioPageTreeTest(WagtailPageTestCase):
    def test_a_scenario_lives_under_a_course_or_a_module(self):
        self.assertCanCreateAt(CoursePage, ScenarioPage)
        self.assertCanCreateAt(ModulePage, ScenarioPage)
        self.assertAllowedParentPageTypes(ScenarioPage, {CoursePage, ModulePage})

    def test_a_scenario_lives_nowhere_else(self):
        for parent in (Page, HomePage, CourseIndexPage, LessonPage, ScenarioPage):
            self.assertCanNotCreateAt(parent, ScenarioPage)

    def test_a_scenario_has_no_children(self):
        self.assertAllowedSubpageTypes(ScenarioPage, set())
