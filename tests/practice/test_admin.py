"""The editor's side: the edit page with its Check tab, the preview play, buttons."""

import pytest
from django.urls import reverse

from quizzes.practice.models import ScenarioAnswer, ScenarioPlay

from .factories import admin_user, broken, form_data, page_form_values, scenario_page
from .test_validation import dangling

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(admin_user())
    return client


def test_the_edit_page_shows_the_check_and_the_diagram(editor, scenario):
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[scenario.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "practice-check" in html and "<svg" in html
    assert reverse("practice_admin:diagram", args=[scenario.pk]) in html


def test_the_create_page_works_under_a_module(editor, course):
    url = reverse(
        "wagtailadmin_pages:add", args=["practice", "scenariopage", course[1].pk]
    )
    assert editor.get(url).status_code == 200


def test_the_diagram_marks_the_steps_with_problems(editor, course):
    page = scenario_page(course[1], broken(change=dangling), publish=False)
    response = editor.get(reverse("practice_admin:diagram", args=[page.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="step step-decision has-problem"' in html
    assert "langkah-hilang" in html


def test_the_page_header_offers_diagram_and_analytics(editor, scenario):
    response = editor.get(
        reverse("wagtailadmin_explore", args=[scenario.get_parent().pk])
    )
    html = response.content.decode()
    assert reverse("practice_admin:analytics", args=[scenario.pk]) in html


def preview_url(page):
    return reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])


def test_the_preview_plays_in_the_session_and_records_nothing(editor, scenario):
    # The editor's panel first posts the form, then loads the preview.
    editor.post(preview_url(scenario), form_data(page_form_values(scenario)))
    first = editor.get(preview_url(scenario) + "?mode=play")
    assert first.status_code == 200
    assert 'name="step" value="terima-permohonan"' in first.content.decode()
    answer_url = reverse("practice_admin:preview_answer", args=[scenario.pk])
    response = editor.post(
        answer_url, {"step": "terima-permohonan", "choice": "catat-dan-beri-nomor"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(preview_url(scenario))
    second = editor.get(response["Location"]).content.decode()
    assert 'name="step" value="klasifikasi-informasi"' in second
    assert "practice-feedback" in second
    assert not ScenarioPlay.objects.exists() and not ScenarioAnswer.objects.exists()
    editor.post(answer_url, {"action": "restart"})
    again = editor.get(preview_url(scenario) + "?mode=play").content.decode()
    assert 'name="step" value="terima-permohonan"' in again


def test_the_preview_plays_the_unsaved_form(editor, scenario):
    values = {**page_form_values(scenario), "title": "Judul yang belum disimpan"}
    editor.post(preview_url(scenario), form_data(values))
    html = editor.get(preview_url(scenario) + "?mode=play").content.decode()
    assert "Judul yang belum disimpan" in html


def test_bad_input_in_the_preview_is_shown(editor, scenario):
    editor.post(preview_url(scenario), form_data(page_form_values(scenario)))
    answer_url = reverse("practice_admin:preview_answer", args=[scenario.pk])
    response = editor.post(answer_url, {"step": "terima-permohonan", "choice": ""})
    html = editor.get(response["Location"]).content.decode()
    assert 'role="alert"' in html and "Pilih salah satu jawaban" in html


def test_a_broken_branch_stops_the_preview_with_a_message(editor, course):
    page = scenario_page(course[1], broken(change=dangling), publish=False)
    editor.post(preview_url(page), form_data(page_form_values(page)))
    answer_url = reverse("practice_admin:preview_answer", args=[page.pk])
    response = editor.post(
        answer_url, {"step": "terima-permohonan", "choice": "nomor-bersama-dokumen"}
    )
    html = editor.get(response["Location"]).content.decode()
    assert "langkah-hilang" in html  # listed as a problem, and the refusal shown
    assert 'name="step" value="terima-permohonan"' in html


def test_learners_cannot_answer_the_preview(client, learner, scenario):
    client.force_login(learner)
    answer_url = reverse("practice_admin:preview_answer", args=[scenario.pk])
    response = client.post(answer_url, {"step": "terima-permohonan", "choice": "x"})
    assert response.status_code == 302  # Wagtail: no admin access


def test_a_new_scenario_is_saved_as_a_draft_with_its_problems(editor, course):
    from quizzes.practice.models import ScenarioPage

    from .factories import scenario_page_values

    url = reverse(
        "wagtailadmin_pages:add", args=["practice", "scenariopage", course[1].pk]
    )
    values = scenario_page_values(broken(change=dangling))
    response = editor.post(url, form_data(values))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ScenarioPage.objects.get(slug=values["slug"])
    assert not page.live
    response = editor.post(
        url,
        form_data({**values, "slug": "kedua"}, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 200  # refused, shown again with the errors
    assert not ScenarioPage.objects.filter(slug="kedua").exists()
