"""A staff member's whole journey in a real browser, in Indonesian and in English.

Sign in → the course assigned to their office → read the lessons → pass the quiz
(the right answers read from the database) → play the scenario to its end (the
best answers from the engine) → the course is completed and the certificate
issued → "Sertifikat saya" → the PDF (holder, number, the QR code that leads to
the verification URL) → the public verification page: valid, holder, office and
course, but neither the full NIP nor the e-mail address.

axe-core finds no serious or critical violations on a quiz question page, a
scenario step, /belajar/, "Sertifikat saya" and the verification page.
"""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.models import CourseCompletion, Enrolment
from quizzes.models import Attempt
from tests.browser import journeys
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.services]


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe(violations)}"


def nav_link(page, name: str):
    return page.locator("header.site-header nav").get_by_role("link", name=name)


def switch_language(page, language_name: str) -> None:
    page.select_option("#language-select", label=language_name)
    journeys.click_and_wait(
        page, page.locator("form.language-form button[type=submit]")
    )


def take_the_course(page, base: str, setup: journeys.AssignedCourse, t: dict):
    """From /belajar/ to the completed course; returns the issued certificate."""
    learner, course = setup.learner, setup.course

    # /belajar/: the course is listed as assigned to the learner, with its due date.
    assigned = page.locator("section[aria-labelledby=assigned-title]")
    expect(assigned.get_by_role("heading", level=2)).to_have_text(t["assigned"])
    expect(assigned).to_contain_text(t["due"])
    journeys.click_and_wait(
        page, assigned.get_by_role("link", name=course.title, exact=True)
    )
    expect(page.locator("h1")).to_have_text(course.title)

    # The lessons, in order, each marked as done.
    journeys.read_lessons(page, t, setup.lessons)
    assert page.url == base + course.url
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.source == Enrolment.Source.ASSIGNED
    assert enrolment.lesson_progress.count() == len(setup.lessons)

    # The quiz: the course sends the learner on to it.
    journeys.click_and_wait(page, page.get_by_role("link", name=t["resume"]))
    assert page.url == base + setup.quiz.url
    expect(page.get_by_role("heading", name=t["rules"])).to_be_visible()
    journeys.click_and_wait(page, page.get_by_role("button", name=t["start_quiz"]))
    attempt = journeys.open_attempt(learner, setup.quiz)
    assert_accessible(page, "quiz question page")
    answered = journeys.answer_shown_questions(page, attempt)
    # attempt.js saved each answer as it was given (its status texts come
    # translated from the template, when it provides them).
    saved = page.locator("form.quiz-form").get_attribute("data-status-saved")
    for status in page.locator("fieldset.question [data-status]").all():
        expect(status).to_have_text(saved or t["autosaved"], timeout=15_000)
    journeys.click_and_wait(page, page.get_by_role("button", name=t["next"]))
    answered += journeys.answer_shown_questions(page, attempt)
    assert sorted(answered) == [1, 2, 3, 4, 5]
    journeys.submit_quiz(page, t)
    expect(page.locator("h1")).to_have_text(t["review"])
    expect(page.locator(".review-summary strong")).to_have_text(
        re.compile(r"^100([,.]00)?%$")
    )
    expect(page.locator(".review-summary .badge-ok")).to_have_text(t["passed"])
    attempt.refresh_from_db()
    assert (attempt.state, attempt.passed) == (Attempt.State.FINISHED, True)
    assert attempt.score == 100

    # The scenario: the course page now leads to it.
    journeys.click_and_wait(page, page.get_by_role("link", name=t["back_to_quiz"]))
    journeys.click_and_wait(
        page, page.locator("article.quiz").get_by_role("link", name=course.title)
    )
    journeys.click_and_wait(page, page.get_by_role("link", name=t["resume"]))
    assert page.url == base + setup.scenario.url
    expect(page.locator(".practice-kind")).to_have_text(t["case_exercise"])
    journeys.click_and_wait(page, page.get_by_role("button", name=t["start_case"]))
    scenario = journeys.play_of(page).snapshot.scenario()
    journeys.answer_step(page, scenario, t)
    expect(page.locator("form.practice-step")).to_be_visible()  # mid-play
    assert_accessible(page, "scenario step")
    steps = 1
    while "/latihan/main/" in page.url:
        journeys.answer_step(page, scenario, t)
        steps += 1
        assert steps < 20, "the scenario did not end"
    play = journeys.play_of(page)
    assert play.passed and play.score == scenario.max_score
    expect(page.get_by_role("heading", name=t["path_taken"])).to_be_visible()
    expect(page.locator(".practice-score .badge-ok")).to_have_text(t["passed"])

    # The course is completed, and (Celery being eager) the certificate issued.
    journeys.click_and_wait(page, page.get_by_role("link", name=t["back_to_course"]))
    expect(page.locator(".course-actions .badge-ok")).to_have_text(t["completed"])
    completion = CourseCompletion.objects.get(enrolment=enrolment)
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.status == Certificate.Status.ISSUED
    return certificate


