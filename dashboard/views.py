"""HTTP for coordinators: dashboard, learner list, transcript, summary, exports.

Every coordinator page: parse the filters from the query string → scope the office
(404 when out of scope) → one selector → render. A malformed filter answers 400 with
the message; never a 500, never data.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import charts, exports, permissions, selectors, services, tasks, tokens
from .filters import (
    EMPLOYMENT_CHOICES,
    PERIOD_CHOICES,
    SOURCE_CHOICES,
    STATUS_CHOICES,
    FilterError,
    Filters,
    parse_filters,
)

PAGE_SIZE = 50


def _options(choices, selected) -> str:
    """<option> elements, built here: the national scope has 553 offices, and a
    template loop over them would be most of the page's time."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == selected else "", label)
            for value, label in choices
        ),
    )


@dataclass
class Parsed:
    scope: selectors.Scope
    focus: selectors.ScopeOffice | None
    filters: Filters
    courses: list[tuple[int, str]]

    def context(self) -> dict:
        return {
            "scope": self.scope,
            "focus": self.focus,
            "filters": self.filters,
            "course_choices": self.courses,
            "course_options": _options(self.courses, self.filters.course_id),
            "office_options": _options(
                self.scope.choices(), self.focus.pk if self.focus else None
            ),
            "employment_choices": EMPLOYMENT_CHOICES,
            "period_choices": PERIOD_CHOICES,
            "status_choices": STATUS_CHOICES,
            "source_choices": SOURCE_CHOICES,
            "query": self.filters.query(),
        }


