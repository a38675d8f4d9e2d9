"""The admin widgets Wagtail starts with inline script are written as
`<lms-admin-init>` data instead (lms/admin_init.py, docs/security.md), and every
name they use is in the allow-list of static/js/admin-init.js. The browser test
(test_csp_browser.py) proves they also work under the policy."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.test import RequestFactory
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.panels import MultipleChooserPanel, ObjectList, get_edit_handler
from wagtail.admin.widgets import (
    AdminDateInput,
    AdminDateTimeInput,
    AdminPageChooser,
    AdminTimeInput,
    BaseChooser,
)
from wagtail.admin.widgets.workflows import AdminTaskChooser

from courses.models import CoursePage
from lms.admin_init import chooser_render
from quizzes.models import Question
from tests.conftest import ROOT
from tests.factories import UserFactory

# A <script> the browser would run: no src, and no data type.
EXECUTABLE_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I
)
ADMIN_INIT = re.compile(
    r'<lms-admin-init hidden data-initialiser="(\w+)">(.*?)</lms-admin-init>', re.S
)


def admin_inits(html: str) -> list[tuple[str, list]]:
    """(initialiser, arguments) of each element, as the browser will read them."""
    return [
        (name, json.loads(unescape(data))) for name, data in ADMIN_INIT.findall(html)
    ]


def allowed_initialisers() -> set[str]:
    table = (ROOT / "static" / "js" / "admin-init.js").read_text(encoding="utf-8")
    return set(re.findall(r'^\s*\["(\w+)", ', table, re.M))


def subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(subclasses(sub) for sub in found))


def test_every_chooser_renders_through_our_render():
    assert BaseChooser.render is chooser_render


def test_every_chooser_class_starts_with_an_allowed_initialiser():
    allowed = allowed_initialisers()
    for chooser in subclasses(BaseChooser):
        if chooser.render_js_init is AdminTaskChooser.render_js_init:
            assert "createTaskChooser" in allowed
        else:
            assert chooser.render_js_init is BaseChooser.render_js_init, chooser
            assert chooser.js_constructor in allowed, chooser


@pytest.mark.parametrize(
    ("widget", "initialiser"),
    [
        (AdminDateInput(), "initDateChooser"),
        (AdminTimeInput(), "initTimeChooser"),
        (AdminDateTimeInput(), "initDateTimeChooser"),
    ],
)
def test_date_and_time_inputs_are_started_from_data(widget, initialiser):
    html = widget.render("due", None, {"id": "id_items-__prefix__-due"})
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    assert admin_inits(html) == [
        (initialiser, ["id_items-__prefix__-due", widget.get_config()])
    ]
    assert initialiser in allowed_initialisers()


def test_a_date_range_filter_starts_both_of_its_dates():
    html = DateRangePickerWidget().render("updated", None, {"id": "id_updated"})
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    started = [args[0] for _, args in admin_inits(html)]
    assert started == ["id_updated_0", "id_updated_1"]


@pytest.mark.django_db
def test_a_page_chooser_is_started_from_data_with_wagtails_options():
    widget = AdminPageChooser(target_models=[CoursePage])
    html = widget.render("course", None, {"id": "id_course"})
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    options = widget.get_js_init_options("id_course", "course", None)
    assert admin_inits(html) == [("PageChooser", ["id_course", options])]


@pytest.mark.django_db
def test_a_task_chooser_is_started_from_data():
    html = AdminTaskChooser().render("task", None, {"id": "id_task"})
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    assert admin_inits(html) == [("createTaskChooser", ["id_task"])]


def _render_panel(edit_handler, instance) -> str:
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(admin=True)
    form = edit_handler.get_form_class()(instance=instance, for_user=request.user)
    bound = edit_handler.get_bound_panel(instance=instance, request=request, form=form)
    return bound.render_html()


@pytest.mark.django_db
def test_a_snippet_form_starts_its_inline_panel_and_date_inputs_from_data():
    html = _render_panel(get_edit_handler(Question), Question())
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    inits = admin_inits(html)
    panels = [args[0]["formsetPrefix"] for name, args in inits if name == "InlinePanel"]
    assert panels == ["id_choices"]
    dates = [args[0] for name, args in inits if name == "initDateChooser"]
    assert dates == ["id_date_answer", "id_kip_start"]


@pytest.mark.django_db
def test_a_multiple_chooser_panel_is_started_from_data():
    # No model of ours uses one yet; the prerequisites of a course could.
    panel = MultipleChooserPanel(
        "prerequisite_links", chooser_field_name="required_course"
    )
    html = _render_panel(ObjectList([panel]).bind_to_model(CoursePage), CoursePage())
    assert not EXECUTABLE_INLINE_SCRIPT.search(html)
    inits = admin_inits(html)
    [options] = [args[0] for name, args in inits if name == "MultipleChooserPanel"]
    assert options["chooserFieldName"] == "required_course"
    # The chooser of the child form to copy, inert in its <template> until then.
    assert ("PageChooser", "id_prerequisite_links-__prefix__-required_course") in [
        (name, args[0]) for name, args in inits
    ]
    # Wagtail's chooser definition for the modal stays as it was: JSON data.
    assert 'id="id_prerequisite_links-CHOOSER_WIDGET"' in html
