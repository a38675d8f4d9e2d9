"""Fixtures for scenario tests: a course and module, an enrolled learner, a scenario."""

import pytest
from django.core.cache import cache

from .factories import UserFactory, course_tree, enrol, scenario_page


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The calendar overrides are cached; a test must not see another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(db):
    return course_tree()


@pytest.fixture
def learner(course):
    user = UserFactory()
    enrol(user, course[0])
    return user


@pytest.fixture
def scenario(course):
    """The Gianyar request scenario, published under the course's module."""
    return scenario_page(course[1])