def coordinator_page(view):
    """Login, coordinator role, parsed filters and scope; 400 on a bad filter."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        permissions.require_coordinator(request.user)
        scope = selectors.scope_for(request.user)
        courses = selectors.course_choices()
        try:
            filters = parse_filters(
                request.GET,
                today=timezone.localdate(),
                course_ids={pk for pk, _title in courses},
            )
        except FilterError as exc:
            return render(
                request,
                "dashboard/filter_error.html",
                {"errors": exc.messages},
                status=400,
            )
        focus = scope.get_or_404(filters.office_id)
        return view(request, Parsed(scope, focus, filters, courses), *args, **kwargs)

    return wrapper


def _dashboard(parsed: Parsed):
    return selectors.dashboard_for(
        scope=parsed.scope,
        focus=parsed.focus,
        filters=parsed.filters,
        today=timezone.localdate(),
        course_names=dict(parsed.courses),
    )


def _charts(dashboard) -> dict:
    bars = [
        charts.Bar(
            label=row.label,
            value=row.counts.rate or 0,
            text=f"{row.counts.rate:.0f} %",
            href=row.drill_url or row.links.enrolled,
        )
        for row in dashboard.chart_rows
    ]
    points = [
        charts.Point(
            label=week.week.strftime("%d/%m"),
            value=week.activity.completed,
            text=_("Week of %(day)s: %(n)d completions")
            % {"day": week.week.isoformat(), "n": week.activity.completed},
        )
        for week in dashboard.weeks
    ]
    return {
        "office_chart": charts.bar_chart(
            bars,
            ident="chart-offices",
            title=_("Completion by office"),
            desc=_(
                "Share of enrolments completed, per office; the table below has "
                "the same figures."
            ),
        ),
        "week_chart": charts.line_chart(
            points,
            ident="chart-weeks",
            title=_("Completions per week"),
            desc=_(
                "Courses completed per week in the period; the table below has "
                "the same figures."
            ),
        ),
    }


@coordinator_page
@require_GET
def home(request, parsed: Parsed):
    dashboard = _dashboard(parsed)
    return render(
        request,
        "dashboard/home.html",
        {
            **parsed.context(),
            **_charts(dashboard),
            "dashboard": dashboard,
            "state": selectors.stats_state(),
        },
    )


@coordinator_page
@require_GET
def summary(request, parsed: Parsed):
    dashboard = _dashboard(parsed)
    return render(
        request,
        "dashboard/summary.html",
        {
            **parsed.context(),
            **_charts(dashboard),
            "dashboard": dashboard,
            "state": selectors.stats_state(),
            "printed_at": timezone.localtime(),
        },
    )


@coordinator_page
@require_GET
def learners(request, parsed: Parsed):
    enrolments = selectors.enrolments_for(
        scope=parsed.scope,
        focus=parsed.focus,
        filters=parsed.filters,
        today=timezone.localdate(),
    )
    page = Paginator(enrolments, PAGE_SIZE).get_page(parsed.filters.page)
    return render(
        request,
        "dashboard/learners.html",
        {**parsed.context(), "page": page, "today": timezone.localdate()},
    )


@login_required
@require_GET
def transcript(request, user_id: int):
    permissions.require_coordinator(request.user)
    learner = permissions.learner_for_user_or_404(request.user, user_id)
    return render(
        request,
        "dashboard/transcript.html",
        {
            "learner": learner,
            "sections": selectors.transcript_for(learner),
            "reminders": selectors.learner_sent_reminders(learner),
            "today": timezone.localdate(),
        },
    )


def _too_many(request, count: int, cap: int):
    return render(
        request,
        "dashboard/export_too_large.html",
        {"count": count, "cap": cap},
        status=413,
    )


def _download(content, *, filename: str, content_type: str, stream=False):
    response_class = StreamingHttpResponse if stream else HttpResponse
    response = response_class(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@coordinator_page
@require_GET
def export_learners(request, parsed: Parsed, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    enrolments = selectors.enrolments_for(
        scope=parsed.scope, focus=parsed.focus, filters=parsed.filters, today=today
    )
    cap = exports.LEARNER_CSV_CAP if fmt == "csv" else exports.LEARNER_XLSX_CAP
    count = enrolments.count()
    if count > cap:
        return _too_many(request, count, cap)
    rows = exports.learner_rows(
        selectors.enrolment_export_rows(enrolments), today=today
    )
    name = f"peserta-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        return _download(
            exports.csv_stream(exports.learner_header(), rows),
            filename=name,
            content_type="text/csv; charset=utf-8",
            stream=True,
        )
    return _download(
        exports.xlsx_bytes(exports.learner_header(), rows, title=_("Learners")),
        filename=name,
        content_type=XLSX,
    )


@coordinator_page
@require_GET
def export_offices(request, parsed: Parsed, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    table = selectors.office_table(
        scope=parsed.scope, focus=parsed.focus, filters=parsed.filters, today=today
    )
    header = exports.office_header(parsed.filters.date_from, parsed.filters.date_to)
    rows = exports.office_rows(table)
    name = f"kantor-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        return _download(
            exports.csv_stream(header, rows),
            filename=name,
            content_type="text/csv; charset=utf-8",
            stream=True,
        )
    return _download(
        exports.xlsx_bytes(header, rows, title=_("Offices")),
        filename=name,
        content_type=XLSX,
    )


@login_required
@require_POST
def refresh(request):
    permissions.require_coordinator(request.user)
    tasks.stats_refresh_requested.delay()
    messages.success(
        request,
        _("The figures are being recalculated; this takes up to a minute."),
    )
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)
    return redirect(
        next_url if safe and next_url.startswith("/koordinator/") else "dashboard:home"
    )


@csrf_exempt  # The signed token is the credential; mail clients post one-click.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    user = selectors.user_for_unsubscribe(tokens.user_id_from_token(token))
    if user is None:
        raise Http404
    done = None
    if request.method == "POST":
        active = request.POST.get("action") == "subscribe"
        services.digest_subscription_set(user=user, active=active)
        done = "subscribed" if active else "unsubscribed"
    return render(
        request,
        "dashboard/unsubscribe.html",
        {
            "subscriber": user,
            "done": done,
            "subscribed": selectors.digest_wanted(user),
        },
    )
