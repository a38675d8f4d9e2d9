"""Wagtail admin views under /admin/latihan/: overview, diagram, analytics, preview.

- overview: every scenario with its plays, linking to the two views below;
- diagram: the latest revision's step graph (`render_svg`), problems in red;
- analytics: plays, completion and pass rates, average score, per step the answers
  chosen, the failed plays' most common paths, and the live version's diagram with
  the number of plays on each link; as CSV too (formula injection neutralised);
- preview answer: the POST target of the preview play (views.preview_play), which
  reuses Wagtail's preview view to see the editor's unsaved form data.
"""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.preview import PreviewOnEditView

from dashboard.exports import csv_stream
from lms.offices.permissions import user_is_instructor
from quizzes.scenarios import ScenarioError, ScenarioInputError, render_svg

from . import services
from .adapters import kip_oracle, localized
from .forms import AnswerFormatError, problem_rows
from .permissions import scenario_for_analysis_or_404
from .selectors import scenario_analytics, scenario_course, scenario_overview
from .views import preview_error_key, read_answer


def _svg(scenario, **kwargs) -> str:
    # render_svg escapes every piece of author text (ADR 0003), so it may be inlined.
    return mark_safe(render_svg(scenario, **kwargs))  # noqa: S308


class ScenarioAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        self.page = scenario_for_analysis_or_404(request.user, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # "?fit=1": the whole diagram scaled to the width of the screen.
        context["fit"] = self.request.GET.get("fit") == "1"
        return context

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("practice_admin:index"), "label": _("Scenarios")},
            # Wagtail's header shows the last item: what this is, and of which page.
            {"url": "", "label": f"{self.page_title}: {self.page.title}"},
        ]


class DiagramView(ScenarioAdminMixin, TemplateView):
    template_name = "practice/admin/diagram.html"
    page_title = gettext_lazy("Scenario diagram")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.page.get_latest_revision_as_object()
        course = scenario_course(self.page)
        check = latest.scenario_check(course_slug=course.slug if course else "")
        context.update(
            page=self.page,
            check=check,
            rows=problem_rows(check),
            is_draft=self.page.has_unpublished_changes or not self.page.live,
            svg=_svg(check.scenario, problems=check.problems) if check.scenario else "",
        )
        return context


class AnalyticsView(ScenarioAdminMixin, TemplateView):
    template_name = "practice/admin/analytics.html"
    page_title = gettext_lazy("Scenario analytics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = scenario_analytics(self.page)
        context.update(
            page=self.page,
            result=result,
            svg=_svg(result.scenario, counts=result.counts, id_prefix="analytics")
            if result.scenario
            else "",
        )
        return context


def analytics_csv(request, page_id):
    page = scenario_for_analysis_or_404(request.user, page_id)
    result = scenario_analytics(page)
    header = [
        _("section"),
        _("step id"),
        _("step"),
        _("kind"),
        _("answer"),
        _("count"),
        _("share"),
        _("correct"),
    ]

    def share(value):
        return "" if value is None else f"{value:.3f}"

    def correct(value):
        return "" if value is None else int(value)

    rows = [
        ["summary", "", "", "", _("plays"), result.plays, "", ""],
        ["summary", "", "", "", _("learners"), result.learners, "", ""],
        [
            "summary",
            "",
            "",
            "",
            _("finished"),
            result.finished,
            share(result.completion_rate),
            "",
        ],
        [
            "summary",
            "",
            "",
            "",
            _("passed"),
            result.passed,
            share(result.pass_rate),
            "",
        ],
        [
            "summary",
            "",
            "",
            "",
            _("average score"),
            "" if result.average_score is None else f"{result.average_score:.2f}",
            "",
            "",
        ],
    ]
    for step in result.steps:
        for row in step.rows:
            rows.append(
                [
                    "step",
                    step.step_id,
                    step.title,
                    step.kind,
                    row.label,
                    row.count,
                    share(row.share),
                    correct(row.correct),
                ]
            )
    for path in result.failed_paths:
        rows.append(
            ["failed_path", "", "", "", " → ".join(path.steps), path.count, "", ""]
        )
    response = StreamingHttpResponse(
        csv_stream(header, rows), content_type="text/csv; charset=utf-8"
    )
    name = slugify(page.slug) or f"skenario-{page.pk}"
    response["Content-Disposition"] = f'attachment; filename="analitik-{name}.csv"'
    return response


class OverviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "practice/admin/index.html"
    page_title = gettext_lazy("Scenarios")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not (user_is_instructor(request.user) or request.user.is_superuser):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = scenario_overview()
        return context


class PreviewAnswerView(PreviewOnEditView):
    """Answer a step of the preview play; the scenario is the editor's form data."""

    http_method_names = ("post",)

    def post(self, request, *args, **kwargs):
        form = self.get_form(self._get_form_data(self._get_form_state()))
        if self.validate_form(form):
            form.save(commit=False)
        page = self.object
        page_id = self.kwargs["page_id"]
        if request.POST.get("action") == "restart":
            services.preview_restart(session=request.session, page_id=page_id)
        else:
            request.session[preview_error_key(page_id)] = self._answer(page, page_id)
        url = (
            reverse("wagtailadmin_pages:preview_on_edit", args=[page_id]) + "?mode=play"
        )
        if request.POST.get("in_panel"):
            url += "&in_preview_panel=true"
        return HttpResponseRedirect(url)

    def _answer(self, page, page_id) -> str:
        """Advance the preview play; the refusal to show, or ""."""
        check = page.scenario_check(course_slug="")
        if check.scenario is None:
            return _("The scenario cannot be read; see the Check tab.")
        scenario = check.scenario
        state = services.preview_state(
            session=self.request.session, page_id=page_id, scenario=scenario
        )
        try:
            step_id, value = read_answer(scenario, state, self.request.POST)
            services.preview_answer(
                session=self.request.session,
                page_id=page_id,
                scenario=scenario,
                step_id=step_id,
                value=value,
                now=timezone.now(),
                oracle=kip_oracle(),
            )
        except ScenarioInputError as exc:
            return localized(exc.message)
        except AnswerFormatError as exc:
            return exc.message
        except ScenarioError as exc:
            return _("The scenario has a problem here: %(error)s") % {"error": exc}
        return ""
