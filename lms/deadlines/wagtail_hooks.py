"""Wagtail admin: the working-calendar screen, its menu item and a dashboard warning."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.ui.components import Component

from .admin_views import (
    CalendarOverrideRemoveView,
    CalendarView,
    calendar_url,
    calendar_warning_years,
)
from .permissions import user_can_manage_calendar


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path("kalender-kerja/", CalendarView.as_view(), name="deadlines_calendar"),
        path(
            "kalender-kerja/<int:pk>/hapus/",
            CalendarOverrideRemoveView.as_view(),
            name="deadlines_calendar_remove",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    # AdminOnlyMenuItem: shown to superusers only, like the views themselves.
    return AdminOnlyMenuItem(
        _("Working calendar"),
        reverse("deadlines_calendar"),
        name="working-calendar",
        icon_name="calendar-alt",
        order=9000,
    )


class CalendarWarningPanel(Component):
    """Dashboard warning when this year or next has no cuti bersama data."""

    name = "working_calendar_warning"
    template_name = "deadlines/admin/dashboard_warning.html"
    order = 10  # above Wagtail's own panels (100 and up)

    def __init__(self, years: tuple[int, ...]):
        self.years = years

    def get_context_data(self, parent_context=None):
        return {"years": self.years, "calendar_url": calendar_url()}


@hooks.register("construct_homepage_panels")
def add_calendar_warning_panel(request, panels):
    if not user_can_manage_calendar(request.user):
        return
    years = calendar_warning_years(today=timezone.localdate())
    if years:
        panels.append(CalendarWarningPanel(years))
