"""Coordinator pages: who may see what (the matrix), what filters do, what every
number links to, and a fixed number of queries whatever the data size."""

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.courses.factories import CoursePageFactory
from tests.factories import UserFactory

from .conftest import TODAY, enrol, populate, refresh

PAGES = [
    "/koordinator/",
    "/koordinator/peserta/",
    "/koordinator/ringkasan/",
    "/koordinator/ekspor/peserta.csv",
    "/koordinator/ekspor/peserta.xlsx",
    "/koordinator/ekspor/kantor.csv",
    "/koordinator/ekspor/kantor.xlsx",
]


@pytest.fixture
def world(office_tree, course, people):
    populate(office_tree, course, 2)
    enrol(people.learner, course, source="assigned", due_on=TODAY, completed_on=TODAY)
    enrol(people.far, course)
    refresh()
    return office_tree


def url_for(page, office=None):
    return f"{page}?office={office.pk}" if office else page


# --- The permission matrix -------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, world, page):
    response = client.get(url_for(page, world.badung))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


@pytest.mark.parametrize("page", PAGES)
def test_a_learner_is_refused(client, world, people, page):
    client.force_login(people.learner)
    assert client.get(url_for(page, world.badung)).status_code == 403
    assert client.get(page).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_a_coordinator_sees_offices_in_scope(client, world, people, page):
    client.force_login(people.coordinator)
    for office in (None, world.bali, world.badung, world.denpasar):
        assert client.get(url_for(page, office)).status_code == 200, office


@pytest.mark.parametrize("page", PAGES)
def test_an_office_out_of_scope_is_not_found(client, world, people, page):
    client.force_login(people.outsider)  # Jawa Tengah
    for office in (world.bali, world.badung, world.national):
        assert client.get(url_for(page, office)).status_code == 404, office
    assert client.get(url_for(page, world.klaten)).status_code == 200
    assert client.get(f"{page}?office=999999").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_an_administrator_sees_every_office(client, world, people, page):
    client.force_login(people.admin)
    for office in (None, world.national, world.bali, world.klaten):
        assert client.get(url_for(page, office)).status_code == 200, office


def test_the_transcript_matrix(client, world, people):
    url = f"/koordinator/peserta/{people.learner.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        "/akun/login/"
    )
    client.force_login(people.intern)
    assert client.get(url).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    assert client.get("/koordinator/peserta/999999/").status_code == 404
    assert client.get(f"/koordinator/peserta/{people.far.pk}/").status_code == 200
    client.force_login(people.coordinator)
    assert client.get(url).status_code == 200
    assert client.get(f"/koordinator/peserta/{people.far.pk}/").status_code == 404
    client.force_login(people.admin)
    assert client.get(url).status_code == 200
    assert client.get(f"/koordinator/peserta/{people.far.pk}/").status_code == 200


def test_the_refresh_button_matrix(client, world, people):
    assert client.post("/koordinator/segarkan/")["Location"].startswith("/akun/login/")
    client.force_login(people.learner)
    assert client.post("/koordinator/segarkan/").status_code == 403
    client.force_login(people.coordinator)
    assert client.get("/koordinator/segarkan/").status_code == 405
    response = client.post("/koordinator/segarkan/", {"next": "/koordinator/?course=1"})
    assert (
        response.status_code == 302 and response["Location"] == "/koordinator/?course=1"
    )
    response = client.post("/koordinator/segarkan/", {"next": "https://evil.example/"})
    assert response["Location"] == "/koordinator/"


# --- Filters -------------------------------------------------------------------


