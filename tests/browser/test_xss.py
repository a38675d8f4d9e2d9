"""No stored cross-site scripting: payloads written where authors and users write
never run in the pages that show them.

The corpus (tests/security/xss_corpus.py) goes into every author- or user-writable
field through the path the application writes it: lesson blocks cleaned by their
blocks as the page editor does, quiz questions validated like the snippet editor,
a scenario published through a revision, the learner's name typed into the
profile form, staff names, e-mail addresses and office codes uploaded as a CSV
file through the staff import. Then Chromium opens every page that shows them,
learner pages and Wagtail admin pages alike, and each page must neither call the
sentinel, nor open a dialog, nor hold an element or attribute only a payload
could have put there; and the payload must be there as text, which proves that
the page really showed the field.

The browser contexts here bypass any Content-Security-Policy: escaping and
sanitising alone must stop the payloads. The first test proves, on deliberately
unsafe pages, that the detector notices each payload (and not escaped ones).

Rich text typed in Wagtail's editor is stored as escaped text, so the lesson and
quiz the admin editor opens hold that; raw payload HTML in rich text (as an import
or a migration could write it) is on a second lesson and on the home and catalogue
introductions, which only learner pages show: Wagtail's editor itself trusts
stored rich text (a stored `javascript:` link appears as a link in Draftail).
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage, ModulePage
from courses.services import enrolment_self_create
from dashboard.services import stats_refresh
from lms.accounts.models import User
from lms.offices.models import Office
from quizzes.models import Choice, Question, QuestionCategory, QuizPage, QuizQuestion
from quizzes.practice import services as practice_services
from quizzes.practice.adapters import kip_oracle
from quizzes.practice.forms import parse_answer
from quizzes.scenarios import PlayState
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    build_office_tree,
    ensure_site_tree,
)
from tests.practice.factories import broken, scenario_page
from tests.practice.helpers import best_post
from tests.security.xss_corpus import (
    FINDINGS_JS,
    PAYLOADS,
    escaped_page,
    every_payload,
    packed,
    raw_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.services]

EVERY = every_payload()
NAMES = packed(160)  # names of people and offices
TITLES = packed(255)  # page titles
LONG = packed(500)  # summaries, option texts


def chunk(limit: int, index: int = 0) -> str:
    """Payloads packed into one string of at most `limit` characters."""
    chunks = packed(limit, skip_longer=True)
    return chunks[index % len(chunks)]


def squashed(text: str) -> str:
    return " ".join(text.split())


# --- Watching the browser ------------------------------------------------------------


@dataclass
class Watcher:
    """What the payloads managed to do, page by page."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def on_dialog(self, page, dialog) -> None:
        # The application's own confirm() (submitting a quiz) is accepted; a dialog
        # a payload opened is recorded (and accepted too: it already ran).
        if re.search(r"xss", dialog.message, re.IGNORECASE):
            self.dialogs.append((page.url, dialog.message))
        dialog.accept()

    def inspect(self, page, *, shows: tuple[str, ...] = ()) -> None:
        """Record injected markup on the current page and check that `shows` (texts
        holding payloads) are displayed as text."""
        label = page.url
        page.wait_for_timeout(150)  # autofocus and toggle events fire after load
        for kind, name, excerpt in page.evaluate(FINDINGS_JS):
            self.problems.append(f"{label}: {kind} [{name}]: {excerpt}")
        text = squashed(page.evaluate("() => document.body.textContent"))
        for expected in shows:
            if squashed(expected) not in text:
                self.problems.append(
                    f"{label}: the payload is not shown as text: {expected[:80]!r}"
                )
        self.pages.append(label)

    def visit(self, page, url: str, *, shows: tuple[str, ...] = ()) -> None:
        response = page.goto(url)
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            self.problems.append(f"{url}: HTTP {status}")
            return
        self.inspect(page, shows=shows)

    def report(self) -> list[str]:
        return (
            [f"{url}: the sentinel ran for {ident}" for url, ident in self.calls]
            + [
                f"{url}: a payload opened a dialog: {msg!r}"
                for url, msg in self.dialogs
            ]
            + self.problems
        )


