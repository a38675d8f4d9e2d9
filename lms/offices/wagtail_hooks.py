"""Wagtail admin: offices (add, rename, edit, merge) and the merge log entries."""

from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .admin_views import OfficeMergeView
from .models import Office
from .permissions import user_can_merge_offices


class OfficePermissionPolicy(ModelPermissionPolicy):
    """Offices are never deleted (members and history point at them): merge instead."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Office, OfficePermissionPolicy(Office))


class OfficeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("parent")
            .annotate(member_count=Count("members"))
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_active and user_can_merge_offices(self.request.user):
            buttons.append(
                Button(
                    _("Merge into another office"),
                    url=reverse("office_admin:merge", args=[instance.pk]),
                    icon_name="group",
                    priority=40,
                )
            )
        return buttons


class OfficeEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.is_active and user_can_merge_offices(self.request.user):
            buttons.append(
                Button(
                    _("Merge into another office"),
                    url=reverse("office_admin:merge", args=[self.object.pk]),
                    icon_name="group",
                    priority=40,
                )
            )
        return buttons


class OfficeViewSet(ModelViewSet):
    model = Office
    icon = "site"
    menu_label = _("Offices")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    # Offices reference nothing worth tracking, and indexing 553 rows on every
    # load_offices would only cost time.
    add_to_reference_index = False
    index_view_class = OfficeIndexView
    edit_view_class = OfficeEditView
    list_per_page = 50
    ordering = "code"
    search_fields = ["code", "name", "region_name"]
    list_filter = ["level", "is_active"]
    list_display = [
        "code",
        "name",
        Column("level", accessor="get_level_display", label=_("Level")),
        "parent",
        Column("member_count", label=_("Members"), sort_key="member_count"),
        BooleanColumn("is_active", label=_("Active")),
    ]
    form_fields = [
        "code",
        "level",
        "parent",
        "region_name",
        "name",
        "address",
        "email",
        "head_name",
        "head_title",
    ]

    def get_urlpatterns(self):
        merge = OfficeMergeView.as_view(
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/merge/", merge, name="merge"),
        ]


office_viewset = OfficeViewSet("office_admin", url_prefix="offices")


@hooks.register("register_admin_viewset")
def register_office_viewset():
    return office_viewset


@hooks.register("register_log_actions")
def register_office_log_actions(actions):
    @actions.register_action("offices.merge")
    class MergeFormatter(LogFormatter):
        label = _("Merge")

        def format_message(self, log_entry):
            return _("Merged into %(target)s") % {
                "target": log_entry.data.get("target", {}).get("name", "?")
            }

    @actions.register_action("offices.absorb")
    class AbsorbFormatter(LogFormatter):
        label = _("Merge")

        def format_message(self, log_entry):
            return _("%(source)s merged into this office") % {
                "source": log_entry.data.get("source", {}).get("name", "?")
            }
