"""Journey of an instructor in the Wagtail admin, in a real browser.

Write a lesson under an existing module (title, summary, a Markdown block), publish
it and read it on the site; then build a scenario whose one choice links to a step
that does not exist: publishing is refused with the problem shown at that step, and
once the link is fixed the scenario publishes and is live on the site.

The admin speaks English to this instructor (their admin profile), so that the
locators read as Wagtail's own labels; the site stays Indonesian.
"""

import re

import pytest

from courses.models import CourseIndexPage, LessonPage
from lms.offices.services import instructor_group_sync
from quizzes.practice.models import ScenarioPage
from tests.browser.conftest import sign_in
from tests.conftest import admin_in_english
from tests.courses.factories import course_with_lessons
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]

LESSON_TITLE = "Menghitung tenggat keberatan"
LESSON_MARKDOWN = (
    "## Tiga puluh hari kerja\n\n"
    "Keberatan diajukan paling lambat **30 hari kerja** setelah alasan keberatan "
    "ditemukan.\n\n<script>alert('x')</script>"
)
SCENARIO_TITLE = "Permohonan salinan DPT"


def add_child_page(page, base_url, parent, kind):
    """From the parent's listing: "Add child page", then the page type."""
    page.goto(f"{base_url}/admin/pages/{parent.pk}/")
    page.get_by_role("link", name="Add child page").click()
    page.get_by_role("link", name=kind, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/"))


def insert_block(page, stream_panel, kind):
    """Append a block of `kind` to a StreamField through its last "+" button."""
    page.locator(f"{stream_panel} button[title='Insert a block']").last.click()
    page.get_by_role("option", name=kind, exact=True).click()


def publish(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()


@pytest.fixture(autouse=True)
def _no_autosave(settings):
    """Wagtail 8 autosaves the edit form every half second. The live server's
    threads share one connection to the in-memory SQLite database, and an autosave
    racing the publish click locks a table; on PostgreSQL the race is harmless but
    would make the outcome (created, or saved as a draft then published) vary."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def module(live_server):
    # A flush between transactional tests runs post_migrate before the page tree
    # is back, so the Instruktur group's page permissions are granted again here.
    course = course_with_lessons(
        CourseIndexPage.objects.get(), lessons=1, title="Keberatan dan Sengketa"
    )
    instructor_group_sync()
    return course.get_children().specific().get()


@pytest.fixture
def instructor(page, live_server):
    user = admin_in_english(
        UserFactory(email="instruktur@example.org", instructor=True)
    )
    sign_in(page, live_server.url, user.email, TEST_PASSWORD)
    return user


def test_an_instructor_writes_and_publishes_a_lesson(
    page, live_server, module, instructor
):
    base = live_server.url
    add_child_page(page, base, module, "Lesson")
    page.get_by_placeholder("Page title*").fill(LESSON_TITLE)
    page.get_by_role("textbox", name=re.compile(r"^Summary")).fill(
        "Cara menghitung tenggat keberatan."
    )
    insert_block(page, "[id^='panel-child-'][id$='-body-section']", "Markdown")
    page.locator("#body-0-value").fill(LESSON_MARKDOWN)
    publish(page)
    page.get_by_text(f"Page '{LESSON_TITLE}' created and published.").wait_for()

    lesson = LessonPage.objects.get(title=LESSON_TITLE)
    assert lesson.live and lesson.get_parent().pk == module.pk
    assert lesson.owner == instructor

    # On the site: the Markdown rendered, its raw HTML removed, and the lesson in
    # the course outline.
    response = page.goto(base + lesson.url)
    assert response.status == 200
    content = page.locator("main")
    assert content.get_by_role("heading", name=LESSON_TITLE, level=1).is_visible()
    assert content.get_by_role("heading", name="Tiga puluh hari kerja").is_visible()
    assert content.locator("strong", has_text="30 hari kerja").is_visible()
    assert "alert(" not in page.content()
    page.goto(base + module.get_parent().url)
    assert page.get_by_role("link", name=LESSON_TITLE).is_visible()


def step_panel(page, index):
    """The panel of the step at `index` (the innermost region holding its id)."""
    step_id = page.locator(f"#steps-{index}-value-step_id")
    return page.get_by_role("region").filter(has=step_id).last


def fill_scenario(page, *, goto):
    """The case file, and two steps: a decision whose choice goes to `goto`, and
    the ending "akhir"."""
    page.locator("#id_title").fill(SCENARIO_TITLE)
    page.get_by_label("Requester").fill("Ketut Arsana, warga Denpasar")
    page.get_by_label("What is asked").fill("Salinan daftar pemilih tetap TPS 12")
    page.locator("#id_case_office").fill("KPU Kota Denpasar")
    page.get_by_role("tab", name="Steps").click()
    page.get_by_label("Pass mark (points)").fill("2")
    insert_block(page, "[id^='panel-child-'][id$='-steps-section']", "Decision")
    page.locator("#steps-0-value-step_id").fill("terima")
    page.locator("#steps-0-value-title").fill("Permohonan diterima")
    page.locator("#steps-0-value-choices-0-value-choice_id").fill("catat")
    page.locator("#steps-0-value-choices-0-value-text").fill(
        "Catat dalam register dan beri nomor pendaftaran."
    )
    page.locator("#steps-0-value-choices-0-value-points").fill("2")
    page.locator("#steps-0-value-choices-0-value-next-goto").fill(goto)
    insert_block(page, "[id^='panel-child-'][id$='-steps-section']", "Ending")
    page.locator("#steps-1-value-step_id").fill("akhir")
    page.locator("#steps-1-value-title").fill("Selesai")
    page.locator("#steps-1-value-outcome").fill("Permohonan tercatat.")


def test_an_instructor_cannot_publish_a_scenario_with_a_dangling_branch(
    page, live_server, module, instructor
):
    base = live_server.url
    add_child_page(page, base, module, "Scenario")
    fill_scenario(page, goto="akhr")
    publish(page)

    # Refused: nothing saved, and the problem is shown at the step that has it.
    page.get_by_text(
        "The page could not be created due to validation errors"
    ).wait_for()
    assert not ScenarioPage.objects.exists()
    page.get_by_role("tab", name="Steps").click()
    decision, ending = step_panel(page, 0), step_panel(page, 1)
    dangling = "The link from 'catat' points to a missing step 'akhr'."
    assert dangling in decision.inner_text()
    assert dangling not in ending.inner_text()
    assert "This step cannot be reached from the start." in ending.inner_text()

    page.locator("#steps-0-value-choices-0-value-next-goto").fill("akhir")
    publish(page)
    page.get_by_text(f"Page '{SCENARIO_TITLE}' created and published.").wait_for()

    scenario = ScenarioPage.objects.get(title=SCENARIO_TITLE)
    assert scenario.live and scenario.get_parent().pk == module.pk
    assert scenario.scenario_check().ok
    response = page.goto(base + scenario.url)
    assert response.status == 200
    assert page.get_by_role("heading", name=SCENARIO_TITLE, level=1).is_visible()