@pytest.fixture
def xss_browser(request, browser):
    """`open_page()` → a page in a new context that bypasses CSP and reports every
    sentinel call and dialog to the shared `Watcher`."""
    watcher = Watcher()
    contexts = []

    def open_page():
        context = browser.new_context(
            bypass_csp=True, locale="id-ID", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(20_000)
        context.expose_binding(
            "__xss",
            lambda source, ident=None: watcher.calls.append(
                (source["frame"].url, str(ident))
            ),
        )
        page = context.new_page()
        page.on("dialog", lambda dialog: watcher.on_dialog(page, dialog))
        contexts.append(context)
        return page

    yield open_page, watcher
    failed = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed and context.pages:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            context.pages[-1].screenshot(
                path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True
            )
        context.close()


# --- The detector, on unsafe pages ---------------------------------------------------


def test_the_detector_sees_every_payload_on_an_unsafe_page(xss_browser):
    open_page, watcher = xss_browser
    page = open_page()
    missed, false_alarms = [], []
    for payload in PAYLOADS:
        page.set_content(escaped_page(payload))
        before = len(watcher.report())
        watcher.inspect(page)
        if len(watcher.report()) != before:
            false_alarms.append(f"{payload.id}: {watcher.report()[before:]}")
        if not payload.detectable:
            continue
        page.set_content(raw_page(payload))
        before = len(watcher.report())
        watcher.inspect(page)
        if not any(payload.id in line for line in watcher.report()[before:]):
            missed.append(f"{payload.id} ({payload.note}): {raw_page(payload)}")
    assert not false_alarms, "\n".join(false_alarms)
    assert not missed, "\n".join(missed)


# --- Content written through the application's own write paths ----------------------


def published(parent, page):
    """Add `page` under `parent` and publish it through a revision, as the page
    editor does (`save_revision` runs the model's full validation)."""
    type(parent).objects.get(pk=parent.pk).add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def editor_stream(model, field_name: str, raw: list[dict]):
    """A StreamField value as the page editor accepts it: every block's clean()."""
    block = model._meta.get_field(field_name).stream_block
    return block.clean(block.to_python(raw))


def image_with(alt_title: str):
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=alt_title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="x.png")
    )


def document_with(title: str):
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4\n", name="x.pdf")
    )


def typed_rich_text() -> str:
    """Rich text as Wagtail's editor saves it when an author types the payloads."""
    return "".join(f"<p>{html.escape(payload.text)}</p>" for payload in PAYLOADS)


def lesson_body(check_id: str) -> list[dict]:
    def block(kind, value, block_id=None):
        return {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}

    return [
        block("markdown", EVERY),
        block("rich_text", typed_rich_text()),
        block(
            "citation",
            {
                "regulation": chunk(80),
                "article": chunk(120, 1),
                "text": EVERY,
                "quoted": False,
                "marker": "S",
                "source": chunk(300, 2),
            },
        ),
        block("callout", {"kind": "warning", "title": chunk(200, 3), "text": EVERY}),
        block(
            "deadline",
            {
                "step": "notice",
                "start": "2024-03-06",
                "regime": "general",
                "caption": chunk(300, 4),
            },
        ),
        block(
            "check",
            {
                "question": EVERY,
                "options": [
                    {"text": text, "correct": index == 0, "feedback": EVERY}
                    for index, text in enumerate(LONG)
                ],
                "explanation": EVERY,
            },
            check_id,
        ),
        block(
            "image",
            {
                "image": image_with(chunk(255, 5)).pk,
                "alt_text": chunk(300, 6),
                "caption": chunk(300, 7),
            },
        ),
        block(
            "video",
            {
                "url": "https://video.invalid/xss",
                "title": chunk(200, 8),
                "transcript": EVERY,
            },
        ),
        block("document", {"document": document_with(chunk(255, 9)).pk, "label": ""}),
    ]


