"""Wagtail admin: scenario URLs, menu item, page buttons, and the draft warning."""

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from lms.offices.permissions import user_is_instructor

from . import admin_urls
from .models import ScenarioPage
from .permissions import user_can_analyse_scenario


@hooks.register("register_admin_urls")
def register_practice_admin_urls():
    return [path("latihan/", include((admin_urls.urlpatterns, "practice_admin")))]


class InstructorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_instructor(request.user) or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_practice_menu_item():
    return InstructorMenuItem(
        _("Scenarios"),
        reverse("practice_admin:index"),
        name="scenarios",
        icon_name="help",
        order=450,
    )


class ScenarioPageButton(PageMenuItem):
    url_name_for_page = ""

    def is_shown(self, user):
        return user_can_analyse_scenario(user, self.page)

    @property
    def url(self):
        return reverse(self.url_name_for_page, args=[self.page.pk])


class DiagramButton(ScenarioPageButton):
    label = _("Diagram")
    icon_name = "site"
    url_name_for_page = "practice_admin:diagram"


class AnalyticsButton(ScenarioPageButton):
    label = _("Analytics")
    icon_name = "table"
    url_name_for_page = "practice_admin:analytics"


def _scenario_buttons(page):
    if page.specific_class is not ScenarioPage:
        return []
    return [
        DiagramButton(page=page, priority=66),
        AnalyticsButton(page=page, priority=67),
    ]


@hooks.register("register_page_header_buttons")
def scenario_header_buttons(page, user, view_name, next_url=None):
    return _scenario_buttons(page)


@hooks.register("register_page_listing_more_buttons")
def scenario_listing_buttons(page, user, next_url=None):
    return _scenario_buttons(page)


def _warn_about_problems(request, page):
    """After "Save draft": say that the scenario cannot be published yet, and why."""
    if not isinstance(page, ScenarioPage) or not request.accepts("text/html"):
        return  # autosave answers in JSON; the problems show when the page reopens
    check = page.scenario_check()
    if check.ok:
        return
    messages.warning(
        request,
        ngettext(
            "The draft was saved with %(count)d problem; the scenario cannot be "
            "published until it is fixed. It is marked at its step, and listed in the "
            "“Check and diagram” tab.",
            "The draft was saved with %(count)d problems; the scenario cannot be "
            "published until they are fixed. They are marked at their steps, and "
            "listed in the “Check and diagram” tab.",
            check.count,
        )
        % {"count": check.count},
    )


@hooks.register("after_create_page")
def warn_after_create(request, page):
    _warn_about_problems(request, page)


@hooks.register("after_edit_page")
def warn_after_edit(request, page):
    _warn_about_problems(request, page)
