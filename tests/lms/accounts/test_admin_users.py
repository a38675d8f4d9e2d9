"""Wagtail's user admin with our fields: office, NIP, employment, roles."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.accounts.models import User
from lms.offices.models import CoordinatorScope
from lms.offices.permissions import INSTRUCTOR_GROUP, user_is_instructor
from lms.offices.services import instructor_group_sync
from tests.conftest import admin_in_english
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("wagtailusers_users:index")


@pytest.fixture
def admin_client(english, office_tree):
    admin = UserFactory(admin=True, office=office_tree.national)
    english.force_login(admin_in_english(admin))
    return english


def test_the_user_list_shows_offices_and_roles(admin_client, office_tree):
    UserFactory(full_name="Ketut Coordinator", coordinates=office_tree.bali)
    UserFactory(full_name="Wayan Learner", office=office_tree.badung)
    response = admin_client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ketut Coordinator" in page and "Coordinator (51)" in page
    assert "KPU Kabupaten Badung" in page


def test_users_are_searched_by_name_email_or_nip_and_filtered_by_office(
    admin_client, office_tree
):
    UserFactory(
        full_name="Wayan Learner", office=office_tree.badung, nip="199003122015032002"
    )
    UserFactory(full_name="Sri Klaten", office=office_tree.klaten)
    found = admin_client.get(INDEX, {"q": "199003122015"})
    assert [u.full_name for u in found.context["object_list"]] == ["Wayan Learner"]
    in_klaten = admin_client.get(INDEX, {"office": office_tree.klaten.pk})
    assert [u.full_name for u in in_klaten.context["object_list"]] == ["Sri Klaten"]


def test_the_user_list_does_not_query_per_row(
    admin_client, office_tree, django_assert_max_num_queries
):
    for _ in range(5):
        UserFactory(office=office_tree.badung, coordinates=office_tree.badung)
    with django_assert_max_num_queries(30):
        admin_client.get(INDEX)
    count_5 = len(admin_client.get(INDEX).context["object_list"])
    assert count_5 >= 5


def test_an_administrator_adds_a_user_who_is_invited(
    admin_client, office_tree, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailusers_users:add"),
            {
                "email": "Baru@Example.org",
                "full_name": "Gede Baru",
                "office": office_tree.denpasar.pk,
                "employment_type": "pppk",
                "nip": "1991 0202 2020 12 1 003",
                "password1": "",
                "password2": "",
                "coordinator_offices": [office_tree.denpasar.pk],
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="baru@example.org")
    assert user.full_name == "Gede Baru"
    assert user.nip == "199102022020121003"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert list(
        CoordinatorScope.objects.filter(user=user).values_list(
            "office__code", flat=True
        )
    ) == ["51.71"]
    assert [m.to for m in mailoutbox] == [["baru@example.org"]]


def test_an_administrator_makes_someone_an_instructor_and_coordinator(
    admin_client, office_tree
):
    user = UserFactory(office=office_tree.klaten, full_name="Sri Rahayu")
    group = instructor_group_sync()
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": "Sri Rahayu",
            "office": office_tree.klaten.pk,
            "employment_type": "magang",
            "intern_start": "2026-01-05",
            "intern_end": "2026-06-30",
            "nip": "",
            "is_active": "on",
            "groups": [group.pk],
            "coordinator_offices": [office_tree.jateng.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user_is_instructor(user)
    assert user.employment_type == "magang" and str(user.intern_end) == "2026-06-30"
    assert list(
        CoordinatorScope.objects.filter(user=user).values_list(
            "office__code", flat=True
        )
    ) == ["33"]
    assert Group.objects.get(name=INSTRUCTOR_GROUP).user_set.filter(pk=user.pk).exists()


def test_internship_dates_must_be_in_order(admin_client, office_tree):
    user = UserFactory(office=office_tree.klaten)
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "office": office_tree.klaten.pk,
            "employment_type": "magang",
            "intern_start": "2026-06-30",
            "intern_end": "2026-01-05",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