def collect_certificate(page, base: str, setup, certificate, t: dict) -> None:
    """/belajar/ → "Sertifikat saya" → the PDF → the verification page."""
    journeys.click_and_wait(page, nav_link(page, t["my_learning"]))
    completed = page.locator("section[aria-labelledby=completed-title]")
    expect(completed).to_contain_text(setup.course.title)
    expect(completed.locator(".badge-ok")).to_have_text(t["completed"])
    assert_accessible(page, "/belajar/ after completing")
    journeys.click_and_wait(
        page, completed.get_by_role("link", name=re.compile(t["view_certificate"]))
    )
    expect(page.locator("h1")).to_have_text(t["my_certificates"])
    row = page.locator("tbody tr", has_text=certificate.number)
    expect(row).to_contain_text(setup.course.title)
    expect(row.locator(".badge-ok")).to_have_text(t["valid_badge"])
    assert_accessible(page, "Sertifikat saya")

    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    text = journeys.pdf_text(data)
    assert setup.learner.full_name in text
    assert certificate.number in text
    url = certificate.verification_url()
    assert url in text.replace("\n", ""), text
    assert journeys.qr_encodes(data, url), "the QR code does not encode " + url

    # Someone scanning the QR code: not signed in (the language choice stays).
    page.context.clear_cookies(name="sessionid")
    response = page.goto(base + journeys.verification_path(url))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(t["verify_title"])
    result = page.locator(".verify-result")
    expect(result.locator("#verify-status")).to_contain_text(t["genuine"])
    expect(result.locator(".badge-ok")).to_have_text(t["valid_badge"])
    facts = result.locator("dl.facts")
    expect(facts).to_contain_text(f"{t['holder']}{setup.learner.full_name}")
    expect(facts).to_contain_text(f"{t['issued_by']}{setup.office.name}")
    expect(facts).to_contain_text(setup.course.title)
    expect(facts).to_contain_text(certificate.masked_nip)
    html = page.content()
    assert setup.learner.nip not in html
    assert setup.learner.email not in html
    assert_accessible(page, "certificate verification page")


@pytest.fixture
def assigned_course(live_server):
    return journeys.build_assigned_course()


def test_a_staff_member_completes_an_assigned_course_in_indonesian(
    page, live_server, assigned_course
):
    base, t = live_server.url, journeys.TEXTS["id"]
    errors = journeys.watch_console(page)
    sign_in(page, base, assigned_course.learner.email, TEST_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "id"
    journeys.click_and_wait(page, nav_link(page, t["my_learning"]))
    expect(page.locator("h1")).to_have_text(t["my_learning"])
    assert_accessible(page, "/belajar/ with an assigned course")

    certificate = take_the_course(page, base, assigned_course, t)
    collect_certificate(page, base, assigned_course, certificate, t)
    assert errors == [], errors


def test_a_staff_member_completes_an_assigned_course_in_english(
    page, live_server, assigned_course
):
    base, t = live_server.url, journeys.TEXTS["en"]
    errors = journeys.watch_console(page)
    sign_in(page, base, assigned_course.learner.email, TEST_PASSWORD)
    journeys.click_and_wait(page, nav_link(page, "Pembelajaran saya"))
    switch_language(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text(t["my_learning"])
    assigned_course.learner.refresh_from_db()
    assert assigned_course.learner.language == "en"

    certificate = take_the_course(page, base, assigned_course, t)
    collect_certificate(page, base, assigned_course, certificate, t)
    assert errors == [], errors
