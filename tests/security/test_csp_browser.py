"""The Content Security Policy in a real browser: the site and the Wagtail admin work
under it without a single violation.

The browser context enforces the policy, as the shared `page` fixture of
tests/browser does. An init script records every `securitypolicyviolation` event
in every frame, and console errors that mention the Content Security Policy are
collected too; each test walks through real pages and interactions and asserts that
both lists stay empty. `test_the_watch_sees_a_violation` proves the watch can fail.

The admin's script-src has no 'unsafe-inline' either: the widgets Wagtail starts
with inline script are started by static/js/admin-init.js from `<lms-admin-init>`
elements (lms/admin_init.py), and `test_the_admin_widgets_start_without_inline_script`
uses each kind, so that a quiet page that does nothing cannot pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
import wagtail_factories
from django.core.management import call_command
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import enrolment_self_create
from quizzes.models import Question
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.certificates import factories as certificate_factories
from tests.conftest import admin_in_english
from tests.factories import TEST_PASSWORD, UserFactory, build_office_tree
from tests.practice.factories import scenario_page
from tests.quizzes import factories as quiz_factories

pytestmark = [pytest.mark.browser, pytest.mark.services]

CONTENT = "courses/content/dasar-kip"
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@dataclass
class CspWatch:
    """A page with the policy enforced, and what the browser reported about it."""

    page: object
    console: list[str] = field(default_factory=list)
    found: dict[str, list[str]] = field(default_factory=dict)

    def collect(self, label: str) -> None:
        """Record this step's violations from every frame, then start afresh."""
        seen = []
        for frame in self.page.frames:
            if not frame.url.startswith("http"):
                continue  # Chromium's own PDF viewer frame
            try:
                seen += frame.evaluate("() => (window.__cspViolations || []).splice(0)")
            except Exception:  # noqa: BLE001, S112 — a frame gone while asked
                continue
        seen += self.console
        self.console.clear()
        if seen:
            self.found.setdefault(label, []).extend(seen)

    def visit(self, base: str, path: str, *, status: int = 200):
        response = self.page.goto(base + path)
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        self.page.wait_for_load_state("networkidle")
        self.collect(path)
        return response

    def assert_clean(self) -> None:
        lines = [f"{label}: {v}" for label, vs in self.found.items() for v in vs]
        assert not lines, "CSP violations:\n" + "\n".join(lines)


# The <lms-admin-init> elements of the page whose initialiser has not run.
UNSTARTED = """() => [...document.querySelectorAll("lms-admin-init")]
  .filter((e) => !e.started).map((e) => e.dataset.initialiser)"""


def admin_inits(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('lms-admin-init')]"
        ".map((e) => e.dataset.initialiser)"
    )


def pick_the_15th(page, input_id: str) -> str:
    """Open the date picker of an input, choose the 15th of the month it shows and
    return what the picker wrote into the input."""
    page.click(f"#{input_id}")
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.locator("td.xdsoft_date[data-date='15']:not(.xdsoft_other_month)").click()
    return page.input_value(f"#{input_id}")


def pdf_viewer_opened(page, *, seconds: int = 10) -> bool:
    for _ in range(seconds * 4):
        if any(f.url.startswith("chrome-extension://") for f in page.frames):
            return True
        page.wait_for_timeout(250)
    return False