def xss_questions() -> list[Question]:
    category = QuestionCategory(
        name=NAMES[1],
        regulation=QuestionCategory.Regulation.UU_KIP,
        topic=chunk(120, 2),
        description=EVERY,
    )
    category.full_clean()
    category.save()

    def question(kind, choices, index):
        q = Question(
            category=category,
            kind=kind,
            name=chunk(200, index),
            text=EVERY,
            explanation=EVERY,
            legal_basis=chunk(200, index + 1),
            basis_marker=Question.Marker.SECONDARY,
            points=1,
        )
        q.full_clean()
        q.save()
        for order, spec in enumerate(choices):
            choice = Choice(question=q, sort_order=order, **spec)
            choice.full_clean(exclude=["question"])
            choice.save()
        return q

    options = [
        {"text": text, "is_correct": i == 0, "feedback": EVERY}
        for i, text in enumerate(LONG)
    ]
    return [
        question("single", options, 0),
        question(
            "multiple",
            [{**option, "is_correct": i < 2} for i, option in enumerate(options)],
            1,
        ),
        question("ordering", [{"text": text} for text in LONG], 2),
        question(
            "matching",
            [
                {"text": text, "match_text": chunk(255, i)}
                for i, text in enumerate(LONG)
            ],
            3,
        ),
        question("short", [{"text": "Atasan PPID", "is_correct": True}], 4),
    ]


def xss_scenario() -> dict:
    """The Gianyar library scenario with every text replaced by payloads."""

    def fill(data, number):
        for key in (
            "narrative",
            "feedback",
            "feedback_correct",
            "feedback_wrong",
            "explanation",
            "debrief",
        ):
            if key in data:
                data[key] = f"{EVERY}\n\n({number})"
        if "text" in data:
            data["text"] = f"{EVERY} ({number})"

    def change(data):
        data["title"] = TITLES[1]
        data["summary"] = EVERY
        case = data["case"]
        case.update(
            requester=EVERY,
            request=EVERY,
            office=chunk(255, 3),
            summary=EVERY,
            documents=packed(300),
        )
        for number, step in enumerate(data["steps"]):
            step["title"] = chunk(200, number)
            fill(step, number)
            if "outcome" in step:
                step["outcome"] = chunk(300, number)
            for key in ("choices", "items", "elements"):
                for index, item in enumerate(step.get(key, [])):
                    fill(item, f"{number}.{index}")

    return broken(change=change)


@dataclass
class Content:
    course: CoursePage
    module: ModulePage
    lesson: LessonPage
    raw_lesson: LessonPage
    check_id: str
    quiz: QuizPage
    scenario: object
    courses: list[CoursePage]


def build_content() -> Content:
    catalogue = ensure_site_tree()
    courses = [
        published(
            catalogue,
            CoursePage(
                title=title,
                slug=f"kursus-xss-{index}",
                summary=LONG[index % 3],
                intro=EVERY,
                objectives="\n".join(NAMES),
                regulations="\n".join(NAMES),
                search_keywords=EVERY,
                hours=2,
            ),
        )
        for index, title in enumerate(TITLES)
    ]
    course = courses[0]
    module = published(
        course, ModulePage(title=TITLES[2], slug="modul-xss", intro=EVERY)
    )
    check_id = str(uuid.uuid4())
    lesson = published(
        module,
        LessonPage(
            title=TITLES[3],
            slug="pelajaran-xss",
            summary=LONG[1],
            minutes=5,
            body=editor_stream(LessonPage, "body", lesson_body(check_id)),
        ),
    )
    # Rich text that did not come through the editor (an import, a migration):
    # every payload as raw HTML. Wagtail's own editor trusts stored rich text (it
    # shows a stored javascript: link as a link), so this lesson is not opened there.
    raw_lesson = published(
        module,
        LessonPage(
            title=TITLES[5],
            slug="pelajaran-xss-impor",
            summary=LONG[2],
            required=False,
            body=editor_stream(
                LessonPage, "body", [{"type": "rich_text", "value": EVERY}]
            ),
        ),
    )
    quiz = published(
        module,
        QuizPage(
            title=TITLES[4],
            slug="kuis-xss",
            intro=typed_rich_text(),
            shuffle_questions=False,
            shuffle_options=False,
            questions_per_page=10,
            max_attempts=0,
            review_score="each",
            review_answers="each",
            review_feedback="each",
            required=False,
        ),
    )
    for order, question in enumerate(xss_questions()):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    scenario = scenario_page(module, xss_scenario(), required=False)
    problems = scenario.scenario_check(course_slug=course.slug).problems
    assert not problems, problems
    return Content(
        course, module, lesson, raw_lesson, check_id, quiz, scenario, courses
    )


