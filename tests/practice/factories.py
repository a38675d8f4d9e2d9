"""Factories for scenario tests: a course with a module, learners, scenario pages.

Scenario pages are built from the engine's library (`quizzes/scenarios/library`)
through the adapter, so the tests exercise the same path as the demo content.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from django.utils import timezone

from courses.models import CoursePage, Enrolment, ModulePage
from quizzes.practice.adapters import page_values, steps_stream_data
from quizzes.practice.models import ScenarioPage
from quizzes.scenarios import Scenario, library_path, load_library
from tests.courses.conftest import ensure_site_tree
from tests.courses.factories import (
    PASSWORD,
    CoursePageFactory,
    ModulePageFactory,
    UserFactory,
)

__all__ = ["PASSWORD", "UserFactory"]

GIANYAR = "permohonan-tepat-waktu-gianyar"
NOW = datetime.datetime(2024, 3, 6, 10, 15, tzinfo=datetime.UTC)


def library() -> dict[str, Scenario]:
    return {s.slug: s for s in load_library()}


def library_dict(slug: str) -> dict[str, Any]:
    return json.loads((library_path() / f"{slug}.json").read_text(encoding="utf-8"))


def course_tree(**course_kwargs) -> tuple[CoursePage, ModulePage]:
    catalogue = ensure_site_tree()
    course = CoursePageFactory(parent=catalogue, **course_kwargs)
    module = ModulePageFactory(parent=course)
    return CoursePage.objects.get(pk=course.pk), ModulePage.objects.get(pk=module.pk)


def enrol(user, course: CoursePage, *, attempt: int = 1) -> Enrolment:
    return Enrolment.objects.create(
        user=user, course=course, attempt=attempt, enrolled_at=timezone.now()
    )


def scenario_page(
    parent,
    scenario: Scenario | dict | str = GIANYAR,
    *,
    publish: bool = True,
    **fields,
) -> ScenarioPage:
    """A ScenarioPage under `parent` holding a library scenario (by slug) or a dict.

    Published through a revision, as the admin does, unless `publish=False`.
    """
    if isinstance(scenario, str):
        scenario = library()[scenario]
    if isinstance(scenario, dict):
        values = scenario_page_values(scenario)
    else:
        values = page_values(scenario)
    values.update(fields)
    page = ScenarioPage(live=False, **values)
    type(parent).objects.get(pk=parent.pk).add_child(instance=page)
    revision = page.save_revision(clean=False)
    if publish:
        revision.publish()
    return ScenarioPage.objects.get(pk=page.pk)


def scenario_page_values(data: dict) -> dict:
    """Page values for a scenario dict that need not be valid (for validation tests)."""
    case = data["case"]
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data.get("summary", ""),
        "case_requester": case["requester"],
        "case_request": case["request"],
        "case_office": case["office"],
        "case_regime": case["regime"],
        "case_summary": case.get("summary", ""),
        "case_documents": "\n".join(case.get("documents", [])),
        **{
            name: datetime.date.fromisoformat(on) for name, on in case["events"].items()
        },
        "start_step": data["start"],
        "pass_mark": data["pass_mark"],
        "steps": steps_stream_data(data["steps"]),
    }


def broken(slug: str = GIANYAR, change=None) -> dict:
    """A deep copy of a library scenario's dict, changed by `change(data)`."""
    data = copy.deepcopy(library_dict(slug))
    if change is not None:
        change(data)
    return data


def step(data: dict, step_id: str) -> dict:
    return next(s for s in data["steps"] if s["id"] == step_id)


def instructor_user():
    """An instructor who may use the Wagtail admin (as the demo's Instruktur group)."""
    from django.contrib.auth.models import Group, Permission

    from lms.offices.permissions import INSTRUCTOR_GROUP

    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    return user


def admin_user():
    return UserFactory(is_superuser=True, is_staff=True)


def form_data(page_values: dict, **extra) -> dict:
    """The POST the Wagtail page editor sends for these page values."""
    from wagtail.blocks import StreamValue

    from quizzes.practice.models import ScenarioPage

    data: dict = {}
    for name, value in page_values.items():
        if name == "steps":
            if isinstance(value, StreamValue):
                value = value.stream_block.get_prep_value(value)
            block = ScenarioPage._meta.get_field("steps").stream_block
            _block_post(block, value, "steps", data)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value)
    data.update(extra)
    return data


def _block_post(block, value, prefix: str, out: dict) -> None:
    from wagtail import blocks

    if isinstance(block, blocks.StreamBlock):
        out[f"{prefix}-count"] = str(len(value))
        for index, child in enumerate(value):
            out[f"{prefix}-{index}-type"] = child["type"]
            out[f"{prefix}-{index}-deleted"] = ""
            out[f"{prefix}-{index}-order"] = str(index)
            out[f"{prefix}-{index}-id"] = child.get("id") or ""
            _block_post(
                block.child_blocks[child["type"]],
                child["value"],
                f"{prefix}-{index}-value",
                out,
            )
    elif isinstance(block, blocks.ListBlock):
        items = [
            item["value"]
            if isinstance(item, dict) and item.get("type") == "item"
            else item
            for item in value or []
        ]
        out[f"{prefix}-count"] = str(len(items))
        for index, item in enumerate(items):
            out[f"{prefix}-{index}-deleted"] = ""
            out[f"{prefix}-{index}-order"] = str(index)
            out[f"{prefix}-{index}-id"] = ""
            _block_post(block.child_block, item, f"{prefix}-{index}-value", out)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_post(child, (value or {}).get(name), f"{prefix}-{name}", out)
    elif isinstance(block, blocks.BooleanBlock):
        if value:
            out[prefix] = "on"
    else:
        out[prefix] = "" if value is None else str(value)


def page_form_values(page) -> dict:
    """The editable values of a saved page, as `form_data` wants them."""
    from quizzes.practice.forms import SOURCE_FIELDS

    values = {name: getattr(page, name) for name in SOURCE_FIELDS}
    values["allow_replay"] = page.allow_replay
    values["required"] = page.required
    return values
