"""Learner pages: catalogue, course, lesson actions, knowledge checks, My learning."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from courses.models import (
    CheckAnswer,
    CoursePrerequisite,
    Enrolment,
    LessonPage,
    LessonProgress,
)
from courses.services import course_assign, enrolment_self_create, lesson_complete

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    check_block,
    course_with_lessons,
    markdown_block,
)

NOW = timezone.now()


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


@pytest.fixture
def course(catalogue):
    return course_with_lessons(
        catalogue, lessons=2, title="Dasar Keterbukaan Informasi Publik"
    )


def test_the_catalogue_and_a_course_answer_anonymously(client, course):
    assert client.get("/kursus/").status_code == 200
    response = client.get(course.url)
    assert response.status_code == 200
    assert reverse("courses:enrol", args=[course.pk]).encode() not in response.content


def test_my_learning_needs_a_login(client):
    response = client.get("/belajar/")
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_enrolling_from_the_course_page(client, course, learner):
    client.force_login(learner)
    page = client.get(course.url)
    assert reverse("courses:enrol", args=[course.pk]).encode() in page.content
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == course.url
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def test_enrolling_without_prerequisites_names_the_missing_course(
    client, catalogue, learner
):
    basics = course_with_lessons(catalogue, lessons=1, title="Kursus Dasar Satu")
    advanced = course_with_lessons(catalogue, lessons=1)
    CoursePrerequisite.objects.create(course=advanced, required_course=basics)
    client.force_login(learner)
    page = client.get(advanced.url)
    assert b"Kursus Dasar Satu" in page.content
    assert reverse("courses:enrol", args=[advanced.pk]).encode() not in page.content
    response = client.post(reverse("courses:enrol", args=[advanced.pk]), follow=True)
    assert not Enrolment.objects.filter(course=advanced).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Kursus Dasar Satu" in m for m in messages)


def test_mark_done_moves_on_to_the_next_lesson(client, course, learner):
    first, second = lessons_of(course)
    enrolment_self_create(user=learner, course=course, now=NOW)
    client.force_login(learner)
    response = client.post(reverse("courses:lesson_done", args=[first.pk]))
    assert response["Location"] == second.url
    assert LessonProgress.objects.filter(lesson=first).exists()
    response = client.post(reverse("courses:lesson_done", args=[second.pk]))
    assert response["Location"] == course.url


@pytest.mark.parametrize("who, expected", [(None, 302), ("stranger", 404)])
def test_mark_done_needs_your_own_enrolment(client, course, who, expected, offices):
    if who:
        client.force_login(UserFactory(office=offices["klaten"]))
    response = client.post(
        reverse("courses:lesson_done", args=[lessons_of(course)[0].pk])
    )
    assert response.status_code == expected


def test_actions_refuse_get(client, course, learner):
    client.force_login(learner)
    assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405


def test_a_knowledge_check_works_without_javascript(client, catalogue, learner):
    course = course_with_lessons(catalogue, lessons=0)
    block = check_block(correct=(1,))
    lesson = LessonPageFactory(
        parent=ModulePageFactory(parent=course), body=[markdown_block(), block]
    )
    enrolment_self_create(user=learner, course=course, now=NOW)
    client.force_login(learner)
    page = client.get(lesson.url)
    action = reverse("courses:check_answer", args=[lesson.pk, block["id"]])
    assert f'action="{action}"'.encode() in page.content
    assert b'type="radio"' in page.content
    response = client.post(action, {"option": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#check-{block['id']}"
    assert CheckAnswer.objects.get().correct
    page = client.get(lesson.url)
    assert b"check-answered" in page.content and b"is-correct" in page.content
    assert LessonProgress.objects.filter(lesson=lesson).exists()  # its only check


def test_a_reader_who_is_not_enrolled_gets_feedback_from_the_session(client, catalogue):
    course = course_with_lessons(catalogue, lessons=0)
    block = check_block(correct=(0,))
    lesson = LessonPageFactory(parent=ModulePageFactory(parent=course), body=[block])
    client.post(
        reverse("courses:check_answer", args=[lesson.pk, block["id"]]), {"option": "2"}
    )
    page = client.get(lesson.url)
    assert b"is-wrong" in page.content
    assert not CheckAnswer.objects.exists()


def test_a_check_that_does_not_exist_is_not_found(client, course):
    lesson = lessons_of(course)[0]
    url = reverse("courses:check_answer", args=[lesson.pk, "nope"])
    assert client.post(url, {"option": "0"}).status_code == 404


def test_retake_from_the_course_page(client, course, learner):
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    for lesson in lessons_of(course):
        lesson_complete(enrolment=enrolment, lesson=lesson, now=NOW)
    client.force_login(learner)
    assert (
        reverse("courses:retake", args=[course.pk]).encode()
        in client.get(course.url).content
    )
    client.post(reverse("courses:retake", args=[course.pk]))
    enrolment.refresh_from_db()
    assert enrolment.attempt == 2


def test_my_learning_shows_assigned_in_progress_and_completed(
    client, catalogue, offices, learner, coordinator
):
    assigned = course_with_lessons(catalogue, lessons=2, title="Ditugaskan")
    overdue = course_with_lessons(catalogue, lessons=1, title="Terlambat")
    started = course_with_lessons(catalogue, lessons=2, title="Sedang Berjalan")
    done = course_with_lessons(catalogue, lessons=1, title="Selesai")
    today = timezone.localdate()
    course_assign(
        course=assigned,
        office=offices["badung"],
        assigned_by=coordinator,
        due_on=today + datetime.timedelta(days=14),
        now=NOW,
    )
    course_assign(
        course=overdue,
        office=offices["badung"],
        assigned_by=coordinator,
        due_on=today,
        now=NOW,
    )
    Enrolment.objects.filter(course=overdue).update(
        due_on=today - datetime.timedelta(days=1)
    )
    enrolment, _ = enrolment_self_create(user=learner, course=started, now=NOW)
    lesson_complete(enrolment=enrolment, lesson=lessons_of(started)[0], now=NOW)
    finished, _ = enrolment_self_create(user=learner, course=done, now=NOW)
    lesson_complete(enrolment=finished, lesson=lessons_of(done)[0], now=NOW)

    client.force_login(learner)
    response = client.get("/belajar/")
    dashboard = response.context["dashboard"]
    assert [e.course.title for e in dashboard.assigned] == ["Terlambat", "Ditugaskan"]
    assert [e.overdue for e in dashboard.assigned] == [True, False]
    assert [e.course.title for e in dashboard.in_progress] == ["Sedang Berjalan"]
    assert dashboard.in_progress[0].progress.resume_url == lessons_of(started)[1].url
    assert [e.course.title for e in dashboard.completed] == ["Selesai"]
    assert b"badge-bad" in response.content  # the overdue marker
    assert lessons_of(started)[1].url.encode() in response.content


def test_a_certificate_link_appears_when_an_app_provides_one(
    client, catalogue, learner
):
    course = course_with_lessons(catalogue, lessons=1)
    enrolment, _ = enrolment_self_create(user=learner, course=course, now=NOW)
    completion = lesson_complete(
        enrolment=enrolment, lesson=lessons_of(course)[0], now=NOW
    ).completion
    client.force_login(learner)
    assert b"/contoh-sertifikat/" not in client.get("/belajar/").content

    def certificate_urls(completion_ids, request):
        return {pk: f"/contoh-sertifikat/{pk}/" for pk in completion_ids}

    with hooks.register_temporarily("courses_certificate_urls", certificate_urls):
        response = client.get("/belajar/")
    assert f"/contoh-sertifikat/{completion.pk}/".encode() in response.content


def test_the_lesson_outline_follows_changes_to_the_course(client, catalogue):
    course = course_with_lessons(catalogue, lessons=1)
    first = lessons_of(course)[0]
    assert b"Pelajaran baru" not in client.get(first.url).content  # now cached
    module = first.get_parent()
    added = LessonPageFactory(parent=module, title="Pelajaran baru", live=False)
    added.save_revision().publish()
    assert b"Pelajaran baru" in client.get(first.url).content
    LessonPage.objects.get(pk=added.pk).unpublish()
    assert b"Pelajaran baru" not in client.get(first.url).content