def play_scenario_to_the_end(page, watcher, base, scenario_page_obj, learner) -> int:
    """Start the case in the browser, then at every step: look at the page, answer
    with the best answer (through the service, as the form post would)."""
    from quizzes.practice.models import ScenarioPlay

    watcher.visit(page, base + scenario_page_obj.url, shows=(TITLES[1],))
    page.click("form[action$='/mulai/'] button[type=submit]")
    page.wait_for_load_state()
    play = ScenarioPlay.objects.get(user=learner, page=scenario_page_obj)
    scenario = play.snapshot.scenario()
    oracle = kip_oracle()
    for _ in range(len(scenario.steps)):
        play.refresh_from_db()
        state = PlayState.from_dict(play.state)
        if state.finished:
            break
        watcher.inspect(page, shows=(chunk(200, _step_number(scenario, state)),))
        post = QueryDict(mutable=True)
        for key, value in best_post(scenario, state.current).items():
            post.setlist(key, value if isinstance(value, list) else [value])
        step = scenario.step(state.current)
        practice_services.play_answer(
            play=play,
            step_id=state.current,
            value=parse_answer(step, post),
            now=timezone.now(),
            oracle=oracle,
        )
        page.goto(base + reverse("practice:play", args=[play.pk]))
    assert "/hasil/" in page.url, page.url
    watcher.inspect(page, shows=(TITLES[1],))
    return play.pk


def _step_number(scenario, state) -> int:
    return next(i for i, s in enumerate(scenario.steps) if s.id == state.current)


# --- The pages ------------------------------------------------------------------------


