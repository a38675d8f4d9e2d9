"""Role scoping: which offices each role may see and act on."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from lms.offices.permissions import (
    office_for_user_or_404,
    offices_visible_to,
    user_can_manage_office,
    user_is_admin,
    user_is_coordinator,
    user_is_instructor,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_province_coordinator_sees_the_province_and_everything_under_it(office_tree):
    coordinator = UserFactory(office=office_tree.bali, coordinates=office_tree.bali)
    assert codes(offices_visible_to(coordinator)) == {"51", "51.03", "51.71"}


def test_a_regency_coordinator_sees_only_the_regency(office_tree):
    coordinator = UserFactory(coordinates=office_tree.badung)
    assert codes(offices_visible_to(coordinator)) == {"51.03"}


def test_scopes_add_up(office_tree):
    coordinator = UserFactory(coordinates=[office_tree.badung, office_tree.klaten])
    assert codes(offices_visible_to(coordinator)) == {"51.03", "33.10"}


def test_the_national_coordinator_sees_every_office(office_tree):
    coordinator = UserFactory(coordinates=office_tree.national)
    assert len(codes(offices_visible_to(coordinator))) == 6


def test_learners_anonymous_users_and_instructors_see_no_office(office_tree):
    assert not offices_visible_to(UserFactory(office=office_tree.bali)).exists()
    assert not offices_visible_to(AnonymousUser()).exists()
    assert not offices_visible_to(UserFactory(instructor=True)).exists()


def test_administrators_see_every_office(office_tree):
    admin = UserFactory(admin=True, office=office_tree.national)
    assert len(codes(offices_visible_to(admin))) == 6


def test_the_visible_offices_are_one_query(office_tree, django_assert_num_queries):
    coordinator = UserFactory(coordinates=office_tree.bali)
    with django_assert_num_queries(1):
        list(offices_visible_to(coordinator))


def test_a_bali_coordinator_cannot_reach_jawa_tengah(office_tree):
    coordinator = UserFactory(coordinates=office_tree.bali)
    assert user_can_manage_office(coordinator, office_tree.badung)
    assert not user_can_manage_office(coordinator, office_tree.klaten)
    assert office_for_user_or_404(coordinator, office_tree.badung.pk) == (
        office_tree.badung
    )
    for pk in (office_tree.klaten.pk, office_tree.jateng.pk, 999_999, "x", None):
        with pytest.raises(Http404):
            office_for_user_or_404(coordinator, pk)


def test_roles(office_tree):
    learner = UserFactory()
    coordinator = UserFactory(coordinates=office_tree.bali)
    instructor = UserFactory(instructor=True)
    admin = UserFactory(admin=True)
    assert [
        user_is_coordinator(u) for u in (learner, coordinator, instructor, admin)
    ] == [False, True, False, True]
    assert [
        user_is_instructor(u) for u in (learner, coordinator, instructor, admin)
    ] == [False, False, True, True]
    assert [user_is_admin(u) for u in (learner, coordinator, instructor, admin)] == [
        False,
        False,
        False,
        True,
    ]
    assert not user_is_coordinator(AnonymousUser())
