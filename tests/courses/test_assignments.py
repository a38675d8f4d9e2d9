"""Coordinators assign courses to offices in their scope; repeats add nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseAssignment, Enrolment
from courses.services import course_assign, enrolment_self_create

from .factories import UserFactory, course_with_lessons

NOW = timezone.now()
DUE = timezone.localdate() + datetime.timedelta(days=14)
URL = "/koordinator/penugasan/"


@pytest.fixture
def course(catalogue):
    return course_with_lessons(
        catalogue, lessons=1, title="Dasar Keterbukaan Informasi Publik"
    )


@pytest.fixture
def badung_staff(offices, learner):
    intern = UserFactory(office=offices["badung"], employment_type="magang")
    return [learner, intern]


def test_the_assignment_url_is_served_by_courses_not_the_offices_app():
    assert reverse("courses:assignments") == URL


def test_assigning_twice_adds_nobody_new(course, offices, coordinator, badung_staff):
    first = course_assign(
        course=course,
        office=offices["badung"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
    )
    assert (first.created, first.already) == (2, 0)
    second = course_assign(
        course=course,
        office=offices["badung"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
    )
    assert (second.created, second.already) == (0, 2)
    assert CourseAssignment.objects.count() == 1
    assert Enrolment.objects.filter(course=course).count() == 2


def test_members_who_join_later_are_added_by_assigning_again(
    course, offices, coordinator, badung_staff
):
    course_assign(
        course=course,
        office=offices["badung"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
    )
    UserFactory(office=offices["badung"])
    again = course_assign(
        course=course,
        office=offices["badung"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
    )
    assert (again.created, again.already) == (1, 2)


def test_a_self_enrolled_learner_becomes_assigned_with_the_due_date(
    course, offices, coordinator, learner
):
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    result = course_assign(
        course=course,
        office=offices["badung"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
    )
    assert result.created == 1
    enrolment.refresh_from_db()
    assert enrolment.source == Enrolment.Source.ASSIGNED and enrolment.due_on == DUE


def test_the_employment_type_filter_and_sub_offices(
    course, offices, coordinator, badung_staff
):
    UserFactory(office=offices["gianyar"], employment_type="magang")
    result = course_assign(
        course=course,
        office=offices["bali"],
        due_on=DUE,
        assigned_by=coordinator,
        now=NOW,
        employment_type="magang",
        include_suboffices=True,
    )
    assert result.created == 2
    assert set(Enrolment.objects.values_list("user__employment_type", flat=True)) == {
        "magang"
    }


def test_a_coordinator_assigns_through_the_form(
    client, course, offices, coordinator, badung_staff
):
    client.force_login(coordinator)
    data = {
        "course": course.pk,
        "office": offices["badung"].pk,
        "employment_type": "",
        "due_on": DUE.isoformat(),
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Enrolment.objects.filter(course=course).count() == 2
    response = client.post(URL, data, follow=True)
    assert Enrolment.objects.filter(course=course).count() == 2
    assert b"0" in response.content and response.status_code == 200
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["assignments"][0].learner_count == 2


def test_a_bali_coordinator_cannot_assign_to_jawa_tengah(
    client, course, offices, coordinator
):
    UserFactory(office=offices["klaten"])
    client.force_login(coordinator)
    response = client.post(
        URL,
        {
            "course": course.pk,
            "office": offices["klaten"].pk,
            "due_on": DUE.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert not Enrolment.objects.exists()
    assert offices["klaten"] not in response.context["form"].fields["office"].queryset


def test_re_applying_someone_elses_assignment_is_not_found(
    client, course, offices, coordinator
):
    admin = UserFactory(is_superuser=True, is_staff=True)
    outside = course_assign(
        course=course, office=offices["klaten"], due_on=DUE, assigned_by=admin, now=NOW
    ).assignment
    client.force_login(coordinator)
    url = reverse("courses:assignment_reapply", args=[outside.pk])
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    "who, expected", [(None, 302), ("learner", 404), ("coordinator", 200)]
)
def test_who_may_open_the_assignment_page(client, who, expected, request, offices):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == expected
    if who is None:
        assert "/akun/login/" in response["Location"]


def test_a_past_due_date_is_refused(client, course, offices, coordinator):
    client.force_login(coordinator)
    response = client.post(
        URL,
        {"course": course.pk, "office": offices["badung"].pk, "due_on": "2020-01-01"},
    )
    assert "due_on" in response.context["form"].errors