def test_author_and_learner_text_never_runs_in_any_page(live_server, xss_browser):
    open_page, watcher = xss_browser
    base = live_server.url
    tree = build_office_tree()
    content = build_content()
    learner = UserFactory(office=tree.badung, full_name="Peserta Biasa")
    admin = UserFactory(admin=True, office=tree.national, full_name="Admin")
    for course in content.courses:
        enrolment_self_create(user=learner, course=course, now=timezone.now())

    page = open_page()
    sign_in(page, base, learner.email, TEST_PASSWORD)
    # The learner's own name, typed into the profile form.
    page.goto(base + reverse("accounts:profile"))
    page.fill("input[name=full_name]", NAMES[0])
    page.click("main form:has(input[name=full_name]) button[type=submit]")
    page.wait_for_load_state()
    watcher.inspect(page)
    learner.refresh_from_db()
    assert learner.full_name == NAMES[0]

    watcher.visit(page, base + "/kursus/", shows=tuple(TITLES))
    # The search query is reflected in the results page.
    watcher.visit(page, base + "/kursus/cari/?" + urlencode({"q": NAMES[2]}))
    watcher.visit(page, base + content.course.url, shows=(TITLES[0], LONG[0]))
    watcher.visit(page, base + content.module.url, shows=(TITLES[2],))
    watcher.visit(page, base + content.raw_lesson.url, shows=(TITLES[5], LONG[2]))
    # The rich text typed in the editor shows the payloads as text.
    typed = PAYLOADS[0].text
    watcher.visit(page, base + content.lesson.url, shows=(TITLES[3], LONG[1], typed))
    # Answer the knowledge check (knowledge-check.js swaps the answered section in).
    page.check(f"#check-{content.check_id}-0")
    page.click(f"form[data-check='{content.check_id}'] button[type=submit]")
    page.wait_for_selector(f"#check-{content.check_id} .check-explanation")
    watcher.inspect(page)
    page.reload()
    watcher.inspect(page)

    # The quiz: landing page, an attempt answered in the form, the review.
    watcher.visit(page, base + content.quiz.url, shows=(TITLES[4],))
    page.click("form[action$='/mulai/'] button[type=submit]")
    page.wait_for_load_state()
    watcher.inspect(page, shows=(LONG[0],))
    # Autosave posts on every change; the form's submit carries the answers anyway,
    # and SQLite's shared in-memory test database would lock under the overlap.
    page.route("**/simpan/", lambda route: route.abort())
    for fieldset in page.locator("fieldset.question").all():
        choice = fieldset.locator("input[type=radio], input[type=checkbox]")
        if choice.count():
            choice.first.check()
        for select in fieldset.locator("select").all():
            select.select_option(index=1)
        if fieldset.locator("input[type=text]").count():
            fieldset.locator("input[type=text]").fill(chunk(500, 1))
    page.click("button.quiz-submit")
    page.wait_for_url(re.compile(r"/ulasan/"))
    watcher.inspect(page, shows=(LONG[0], chunk(500, 1), chunk(200, 1)))

    play_pk = play_scenario_to_the_end(page, watcher, base, content.scenario, learner)

    # Answering the lesson's only check completed it, and with it the course (the
    # quiz and the scenario are optional): the certificate is issued in her name.
    certificate = Certificate.objects.get(user=learner, course_id=content.course.pk)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.holder_name == NAMES[0]
    watcher.visit(page, base + "/belajar/", shows=tuple(TITLES))
    watcher.visit(page, base + reverse("certificates:mine"), shows=(TITLES[0],))
    verification = base + reverse("certificates:verify_code", args=[certificate.code])
    watcher.visit(page, verification, shows=(NAMES[0], TITLES[0]))

    # Staff and authors: the coordinator pages and the Wagtail admin.
    staff = open_page()
    sign_in(staff, base, admin.email, TEST_PASSWORD)
    stats_refresh(now=timezone.now())
    for url, shows in [
        (reverse("dashboard:home"), ()),
        (reverse("dashboard:learners"), (NAMES[0],)),
        (reverse("dashboard:transcript", args=[learner.pk]), (NAMES[0], TITLES[0])),
        (reverse("certificates:register"), (NAMES[0],)),
        (reverse("certificates:register_detail", args=[certificate.pk]), (NAMES[0],)),
        (reverse("wagtailusers_users:index"), (NAMES[0],)),
        (reverse("wagtailusers_users:edit", args=[learner.pk]), ()),
        (reverse("wagtailadmin_explore", args=[content.module.pk]), (TITLES[3],)),
        (reverse("wagtailadmin_pages:edit", args=[content.lesson.pk]), ()),
        (reverse("wagtailadmin_pages:edit", args=[content.quiz.pk]), ()),
        (reverse("wagtailadmin_pages:edit", args=[content.scenario.pk]), ()),
        (reverse("wagtailadmin_pages:edit", args=[content.course.pk]), ()),
        (reverse("wagtailsnippets_quizzes_question:list"), (chunk(200, 0),)),
        (
            reverse(
                "wagtailsnippets_quizzes_question:edit",
                args=[QuizQuestion.objects.filter(quiz=content.quiz)[0].question_id],
            ),
            (),
        ),
        (reverse("quizzes_admin:analysis", args=[content.quiz.pk]), (chunk(200, 0),)),
        (reverse("practice_admin:index"), (TITLES[1],)),
        (reverse("practice_admin:diagram", args=[content.scenario.pk]), ()),
        (reverse("practice_admin:analytics", args=[content.scenario.pk]), ()),
    ]:
        watcher.visit(staff, base + url, shows=shows)

    assert play_pk
    problems = watcher.report()
    assert not problems, "\n".join(problems)
    assert len(watcher.pages) >= 30, watcher.pages


