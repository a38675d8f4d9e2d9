"""The "Check and diagram" panel of the scenario edit page.

Shows what the engine makes of the page as it stands in the form: the maximum score
(computed from the steps), every problem with the step it belongs to, and the step
graph drawn by `render_svg`, problems marked in red. Read-only; it has no fields.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.safestring import mark_safe
from wagtail.admin.panels import Panel

from quizzes.scenarios import render_svg


class ScenarioCheckPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "scenario_check"

    class BoundPanel(Panel.BoundPanel):
        template_name = "practice/admin/check_panel.html"

        def get_context_data(self, parent_context=None):
            from .forms import problem_rows
            from .selectors import course_for_parent, scenario_course

            context = super().get_context_data(parent_context)
            page = self.instance
            if page.pk:
                course = scenario_course(page)
            else:
                course = course_for_parent(getattr(self.form, "parent_page", None))
            check = page.scenario_check(course_slug=course.slug if course else "")
            svg = ""
            if check.scenario is not None:
                svg = render_svg(
                    check.scenario, problems=check.problems, id_prefix="check"
                )
            context.update(
                check=check,
                rows=problem_rows(check),
                # render_svg escapes every piece of author text (ADR 0003).
                svg=mark_safe(svg),  # noqa: S308
                diagram_url=reverse("practice_admin:diagram", args=[page.pk])
                if page.pk
                else "",
            )
            return context
