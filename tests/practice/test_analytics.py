"""Instructor analytics: counts, rates, answers per step, paths, CSV, permissions."""

import csv
import io

import pytest
from django.urls import reverse

from quizzes.practice.selectors import scenario_analytics

from .factories import (
    UserFactory,
    broken,
    enrol,
    instructor_user,
    scenario_page,
    step,
)
from .helpers import best_post, worst_post
from .test_completion import play_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(course):
    page = scenario_page(course[1])
    learners = [UserFactory() for _ in range(3)]
    for user in learners:
        enrol(user, course[0])
    play_through(learners[0], page)
    play_through(learners[1], page, choose=worst_post)
    play_through(learners[2], page, choose=worst_post)
    return page


def test_plays_rates_and_average(played):
    result = scenario_analytics(played)
    assert (result.plays, result.finished, result.passed, result.learners) == (
        3,
        3,
        1,
        3,
    )
    assert result.completion_rate == 1 and result.pass_rate == pytest.approx(1 / 3)
    # The worst answers score nothing in this scenario: (18 + 0 + 0) / 3.
    assert result.average_score == pytest.approx(6)


def test_answers_per_step_and_links(played):
    result = scenario_analytics(played)
    first = result.steps[0]
    assert first.step_id == "terima-permohonan" and first.answers == 3
    rows = {row.label[:20]: (row.count, row.correct) for row in first.rows}
    assert rows == {
        "Mencatat permohonan ": (1, True),
        "Menunggu dokumen sia": (2, False),
        "Meminta pemohon data": (0, False),
    }
    assert result.counts[("terima-permohonan", "klasifikasi-informasi")] == 3
    assert result.counts[("kirim-jawaban", "selesai-tepat-waktu")] == 1
    assert result.counts[("kirim-jawaban", "keberatan-keterlambatan")] == 2


def test_the_most_common_failed_path_comes_first(played):
    path = scenario_analytics(played).failed_paths[0]
    assert path.count == 2
    assert path.steps[0] == "Permohonan masuk lewat e-mail"
    assert path.steps[-1] == "Pemohon mengajukan keberatan"


def test_the_analytics_page_and_diagram_with_counts(client, played):
    client.force_login(instructor_user())
    response = client.get(reverse("practice_admin:analytics", args=[played.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "(3)" in html  # a link taken by all three plays


def test_the_csv_neutralises_formulas(client, course):
    data = broken()
    step(data, "terima-permohonan")["choices"][2]["text"] = '=HYPERLINK("http://x")'
    page = scenario_page(course[1], data)
    user = UserFactory()
    enrol(user, course[0])
    play_through(user, page, choose=best_post)
    client.force_login(instructor_user())
    response = client.get(reverse("practice_admin:analytics_csv", args=[page.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(cell.startswith("=") for cell in cells)


@pytest.mark.parametrize("name", ["analytics", "analytics_csv", "diagram"])
def test_learners_cannot_open_the_instructor_views(client, played, name):
    learner = UserFactory()
    client.force_login(learner)
    response = client.get(reverse(f"practice_admin:{name}", args=[played.pk]))
    # No admin access: Wagtail sends them to its login page.
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["analytics", "analytics_csv", "diagram"])
def test_instructors_open_the_instructor_views(client, played, name):
    client.force_login(instructor_user())
    assert (
        client.get(reverse(f"practice_admin:{name}", args=[played.pk])).status_code
        == 200
    )


def test_the_overview_lists_every_scenario(client, played):
    client.force_login(instructor_user())
    response = client.get(reverse("practice_admin:index"))
    assert response.status_code == 200
    assert played.title in response.content.decode()
