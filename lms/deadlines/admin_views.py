"""Wagtail admin screens for the working calendar (administrators only).

One screen per year lists every closed weekday (national holiday, cuti bersama,
administrator closure) and every administrator opening, with a form to add a
closure or opening; removing one asks for confirmation first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from lms.kip import ClosedDay

from .adapters import (
    FIRST_YEAR,
    KNOWN_YEARS,
    LAST_YEAR,
    SOURCE_LABELS,
    closed_days_for,
    localized,
    national_closure,
    years_without_cuti_bersama,
)
from .forms import CalendarOverrideForm
from .models import YEARS_AHEAD, CalendarOverride
from .permissions import user_can_manage_calendar
from .selectors import calendar_override_get, calendar_overrides_in_year
from .services import calendar_override_add, calendar_override_remove


def calendar_url(year: int | None = None) -> str:
    url = reverse("deadlines_calendar")
    return f"{url}?year={year}" if year else url


def calendar_warning_years(*, today: date) -> tuple[int, ...]:
    """This year and next, when the engine has no cuti bersama for them."""
    return years_without_cuti_bersama((today.year, today.year + 1))


@dataclass(frozen=True)
class ClosedWeekday:
    day: date
    source_label: str
    reason: str
    estimated: bool
    override: CalendarOverride | None


class CalendarAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        # Wagtail turns PermissionDenied into a redirect to the dashboard with a
        # message; anonymous visitors and users without admin access never get here.
        if not user_can_manage_calendar(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CalendarView(CalendarAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "deadlines/admin/calendar.html"
    page_title = _("Working calendar")
    header_icon = "calendar-alt"
    _show_years = range(FIRST_YEAR, LAST_YEAR + YEARS_AHEAD + 1)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def selected_year(self) -> int:
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            return today.year
        return year if year in self._show_years else today.year

    def post(self, request):
        form = CalendarOverrideForm(request.POST)
        if form.is_valid():
            try:
                override = calendar_override_add(
                    date=form.cleaned_data["date"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, self.added_message(override))
                return HttpResponseRedirect(calendar_url(override.date.year))
        messages.error(request, gettext("The change was not saved: see the form."))
        return self.render_to_response(self.get_context_data(form=form))

    @staticmethod
    def added_message(override: CalendarOverride) -> str:
        if override.kind == CalendarOverride.Kind.CLOSED:
            text = gettext("%(date)s is now closed: %(reason)s")
        else:
            text = gettext("%(date)s is now a working day: %(reason)s")
        return text % {"date": override.date.isoformat(), "reason": override.reason}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.selected_year()
        today = timezone.localdate()
        overrides = list(calendar_overrides_in_year(year=year))
        by_day = {override.date: override for override in overrides}
        known = year in KNOWN_YEARS
        closed = closed_days_for(year) if known else ()
        warning_years = calendar_warning_years(today=today)
        # The selected year gets its own warning unless it is already one of them.
        selected_warning = year not in warning_years and bool(
            years_without_cuti_bersama([year])
        )
        context.update(
            {
                "year": year,
                "years": self._show_years,
                "year_known": known,
                "first_year": FIRST_YEAR,
                "last_year": LAST_YEAR,
                "closed_weekdays": [
                    self.closed_weekday(day, by_day.get(day.day))
                    for day in closed
                    if day.day.weekday() < 5
                ],
                "weekend_count": sum(day.day.weekday() >= 5 for day in closed),
                "working_count": (
                    (date(year, 12, 31) - date(year, 1, 1)).days + 1 - len(closed)
                    if known
                    else None
                ),
                "openings": [
                    (override, self.normally(override.date))
                    for override in overrides
                    if override.kind == CalendarOverride.Kind.OPEN
                ],
                "overrides": overrides,
                "warning_years": warning_years,
                "selected_year_warning": selected_warning,
                "form": kwargs.get("form") or CalendarOverrideForm(),
            }
        )
        return context

    @staticmethod
    def closed_weekday(
        day: ClosedDay, override: CalendarOverride | None
    ) -> ClosedWeekday:
        reason = localized(day.reason)
        if override is not None and override.kind == CalendarOverride.Kind.CLOSED:
            # Also on a day that is a holiday anyway (the engine names the holiday
            # first), so a closure made redundant by a package upgrade shows.
            reason = f"{reason}: {override.reason}"
        else:
            override = None
        return ClosedWeekday(
            day=day.day,
            source_label=str(SOURCE_LABELS[day.source]),
            reason=reason,
            estimated=day.estimated,
            override=override,
        )

    @staticmethod
    def normally(day: date) -> str:
        """What an opening overrides: the national calendar's reason, if any."""
        if day.year not in KNOWN_YEARS:
            return ""
        closure = national_closure(day)
        return localized(closure.reason) if closure else ""


class CalendarOverrideRemoveView(
    CalendarAccessMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "deadlines/admin/confirm_remove.html"
    page_title = _("Remove a closure or opening")
    header_icon = "calendar-alt"

    @cached_property
    def override(self) -> CalendarOverride:
        # Fetched after the permission check in dispatch().
        try:
            return calendar_override_get(pk=self.kwargs["pk"])
        except CalendarOverride.DoesNotExist as exc:
            raise Http404 from exc

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": calendar_url(), "label": gettext("Working calendar")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["override"] = self.override
        context["normally"] = CalendarView.normally(self.override.date)
        context["back_url"] = calendar_url(self.override.date.year)
        return context

    def post(self, request, pk):
        override = self.override
        calendar_override_remove(override=override, user=request.user)
        messages.success(
            request,
            gettext("Removed: %(date)s (%(reason)s).")
            % {"date": override.date.isoformat(), "reason": override.reason},
        )
        return HttpResponseRedirect(calendar_url(override.date.year))
