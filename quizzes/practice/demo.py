"""Demo content: the six library scenarios, each published under its course.

Called by `seed_demo` after the courses are seeded (INSTALLED_APPS order). Each
scenario in quizzes/scenarios/library names its course by slug; a course that is
not there is skipped with a message. Idempotent: a page that exists (same slug under
the course) is updated in place and republished only when its content changed, so
learners' plays keep pointing at it.
"""

from __future__ import annotations

from courses.models import CourseIndexPage, CoursePage
from quizzes.scenarios import Scenario, load_library

from .adapters import page_values, scenario_data, scenario_from_data
from .models import ScenarioPage


def seed(stdout) -> None:
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        stdout.write("practice: no course catalogue (run migrate first); skipped")
        return
    courses = {c.slug: c for c in CoursePage.objects.child_of(catalogue)}
    for scenario in load_library():
        course = courses.get(scenario.course)
        if course is None:
            stdout.write(
                f"practice: course {scenario.course!r} not found; "
                f"scenario {scenario.slug!r} skipped"
            )
            continue
        stdout.write(f"practice: {_sync(course, scenario)} {scenario.slug}")


def _sync(course: CoursePage, scenario: Scenario) -> str:
    values = page_values(scenario)
    page = ScenarioPage.objects.child_of(course).filter(slug=scenario.slug).first()
    if page is None:
        page = ScenarioPage(live=False, **values)
        CoursePage.objects.get(pk=course.pk).add_child(instance=page)
        outcome = "created"
    else:
        current = scenario_from_data(scenario_data(page, course_slug=course.slug))
        if current == scenario and page.live and not page.has_unpublished_changes:
            return "unchanged"
        for name, value in values.items():
            setattr(page, name, value)
        outcome = "updated"
    # Publishing validates the scenario with the legal engine (ScenarioPage.clean).
    page.save_revision(log_action=True).publish()
    return outcome
