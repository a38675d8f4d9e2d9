"""Every coordinator and office-admin view, for every role.

One row per view; one column per role. Expected outcomes:
  "login"  → redirect to the sign-in page
  "denied" → Wagtail's "permission denied" (redirect to the admin dashboard)
  a number → that status code (302 where a POST succeeds and redirects)
To cover a new view, add a row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.test import TestCase
from django.urls import reverse

from tests.factories import StaffImportFactory, UserFactory, build_office_tree

ROLES = (
    "anonymous",
    "learner",
    "coordinator",
    "other_coordinator",
    "instructor",
    "admin",
)


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable  # (fixtures) -> str
    expected: tuple  # one outcome per role, in ROLES order
    method: str = "get"


ROWS = [
    Row(
        "staff list",
        lambda f: reverse("offices:staff_list"),
        ("login", 403, 200, 200, 403, 200),
    ),
    Row(
        "staff list of Badung",
        lambda f: reverse("offices:staff_list") + f"?office={f.tree.badung.pk}",
        ("login", 403, 200, 404, 403, 200),
    ),
    Row(
        "staff import upload",
        lambda f: reverse("offices:staff_import_upload"),
        ("login", 403, 200, 200, 403, 200),
    ),
    Row(
        "sample CSV",
        lambda f: reverse("offices:staff_import_sample"),
        ("login", 403, 200, 200, 403, 200),
    ),
    Row(
        "the Bali coordinator's import preview",
        lambda f: reverse("offices:staff_import", args=[f.staff_import.pk]),
        ("login", 403, 200, 404, 403, 404),
    ),
    Row(
        "invite a Badung member again",
        lambda f: reverse("offices:staff_invite_again", args=[f.member.pk]),
        ("login", 403, 302, 404, 403, 302),
        method="post",
    ),
    Row(
        "office admin list",
        lambda f: reverse("office_admin:index"),
        ("login", "login", "login", "login", "denied", 200),
    ),
    Row(
        "office admin edit",
        lambda f: reverse("office_admin:edit", args=[f.tree.badung.pk]),
        ("login", "login", "login", "login", "denied", 200),
    ),
    Row(
        "office merge",
        lambda f: reverse("office_admin:merge", args=[f.tree.badung.pk]),
        ("login", "login", "login", "login", "denied", 200),
    ),
    Row(
        "user admin list",
        lambda f: reverse("wagtailusers_users:index"),
        ("login", "login", "login", "login", "denied", 200),
    ),
]


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_office_tree()
        cls.users = {
            "learner": UserFactory(office=cls.tree.badung),
            "coordinator": UserFactory(office=cls.tree.bali, coordinates=cls.tree.bali),
            "other_coordinator": UserFactory(
                office=cls.tree.jateng, coordinates=cls.tree.jateng
            ),
            "instructor": UserFactory(office=cls.tree.national, instructor=True),
            "admin": UserFactory(office=cls.tree.national, admin=True),
        }
        cls.member = UserFactory(office=cls.tree.badung)
        cls.staff_import = StaffImportFactory(owner=cls.users["coordinator"])

    def outcome(self, response):
        if response.status_code == 302:
            target = urlsplit(response.url).path
            if target == reverse("account_login"):
                return "login"
            if target == reverse("wagtailadmin_home"):
                return "denied"
        return response.status_code

    def test_every_view_answers_every_role_as_the_table_says(self):
        failures = []
        for row in ROWS:
            url = row.url(self)
            for role, expected in zip(ROLES, row.expected, strict=True):
                self.client.logout()
                if role != "anonymous":
                    self.client.force_login(self.users[role])
                response = getattr(self.client, row.method)(url)
                got = self.outcome(response)
                if got != expected:
                    failures.append(
                        f"{row.name} as {role}: expected {expected}, got {got}"
                    )
        assert not failures, "\n".join(failures)


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_every_row_names_an_outcome_for_every_role(row):
    assert len(row.expected) == len(ROLES)