@pytest.fixture
def csp(request, browser):
    context = browser.new_context(
        locale="id-ID", viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    page = context.new_page()
    watch = CspWatch(page)
    failures_before = request.session.testsfailed

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            watch.console.append(f"console: {message.text[:300]}")

    page.on("console", on_console)
    yield watch
    if request.session.testsfailed > failures_before:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@dataclass
class Site:
    course: CoursePage
    lesson: LessonPage
    quiz: object
    scenario: object
    certificate: Certificate
    learner: object
    coordinator: object
    admin: object


def _lesson_with_a_knowledge_check() -> LessonPage:
    for lesson in LessonPage.objects.live().order_by("path"):
        if any(block.block_type == "check" for block in lesson.body):
            return lesson
    raise AssertionError("the imported course has no knowledge check")


@pytest.fixture
def site(live_server) -> Site:
    call_command("import_course", CONTENT, verbosity=0)
    course = CoursePage.objects.get(slug="dasar-kip")
    module = ModulePage.objects.child_of(course).first()
    tree = build_office_tree()
    learner = UserFactory(office=tree.badung)
    enrolment_self_create(user=learner, course=course, now=timezone.now())
    quiz = quiz_factories.quiz_page(course, quiz_factories.one_of_each())
    certificate_factories.default_layout()
    completion = certificate_factories.completion(user=learner, course_page=course)
    wagtail_factories.ImageFactory(title="Diagram alur permohonan")
    return Site(
        course=course,
        lesson=_lesson_with_a_knowledge_check(),
        quiz=quiz,
        scenario=scenario_page(module),
        certificate=Certificate.objects.get(completion=completion),
        learner=learner,
        coordinator=UserFactory(office=tree.bali, coordinates=tree.bali),
        # Wagtail keeps panel ids made from translated headings for the whole
        # process; English, as in tests/browser/test_instructor_journey.py.
        admin=admin_in_english(UserFactory(office=tree.national, admin=True)),
    )


def test_the_watch_sees_a_violation(csp, live_server):
    """An inline script injected into a page is blocked and reported."""
    csp.visit(live_server.url, "/alat/tenggat/")
    csp.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    csp.page.wait_for_timeout(200)
    assert csp.page.evaluate("() => window.__ran === undefined")
    csp.collect("injected")
    assert any("script-src" in v for v in csp.found.get("injected", []))


def test_public_pages_work_under_the_policy(csp, live_server, site):
    base = live_server.url
    for path in [
        "/",
        "/kursus/",
        site.course.url,
        site.lesson.url,
        "/akun/login/",
        "/akun/signup/",
        "/akun/password/reset/",
        "/sertifikat/verifikasi/",
        f"/sertifikat/verifikasi/{site.certificate.display_code}/",
    ]:
        csp.visit(base, path)
    # The deadline calculator's form and its result.
    csp.visit(base, "/alat/tenggat/")
    csp.page.locator("main form button[type=submit]").first.click()
    csp.page.wait_for_load_state("networkidle")
    csp.collect("deadline calculator result")
    # The language switcher posts and comes back.
    csp.page.select_option("#language-select", "en")
    csp.page.click(".language-form button[type=submit]")
    csp.page.wait_for_load_state("networkidle")
    assert csp.page.locator("html").get_attribute("lang") == "en"
    csp.collect("language switch")
    csp.assert_clean()


def test_learner_pages_and_their_scripts_work_under_the_policy(csp, live_server, site):
    base = live_server.url
    sign_in(csp.page, base, site.learner.email, TEST_PASSWORD)
    csp.collect("sign in")
    for path in ["/belajar/", "/akun/profil/", "/akun/2fa/", "/sertifikat/saya/"]:
        csp.visit(base, path)
    # Knowledge check: knowledge-check.js answers in the background.
    csp.visit(base, site.lesson.url)
    check = csp.page.locator("form[data-check]").first
    check.locator("input[name=option]").first.check()
    check.locator("button[type=submit]").click()
    csp.page.wait_for_selector(".check-answered .check-verdict")
    csp.collect("knowledge check")
    # Quiz: start an attempt; attempt.js autosaves an answer.
    csp.visit(base, site.quiz.url)
    csp.page.click("main form button[type=submit]")
    csp.page.wait_for_url(re.compile(r"/kuis/"))
    csp.page.locator("form.quiz-form input[type=radio]").first.check()
    csp.page.wait_for_selector("[data-status]:not(:empty)")
    csp.page.wait_for_load_state("networkidle")
    csp.collect("quiz attempt and autosave")
    # Scenario: start a play and answer the first step.
    csp.visit(base, site.scenario.url)
    csp.page.click("main form.inline-form button[type=submit]")
    csp.page.wait_for_url(re.compile(r"/latihan/"))
    csp.collect("scenario play")
    # The certificate PDF opens inline under the policy (object-src 'none').
    csp.visit(base, f"/sertifikat/saya/{site.certificate.pk}/pdf/?inline=1")
    assert pdf_viewer_opened(csp.page), "Chromium's PDF viewer did not open"
    csp.collect("certificate PDF")
    csp.assert_clean()


def test_coordinator_pages_work_under_the_policy(csp, live_server, site):
    base = live_server.url
    sign_in(csp.page, base, site.coordinator.email, TEST_PASSWORD)
    for path in [
        "/koordinator/",
        "/koordinator/peserta/",
        "/koordinator/staf/",
        "/sertifikat/register/",
        f"/sertifikat/register/{site.certificate.pk}/",
    ]:
        csp.visit(base, path)
    csp.assert_clean()


def test_the_wagtail_admin_works_under_the_policy(csp, live_server, site, settings):
    # No autosave: on the in-memory SQLite of the tests, an autosave still running
    # when the next page loads locks a table (PostgreSQL does not mind).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    page = csp.page
    sign_in(page, base, site.admin.email, TEST_PASSWORD)
    csp.visit(base, "/admin/")
    # Page editor with a StreamField: add an image block and choose an image.
    csp.visit(base, f"/admin/pages/{site.lesson.pk}/edit/")
    page.locator("button.c-sf-add-button").first.click()
    page.locator("[role=option]:has(svg.icon-image)").first.click()
    page.locator("[data-chooser-action-choose]:visible").last.click()
    modal = page.locator(".modal-content")
    modal.locator("a[data-chooser-modal-choice]").first.click()
    page.wait_for_selector(".modal-content", state="detached")
    page.wait_for_load_state("networkidle")
    csp.collect("stream field image block and image chooser")
    # The page's own preview panel (the lesson rendered in an iframe).
    page.locator("[data-side-panel-toggle=preview]").click()
    page.frame_locator("#w-preview-iframe").locator("main").wait_for()
    csp.collect("lesson preview panel")
    # Scenario editor: every tab, including the check and diagram.
    csp.visit(base, f"/admin/pages/{site.scenario.pk}/edit/")
    for tab in page.locator("[role=tab]:visible").all():
        tab.click()
    assert page.locator(".practice-diagram svg").count() == 1
    csp.collect("scenario editor tabs")
    csp.visit(base, f"/admin/latihan/{site.scenario.pk}/diagram/")
    # Snippets: the question bank listing and editor.
    question = Question.objects.order_by("pk").first()
    csp.visit(base, "/admin/snippets/quizzes/question/")
    csp.visit(base, f"/admin/snippets/quizzes/question/edit/{question.pk}/")
    # Certificate layout editor with its live PDF preview.
    layout = certificate_factories.default_layout()
    csp.visit(base, f"/admin/snippets/certificates/certificatelayout/edit/{layout.pk}/")
    page.locator("[data-side-panel-toggle=preview]").click()
    page.wait_for_function(
        "() => document.querySelector('#w-preview-iframe')?.src.includes('/preview/')"
    )
    page.wait_for_load_state("networkidle")
    preview_url = page.locator("#w-preview-iframe").get_attribute("src")
    pdf = page.request.get(base + preview_url if preview_url[0] == "/" else preview_url)
    assert pdf.headers["content-type"] == "application/pdf", pdf.headers
    csp.collect("certificate layout live preview")
    # Images: listing and the chooser's upload tab.
    csp.visit(base, "/admin/images/")
    csp.visit(base, "/admin/images/multiple/add/")
    csp.visit(base, "/django-admin/")
    # Django's admin scripts run under the same script-src: a group's two-pane
    # permission picker, and a tag's slug filled in from its name.
    csp.visit(base, "/django-admin/auth/group/add/")
    page.wait_for_selector("#id_permissions_from")
    csp.visit(base, "/django-admin/taggit/tag/add/")
    page.locator("#id_name").press_sequentially("Keterbukaan Informasi")
    assert page.input_value("#id_slug") == "keterbukaan-informasi"
    csp.collect("django admin forms")
    csp.assert_clean()


def test_the_admin_widgets_start_without_inline_script(
    csp, live_server, site, settings
):
    """Date pickers, choosers and inline panels, which Wagtail starts with inline
    script, are started from data under the strict script-src, also inside a child
    form added with an inline panel's "Add", and they work."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    page = csp.page
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    sign_in(page, base, site.admin.email, TEST_PASSWORD)

    # Question snippet: a date picker (AdminDateInput) and the options' inline panel.
    question = Question.objects.filter(kind=Question.Kind.DATE).first()
    csp.visit(base, f"/admin/snippets/quizzes/question/edit/{question.pk}/")
    assert {"initDateChooser", "InlinePanel"} <= set(admin_inits(page))
    assert page.evaluate(UNSTARTED) == []
    assert re.fullmatch(r"\d{4}-\d{2}-15", pick_the_15th(page, "id_date_answer"))
    options = page.locator("#id_choices-FORMS > [id^=inline_child_choices-]")
    count = options.count()
    page.click("#id_choices-ADD")
    assert options.count() == count + 1
    assert page.input_value("#id_choices-TOTAL_FORMS") == str(count + 1)
    csp.collect("question: date picker and a new option")

    # Quiz page: the snippet choosers of its questions, and one in a new child form,
    # which is started as it is inserted and chooses a question in its modal.
    csp.visit(base, f"/admin/pages/{site.quiz.pk}/edit/")
    assert "SnippetChooser" in admin_inits(page)
    assert page.evaluate(UNSTARTED) == []
    new = page.input_value("#id_fixed_questions-TOTAL_FORMS")
    # Clicked and checked in one task: the insertion itself starts the new chooser,
    # as a MultipleChooserPanel uses it on the line after adding the child form.
    assert page.evaluate(
        """(n) => {
          document.getElementById("id_fixed_questions-ADD").click();
          const id = `id_fixed_questions-${n}-question-chooser`;
          return document.getElementById(id).widget !== undefined;
        }""",
        new,
    )
    chooser = page.locator(f"#id_fixed_questions-{new}-question-chooser")
    chooser.locator("[data-chooser-action-choose]").click()
    choice = page.locator(".modal-content a[data-chooser-modal-choice]").first
    chosen_title = choice.inner_text().strip()
    choice.click()
    page.wait_for_selector(".modal-content", state="detached")
    chosen = page.input_value(f"#id_fixed_questions-{new}-question")
    assert Question.objects.get(pk=chosen).name == chosen_title
    assert chooser.locator("[data-chooser-title]").inner_text().strip() == chosen_title
    csp.collect("quiz: snippet chooser in a new fixed question")
    # Its schedule dialog: the date-time picker (AdminDateTimeInput).
    page.click("[data-side-panel-toggle=status]")
    page.click("[data-a11y-dialog-show=schedule-publishing-dialog]")
    assert re.fullmatch(
        r"\d{4}-\d{2}-15 \d{2}:\d{2}", pick_the_15th(page, "id_go_live_at")
    )
    csp.collect("quiz: schedule date-time picker")

    # Course page: a new prerequisite's page chooser chooses the course in its modal.
    csp.visit(base, f"/admin/pages/{site.course.pk}/edit/")
    assert page.evaluate(UNSTARTED) == []
    page.click("#id_prerequisite_links-ADD")
    chooser = page.locator("#id_prerequisite_links-0-required_course-chooser")
    chooser.locator("[data-chooser-action-choose]").click()
    page.locator(f".modal-content a.choose-page[data-id='{site.course.pk}']").click()
    page.wait_for_selector(".modal-content", state="detached")
    assert page.input_value("#id_prerequisite_links-0-required_course") == str(
        site.course.pk
    )
    assert chooser.locator("[data-chooser-title]").inner_text().strip() == (
        site.course.title
    )
    csp.collect("course: page chooser in a new prerequisite")

    # A new workflow: "Add" a task, whose chooser is Wagtail's createTaskChooser.
    csp.visit(base, "/admin/workflows/add/")
    page.click("#id_workflow_tasks-ADD")
    assert "createTaskChooser" in admin_inits(page)
    assert page.evaluate(UNSTARTED) == []
    csp.collect("workflow: task chooser in a new task")

    # A listing filter: the date range of the site history report (a MultiWidget
    # of date inputs, rendered through lms.admin_init.FormRenderer).
    csp.visit(base, "/admin/reports/site-history/")
    assert admin_inits(page).count("initDateChooser") == 2
    assert page.evaluate(UNSTARTED) == []
    csp.assert_clean()
    assert page_errors == []