VALID = [
    "course={course}",
    "employment=staff",
    "employment=intern",
    "employment=pns",
    "employment=pppk",
    "employment=ppnpn",
    "employment=magang",
    "employment=pkl",
    "period=4w",
    "period=12w",
    "period=month",
    "period=quarter",
    "period=year",
    "period=last_year",
    "from=2026-01-01&to=2026-03-31",
    "from=2026-01-01",
    "to=2026-03-31",
    "status=completed",
    "status=open",
    "status=overdue",
    "status=enrolled_in_period",
    "status=completed_in_period",
    "status=certified_in_period",
    "source=assigned",
    "source=self",
    "office={badung}&own=1",
    "office={bali}&own=1",
    "q=Ayu",
    "page=2",
    "page=999",
]
MALFORMED = [
    "office=abc",
    "office=1.5",
    "course=abc",
    "course=999999",
    "employment=boss",
    "period=forever",
    "period=custom",
    "from=2026-02-30",
    "to=tomorrow",
    "from=2026-05-01&to=2026-01-01",
    "from=2000-01-01&to=2026-01-01",
    "status=all",
    "source=import",
    "page=x",
    "own=2",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", VALID)
def test_every_filter_value_works_on_every_page(
    client, world, people, course, page, query
):
    client.force_login(people.coordinator)
    query = query.format(course=course.pk, badung=world.badung.pk, bali=world.bali.pk)
    assert client.get(f"{page}?{query}").status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", MALFORMED)
def test_a_malformed_filter_gets_a_message_not_an_error(
    client, world, people, page, query
):
    client.force_login(people.coordinator)
    response = client.get(f"{page}?{query}")
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert b"<li><strong>" in response.content and b"<code>" in response.content


def test_out_of_scope_wins_over_a_valid_filter(client, world, people, course):
    client.force_login(people.coordinator)
    response = client.get(f"/koordinator/?office={world.klaten.pk}&course={course.pk}")
    assert response.status_code == 404


# --- What coordinators see ----------------------------------------------------------


def list_count(client, url) -> int:
    response = client.get(unescape(url))
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_number_links_to_the_list_behind_it(client, world, people, course):
    client.force_login(people.coordinator)
    board = client.get(f"/koordinator/?office={world.bali.pk}").context["dashboard"]
    rows = [
        board.total,
        *board.offices,
        *board.courses,
        *board.groups,
        *board.employment,
        *board.sources,
    ]
    checked = 0
    for row in rows:
        if row.links is None:
            assert row.counts.enrolled == 0
            continue
        names = ("enrolled", "completed", "overdue")
        if row not in board.sources:
            names += ("assigned",)
        for name in names:
            expected = getattr(row.counts, name)
            assert list_count(client, getattr(row.links, name)) == expected, (
                row.label,
                name,
            )
            checked += 1
        if row in board.sources:
            continue  # activity is not kept by source; the page shows none
        for name in ("enrolled", "completed"):
            url = getattr(row.links, f"{name}_in_period")
            assert list_count(client, url) == getattr(row.activity, name), (
                row.label,
                name,
            )
    assert checked > 20


def test_the_links_on_the_page_carry_the_filters(client, world, people, course):
    client.force_login(people.coordinator)
    html = client.get(
        f"/koordinator/?course={course.pk}&employment=staff"
    ).content.decode()
    links = [
        unescape(u) for u in re.findall(r'href="(/koordinator/peserta/\?[^"]+)"', html)
    ]
    assert len(links) > 20
    for link in links:
        assert f"course={course.pk}" in link and "from=" in link and "to=" in link
        assert re.search(r"employment=(staff|pns|pppk|ppnpn)(&|$)", link), link


def test_the_tree_drills_down_and_names_the_own_staff(client, world, people):
    client.force_login(people.admin)
    html = client.get("/koordinator/").content.decode()
    assert "KPU Provinsi Bali" in html and "KPU Provinsi Jawa Tengah" in html
    assert f'href="/koordinator/?office={world.bali.pk}"' in html
    board = client.get(f"/koordinator/?office={world.bali.pk}").context["dashboard"]
    assert [row.kind for row in board.offices] == ["own", "child", "child"]
    assert [row.office.name for row in board.offices[1:]] == [
        "KPU Kabupaten Badung",
        "KPU Kota Denpasar",
    ]
    assert board.offices[1].drill_url is None  # a regency has nothing below it


def test_the_page_has_charts_and_tables_with_the_same_data(client, world, people):
    client.force_login(people.coordinator)
    html = client.get("/koordinator/").content.decode()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role='
    # The office bars link to their figures (a group); the weekly line is an image.
    assert html.count(svg + '"group"') == 1 and html.count(svg + '"img"') == 1
    assert "<script" not in html.split("<main", 1)[1]
    assert html.count("<caption>") >= 4
    assert '<th scope="row">' in html and '<th scope="col"' in html


def test_a_coordinator_sees_nothing_of_other_provinces(client, world, people, course):
    client.force_login(people.coordinator)
    pages = [client.get(p).content.decode("utf-8", "replace") for p in PAGES[:3]]
    pages.append(
        b"".join(
            client.get("/koordinator/ekspor/peserta.csv").streaming_content
        ).decode()
    )
    pages.append(
        b"".join(
            client.get("/koordinator/ekspor/kantor.csv").streaming_content
        ).decode()
    )
    for text in pages:
        assert "klaten@example.org" not in text and "Klaten" not in text
        assert "Jawa Tengah" not in text


def test_a_coordinator_of_two_provinces_gets_both(client, world, people):
    both = UserFactory(office=world.bali, coordinates=[world.bali, world.jateng])
    client.force_login(both)
    board = client.get("/koordinator/").context["dashboard"]
    assert board.focus is None
    assert {row.label for row in board.offices} == {
        "KPU Provinsi Bali",
        "KPU Provinsi Jawa Tengah",
    }
    assert client.get(f"/koordinator/?office={world.national.pk}").status_code == 404


def test_the_learner_list_shows_status_and_links_to_transcripts(client, world, people):
    client.force_login(people.coordinator)
    response = client.get(
        f"/koordinator/peserta/?office={world.badung.pk}&status=completed"
    )
    html = response.content.decode()
    assert f"/koordinator/peserta/{people.learner.pk}/" in html
    assert response.context["page"].paginator.count == 2  # one from populate, plus Ayu
    own = client.get(f"/koordinator/peserta/?office={world.bali.pk}&own=1")
    assert own.context["page"].paginator.count == 0


def test_the_transcript_shows_courses_and_certificate_and_quiz_sections(
    client, world, people, course
):
    client.force_login(people.coordinator)
    response = client.get(f"/koordinator/peserta/{people.learner.pk}/")
    sections = response.context["sections"]
    assert [e.course_id for e in sections["courses"]] == [course.pk]
    assert sections["quiz_attempts"] == []
    assert sections["certificates"] == []
    from dashboard.selectors import scenario_play_model

    assert sections["scenario_plays"] == ([] if scenario_play_model() else None)
    assert course.title in response.content.decode()


def test_the_summary_is_printable(client, world, people):
    client.force_login(people.coordinator)
    html = client.get(
        f"/koordinator/ringkasan/?office={world.bali.pk}"
    ).content.decode()
    assert "dashboard-print" in html and "dashboard/dashboard.css" in html
    assert "KPU Kabupaten Badung" in html


# --- Exports --------------------------------------------------------------------


def test_the_learner_csv_follows_the_filters(client, world, people, course):
    client.force_login(people.coordinator)
    response = client.get(f"/koordinator/ekspor/peserta.csv?office={world.badung.pk}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + 3
    assert {r[1] for r in rows[1:]} >= {"peserta@example.org"}


def test_a_name_that_looks_like_a_formula_is_neutralised(client, world, people, course):
    evil = UserFactory(office=world.badung, full_name='=HYPERLINK("http://x","y")')
    enrol(evil, course)
    client.force_login(people.coordinator)
    text = b"".join(
        client.get("/koordinator/ekspor/peserta.csv").streaming_content
    ).decode()
    assert "'=HYPERLINK" in text
    data = client.get("/koordinator/ekspor/peserta.xlsx").content
    names = [row[0].value for row in load_workbook(io.BytesIO(data)).active.iter_rows()]
    assert '\'=HYPERLINK("http://x","y")' in names


def test_the_office_export_lists_the_subtree_with_totals(client, world, people):
    client.force_login(people.coordinator)
    data = client.get("/koordinator/ekspor/kantor.xlsx").content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {"51", "51.03", "51.71"}
    assert by_code["51"][4] == by_code["51.03"][4] + by_code["51.71"][4]


def test_an_export_above_the_cap_asks_for_narrower_filters(
    client, world, people, monkeypatch
):
    monkeypatch.setattr("dashboard.exports.LEARNER_XLSX_CAP", 2)
    client.force_login(people.coordinator)
    response = client.get("/koordinator/ekspor/peserta.xlsx")
    assert response.status_code == 413
    assert b"CSV" in response.content


def test_an_unknown_export_format_is_not_found(client, world, people):
    client.force_login(people.coordinator)
    assert client.get("/koordinator/ekspor/peserta.pdf").status_code == 404


# --- A fixed number of queries ------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


QUERY_PAGES = [
    # session and user with its roles (2, lms.accounts.backends) are in every page.
    ("/koordinator/", 9),
    ("/koordinator/?office={bali}&course={course}&employment=staff", 9),
    ("/koordinator/peserta/?office={bali}", 6),
    ("/koordinator/peserta/?status=completed_in_period", 6),
    ("/koordinator/peserta/{learner}/", 9),
    ("/koordinator/ringkasan/", 9),
    ("/koordinator/ekspor/peserta.csv", 6),
    ("/koordinator/ekspor/peserta.xlsx", 6),
    ("/koordinator/ekspor/kantor.csv", 6),
    ("/koordinator/ekspor/kantor.xlsx", 6),
]


@pytest.mark.parametrize(("url", "expected"), QUERY_PAGES)
def test_pages_run_a_fixed_number_of_queries_at_any_size(
    client, catalogue, office_tree, course, people, url, expected
):
    """1 and then 5 learners per office and courses per learner: same count."""
    url = url.format(
        bali=office_tree.bali.pk, course=course.pk, learner=people.learner.pk
    )
    client.force_login(people.coordinator)
    counts = []
    for size in (1, 5):
        for _n in range(size):
            extra = CoursePageFactory(parent=catalogue)
            populate(office_tree, extra, size)
            enrol(people.learner, extra, completed_on=TODAY)
        refresh()
        counts.append(queries(client, url))
    assert counts == [expected, expected]