def staff_csv(offices) -> bytes:
    """A staff list as a coordinator exports it from a spreadsheet: every name a
    payload, and three rows whose bad values the preview quotes back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["nama", "email", "nip", "jenis_kepegawaian", "kode_kantor"])
    for index, name in enumerate(NAMES):
        office = offices[index % len(offices)]
        writer.writerow([name, f"staf{index}@example.org", "", "PNS", office.code])
    writer.writerow(["Email Salah", chunk(120, 1), "", "PNS", offices[0].code])
    writer.writerow(["Jenis Salah", "jenis@example.org", "", chunk(120, 2), "51.03"])
    writer.writerow(["Kantor Salah", "kantor@example.org", "", "PNS", chunk(120, 3)])
    writer.writerow(["NIP Salah", "nip@example.org", chunk(40, 4), "PNS", "51.03"])
    return buffer.getvalue().encode("utf-8")


def test_names_of_people_and_offices_never_run_in_any_page(live_server, xss_browser):
    open_page, watcher = xss_browser
    base = live_server.url
    tree = build_office_tree()
    admin = UserFactory(admin=True, office=tree.national, full_name="Admin")
    offices = []
    for index, name in enumerate(NAMES[:4]):
        office = Office(
            code=f"51.{91 + index}",
            level=Office.Level.REGENCY,
            parent=tree.bali,
            region_name=chunk(120, index),
            name=name,
            head_name=NAMES[index + 1],
            head_title=NAMES[index + 2],
        )
        office.full_clean()  # as the office admin form validates it
        office.save()
        offices.append(office)
    # The home page's and the catalogue's rich text introductions.
    catalogue = ensure_site_tree()
    for intro_page in (catalogue, catalogue.get_parent().specific):
        intro_page.intro = EVERY
        intro_page.save_revision().publish()
    course = published(
        catalogue,
        CoursePage(
            title=TITLES[0],
            slug="kursus-xss",
            summary=LONG[0],
            objectives="Memahami.",
            regulations="UU 14/2008",
        ),
    )

    page = open_page()
    sign_in(page, base, admin.email, TEST_PASSWORD)
    watcher.visit(page, base + "/", shows=())
    watcher.visit(page, base + "/kursus/", shows=(TITLES[0],))
    # The staff import: upload, preview (bad values quoted back), confirm, result.
    page.goto(base + reverse("offices:staff_import_upload"))
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "pegawai.csv",
                "mimeType": "text/csv",
                "buffer": staff_csv(offices),
            }
        ],
    )
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/impor/\d+/"))
    watcher.inspect(page, shows=(NAMES[0], chunk(120, 1), chunk(120, 2)))
    page.click("button[name=action][value=confirm]")
    page.wait_for_load_state()
    watcher.inspect(page)
    imported = list(User.objects.filter(email__startswith="staf").order_by("email"))
    # The import collapses runs of spaces in names; nothing else changes.
    assert sorted(u.full_name for u in imported) == sorted(map(squashed, NAMES))

    for user in imported:
        enrolment_self_create(user=user, course=course, now=timezone.now())
    stats_refresh(now=timezone.now())
    office = offices[0]
    for url, shows in [
        (reverse("offices:staff_list"), (NAMES[0],)),
        (reverse("dashboard:home"), (NAMES[0],)),
        (reverse("dashboard:summary"), (NAMES[0],)),
        (reverse("dashboard:learners"), (NAMES[1],)),
        (reverse("dashboard:transcript", args=[imported[0].pk]), ()),
        (reverse("wagtailusers_users:index"), (NAMES[2],)),
        (reverse("wagtailusers_users:edit", args=[imported[0].pk]), ()),
        (reverse("office_admin:index"), (NAMES[0],)),
        (reverse("office_admin:edit", args=[office.pk]), ()),
    ]:
        watcher.visit(page, base + url, shows=shows)

    problems = watcher.report()
    assert not problems, "\n".join(problems)
    assert len(watcher.pages) >= 12, watcher.pages
