"""Fixtures for quiz tests: a course with a module, an enrolled learner, a quiz."""

import pytest

from .factories import UserFactory, course_tree, enrol, one_of_each, quiz_page


@pytest.fixture
def course(db):
    return course_tree()


@pytest.fixture
def learner(course):
    user = UserFactory()
    enrol(user, course[0])
    return user


@pytest.fixture
def questions(db):
    return one_of_each()


@pytest.fixture
def quiz(course, questions):
    return quiz_page(course[1], questions, questions_per_page=10)
