"""Validation on save and on publish: each problem at its step; publishing refused.

Drafts keep their problems (so a half-built graph can be saved); publishing, from
the edit form or any other way (`revision.publish()`), refuses an invalid scenario.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError

from quizzes.practice.adapters import page_values
from quizzes.practice.blocks import ScenarioStepsBlock
from quizzes.practice.models import ScenarioPage

from .factories import (
    admin_user,
    broken,
    form_data,
    library,
    page_form_values,
    scenario_page,
    scenario_page_values,
    step,
)

pytestmark = pytest.mark.django_db

# The Gianyar scenario's steps, in order: 0 terima-permohonan, 1 klasifikasi-informasi,
# 2 tenggat-pemberitahuan, 3 isi-pemberitahuan, 4 kirim-jawaban, 5 selesai-tepat-waktu,
# 6 keberatan-keterlambatan.


def dangling(data):
    step(data, "terima-permohonan")["choices"][1]["next"] = "langkah-hilang"


def unreachable(data):
    data["steps"].append(
        {"id": "yatim", "kind": "ending", "title": "Tak terjangkau", "outcome": "x"}
    )


def endless(data):
    # isi-pemberitahuan → kirim-jawaban → back: no way out of the loop.
    for choice in step(data, "kirim-jawaban")["choices"]:
        choice["next"] = "isi-pemberitahuan"


def no_choices(data):
    step(data, "kirim-jawaban")["choices"] = []


CASES = [
    (dangling, 0, "dangling_link", "langkah-hilang"),
    (unreachable, 7, "unreachable", ""),
    (endless, 3, "endless_cycle", "kirim-jawaban"),
    (no_choices, 4, "empty_choices", ""),
]


def form_for(page, values, *, draft=False):
    form_class = ScenarioPage.get_edit_handler().get_form_class()
    form = form_class(
        form_data(values),
        instance=page,
        parent_page=page.get_parent().specific,
        for_user=admin_user(),
    )
    if draft:
        form.defer_required_fields()
    return form


def block_messages(error: StreamBlockValidationError) -> dict[int, list[str]]:
    return {
        index: list(child.non_block_errors.as_data()[0].messages)
        if child.non_block_errors
        else [str(child)]
        for index, child in error.block_errors.items()
    }


@pytest.mark.parametrize(("change", "index", "code", "word"), CASES)
def test_a_problem_is_shown_at_the_step_that_has_it(course, change, index, code, word):
    page = scenario_page(course[1])
    form = form_for(page, scenario_page_values(broken(change=change)))
    assert not form.is_valid()
    error = form.errors.as_data()["steps"][0]
    assert isinstance(error, StreamBlockValidationError)
    messages = block_messages(error)
    assert index in messages, messages
    assert all(word in m for m in messages[index]) if word else messages[index]


@pytest.mark.parametrize(("change", "index", "code", "word"), CASES)
def test_a_draft_with_a_problem_may_be_saved(course, change, index, code, word):
    page = scenario_page(course[1])
    form = form_for(page, scenario_page_values(broken(change=change)), draft=True)
    assert form.is_valid(), form.errors


def test_a_valid_scenario_passes_the_form(course):
    page = scenario_page(course[1])
    assert form_for(page, page_form_values(page)).is_valid()


def test_a_pass_mark_above_the_maximum_is_shown_at_the_pass_mark(course):
    page = scenario_page(course[1])
    values = {**page_form_values(page), "pass_mark": 99}
    form = form_for(page, values)
    assert not form.is_valid()
    assert "pass_mark" in form.errors and "steps" not in form.errors


def test_an_unknown_first_step_is_shown_at_that_field(course):
    page = scenario_page(course[1])
    form = form_for(page, {**page_form_values(page), "start_step": "entah"})
    assert not form.is_valid()
    assert "start_step" in form.errors


def test_a_deadline_the_legal_engine_cannot_compute_is_refused(course):
    page = scenario_page(course[1])
    values = page_form_values(page)
    import datetime

    values["received_on"] = datetime.date(1990, 3, 6)  # before the engine's calendar
    form = form_for(page, values)
    assert not form.is_valid()
    error = form.errors.as_data()["steps"][0]
    assert 2 in error.block_errors  # the deadline step


# --- shape rules of the blocks themselves ---------------------------------------------


def test_a_repeated_step_id_is_marked_at_the_later_step():
    block = ScenarioStepsBlock()
    data = broken()
    data["steps"][4]["id"] = "terima-permohonan"
    values = scenario_page_values(data)["steps"]
    value = block.to_python(values)
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(value)
    assert set(caught.value.block_errors) == {4}


def test_a_score_branch_needs_a_whole_number():
    block = ScenarioStepsBlock()
    data = broken()
    step(data, "tenggat-pemberitahuan")["next"] = [
        {"goto": "kirim-jawaban", "when": {"score_at_least": 5}},
        {"goto": "isi-pemberitahuan"},
    ]
    values = scenario_page_values(data)["steps"]
    values[2]["value"]["next"]["branches"][0]["value"] = "lima"
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(block.to_python(values))
    assert set(caught.value.block_errors) == {2}


def test_a_deadline_starts_from_exactly_one_thing():
    block = ScenarioStepsBlock()
    values = scenario_page_values(broken())["steps"]
    values[2]["value"]["start_step"] = "terima-permohonan"  # and the event is set
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(block.to_python(values))
    assert set(caught.value.block_errors) == {2}


# --- through the Wagtail admin --------------------------------------------------------


def edit(client, page, values, **action):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), form_data(values, **action)
    )


def stream_errors(html: str) -> dict:
    """The per-block errors the StreamField widget is given, by step index."""
    soup = BeautifulSoup(html, "html.parser")
    widget = soup.find(id="steps")
    arguments = json.loads(widget["data-w-block-arguments-value"])
    return (arguments[1] or {}).get("blockErrors", {})


def test_publishing_an_invalid_scenario_is_refused_in_the_admin(client, course):
    page = scenario_page(course[1])
    live_revision = page.live_revision_id
    client.force_login(admin_user())
    response = edit(
        client,
        page,
        scenario_page_values(broken(change=dangling)),
        **{"action-publish": "action-publish"},
    )
    assert response.status_code == 200
    errors = stream_errors(response.content.decode())
    assert "langkah-hilang" in json.dumps(errors["0"])
    page.refresh_from_db()
    assert page.live_revision_id == live_revision
    assert page.specific.scenario_check().ok  # the live content is untouched


def test_saving_a_draft_keeps_the_problem_and_shows_it_at_its_step(client, course):
    page = scenario_page(course[1])
    client.force_login(admin_user())
    response = edit(client, page, scenario_page_values(broken(change=dangling)))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert [p.code for p in draft.scenario_check().problems] == ["dangling_link"]
    reopened = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "langkah-hilang" in json.dumps(stream_errors(reopened.content.decode())["0"])
    levels = [m.level for m in reopened.context["messages"]]
    assert messages.WARNING in levels  # "saved with 1 problem; cannot be published"


def test_a_valid_edit_is_published(client, course):
    page = scenario_page(course[1])
    client.force_login(admin_user())
    values = {**page_form_values(page), "pass_mark": 14}
    response = edit(client, page, values, **{"action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.pass_mark == 14 and page.live


def test_publishing_outside_the_form_is_refused_too(course):
    """Workflow approval, scheduled publishing and code all go through the model."""
    page = scenario_page(course[1], broken(change=endless), publish=False)
    revision = page.get_latest_revision()
    with pytest.raises(ValidationError) as caught:
        revision.publish()
    assert "steps" in caught.value.message_dict
    page.refresh_from_db()
    assert not page.live


def test_every_library_scenario_may_be_published(course):
    for scenario in library().values():
        page = ScenarioPage(live=False, **page_values(scenario))
        course[0].add_child(instance=page)
        page.save_revision().publish()
        assert ScenarioPage.objects.get(pk=page.pk).live
