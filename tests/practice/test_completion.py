"""A required scenario is part of the course's completion rule."""

import pytest

from courses.models import CourseCompletion
from courses.selectors import enrolment_progress
from courses.services import lesson_complete
from quizzes.practice import services
from quizzes.practice.adapters import kip_oracle
from quizzes.practice.selectors import scenario_requirements
from tests.courses.factories import LessonPageFactory

from .factories import NOW, UserFactory, course_tree, enrol, scenario_page
from .helpers import best_post, worst_post
from .test_views import post_value

pytestmark = pytest.mark.django_db


def play_through(user, page, choose=best_post):
    play = services.play_start(user=user, page=page, now=NOW)
    model = play.snapshot.scenario()
    while not play.is_finished:
        post = choose(model, play.current_step)
        services.play_answer(
            play=play,
            step_id=play.current_step,
            value=post_value(model, play.current_step, post),
            now=NOW,
            oracle=kip_oracle(),
        )
        play.refresh_from_db()
    return play


@pytest.fixture
def setup(db):
    course, module = course_tree()
    lesson = LessonPageFactory(parent=module)
    page = scenario_page(module)
    user = UserFactory()
    enrolment = enrol(user, course)
    lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
    return course, page, user, enrolment


def test_a_required_scenario_keeps_the_course_open_until_passed(setup):
    course, page, user, enrolment = setup
    progress = enrolment_progress([enrolment])[enrolment.pk]
    assert not progress.result.complete
    assert progress.result.next_requirement.key == f"scenario:{page.pk}"
    assert progress.result.next_requirement.url == page.url


def test_a_passed_play_completes_the_course(setup):
    course, page, user, enrolment = setup
    play = play_through(user, page)
    assert play.passed
    completion = CourseCompletion.objects.get(enrolment=enrolment, attempt=1)
    assert completion.completed_at == NOW


def test_a_failed_play_does_not(setup):
    course, page, user, enrolment = setup
    play = play_through(user, page, choose=worst_post)
    assert play.is_finished and not play.passed
    assert not CourseCompletion.objects.exists()
    status = enrolment_progress([enrolment])[enrolment.pk].statuses[-1]
    assert status.kind == "scenario" and not status.done


def test_an_optional_scenario_never_blocks(db):
    course, module = course_tree()
    lesson = LessonPageFactory(parent=module)
    scenario_page(module, required=False)
    user = UserFactory()
    enrolment = enrol(user, course)
    lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
    assert CourseCompletion.objects.filter(enrolment=enrolment).exists()


def test_a_pass_in_an_earlier_course_attempt_does_not_count(setup):
    course, page, user, enrolment = setup
    play_through(user, page)
    enrolment.attempt = 2
    enrolment.save()
    status = scenario_requirements([enrolment])[enrolment.pk][0]
    assert not status.done


def test_a_draft_scenario_is_not_a_requirement(db):
    course, module = course_tree()
    scenario_page(module, publish=False)
    enrolment = enrol(UserFactory(), course)
    assert scenario_requirements([enrolment])[enrolment.pk] == []


def test_the_provider_takes_two_queries_for_any_number_of_enrolments(
    django_assert_num_queries,
):
    course, module = course_tree()
    scenario_page(module)
    scenario_page(course, "pilkada-jateng-2024")
    enrolments = [enrol(UserFactory(), course) for _ in range(4)]
    for e in enrolments:
        e.course = course
    page_urls_warm = scenario_requirements(enrolments[:1])  # site root paths cached
    assert page_urls_warm
    with django_assert_num_queries(2):
        result = scenario_requirements(enrolments)
    assert all(len(statuses) == 2 for statuses in result.values())
