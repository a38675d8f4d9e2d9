"""The session's user comes with their roles (lms.accounts.backends).

The navigation asks on every page whether the user coordinates an office and
whether they are an instructor; the answers ride on the query that loads the
user, and are as fresh as that request.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.offices.models import CoordinatorScope
from lms.offices.permissions import (
    INSTRUCTOR_GROUP,
    user_is_coordinator,
    user_is_instructor,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def nav(client) -> tuple[bool, bool]:
    response = client.get("/alat/tenggat/")
    assert response.status_code == 200
    return response.context["nav_is_coordinator"], response.context["nav_is_instructor"]


def test_a_role_given_or_taken_shows_in_the_navigation_on_the_next_page(
    client, office_tree
):
    user = UserFactory()
    client.force_login(user)
    assert nav(client) == (False, False)
    scope = CoordinatorScope.objects.create(user=user, office=office_tree.bali)
    user.groups.add(Group.objects.get(name=INSTRUCTOR_GROUP))
    assert nav(client) == (True, True)
    scope.delete()
    user.groups.clear()
    assert nav(client) == (False, False)


def test_the_navigation_asks_no_role_query_of_its_own(client, office_tree):
    client.force_login(UserFactory(coordinates=office_tree.bali))
    nav(client)
    with CaptureQueriesContext(connection) as captured:
        assert nav(client) == (True, False)
    role_queries = [
        q["sql"]
        for q in captured
        if "offices_coordinatorscope" in q["sql"] or '"auth_group"' in q["sql"]
    ]
    # Both answers are subqueries of the one query that loads the user.
    assert len(role_queries) == 1, role_queries
    assert 'FROM "accounts_user"' in role_queries[0]


def test_a_user_loaded_elsewhere_is_still_answered_from_the_database(office_tree):
    user = UserFactory()
    assert not user_is_coordinator(user)
    CoordinatorScope.objects.create(user=user, office=office_tree.bali)
    assert user_is_coordinator(user)
    user.groups.add(Group.objects.get(name=INSTRUCTOR_GROUP))
    assert user_is_instructor(user)


def test_the_backends_still_refuse_inactive_users(client):
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/belajar/").status_code == 302
