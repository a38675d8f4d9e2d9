"""Wagtail's user admin, fitted to our User: full name, office, NIP, employment
type, internship dates, coordinator scopes and groups (the "Instruktur" group
makes an instructor). Installed through `WagtailUsersConfig` (see apps.py)."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.boolean_radio_select import BooleanRadioSelect
from wagtail.users.views import users as wagtail_users

from lms.offices.models import Office
from lms.offices.services import coordinator_scopes_set

from .forms import AdminUserCreationForm, AdminUserEditForm
from .models import User
from .permissions import user_can_erase_account
from .services import account_erase, invitations_enqueue, user_email_vouch


class UserFilterSet(wagtail_users.UserFilterSet):
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), queryset=Office.objects.order_by("code")
    )
    employment_type = django_filters.ChoiceFilter(
        label=_("Employment type"), choices=User.EmploymentType.choices
    )
    coordinator = django_filters.BooleanFilter(
        label=_("Coordinator"),
        field_name="coordinator_scopes",
        lookup_expr="isnull",
        exclude=True,
        distinct=True,
        widget=BooleanRadioSelect,
    )

    class Meta(wagtail_users.UserFilterSet.Meta):
        model = User
        fields = []


def _roles(user: User) -> str:
    roles = []
    if user.is_superuser:
        roles.append(str(_("Administrator")))
    scopes = [scope.office.code for scope in user.coordinator_scopes.all()]
    if scopes:
        roles.append(
            str(_("Coordinator (%(offices)s)")) % {"offices": ", ".join(scopes)}
        )
    groups = [group.name for group in user.groups.all()]
    roles.extend(groups)
    return "; ".join(roles)


class IndexView(wagtail_users.IndexView):
    @cached_property
    def columns(self):
        title = self._get_title_column_class(wagtail_users.UserColumn)
        return [
            wagtail_users.BulkActionsCheckboxColumn("bulk_actions", obj_type="user"),
            title(
                "name",
                accessor="full_name",
                label=_("Name"),
                sort_key="full_name",
                get_url=self.get_edit_url,
                classname="name",
            ),
            Column("email", label=_("E-mail"), sort_key="email"),
            Column("office", label=_("Office"), sort_key="office__code"),
            Column(
                "employment_type",
                accessor="get_employment_type_display",
                label=_("Employment type"),
                sort_key="employment_type",
            ),
            Column("roles", accessor=_roles, label=_("Roles")),
            BooleanColumn("is_active", label=_("Active"), sort_key="is_active"),
            DateColumn("last_login", label=_("Last login"), sort_key="last_login"),
        ]

    def get_base_queryset(self):
        return User.objects.select_related("office").prefetch_related(
            "coordinator_scopes__office", "groups"
        )


class CreateView(wagtail_users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        user_email_vouch(user=user)
        coordinator_scopes_set(
            user=user, offices=self.form.cleaned_data["coordinator_offices"]
        )
        if not user.has_usable_password():
            User.objects.filter(pk=user.pk).update(invited_by=self.request.user)
            invitations_enqueue(user_ids=[user.pk])
        return user


class EditView(wagtail_users.EditView):
    def save_instance(self):
        user = super().save_instance()
        if "email" in self.form.changed_data:
            user_email_vouch(user=user)
        if "coordinator_offices" in self.form.cleaned_data:
            coordinator_scopes_set(
                user=user, offices=self.form.cleaned_data["coordinator_offices"]
            )
        return user


class DeleteView(wagtail_users.DeleteView):
    """The admin's "Delete" erases the person's data (services.account_erase) and
    keeps an anonymised, disabled account, so that certificates issued to them
    stay verifiable (docs/privacy.md). Administrators only, never one's own
    account here (the account area has its own form)."""

    success_message = _(
        "The account has been deleted: personal data removed, issued certificates kept."
    )

    def dispatch(self, request, *args, **kwargs):
        if not user_can_erase_account(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_usage_url(self):
        # Nothing is deleted that another row protects; no usage to weigh up.
        return None

    def get_success_message(self):
        return str(self.success_message)

    def delete_action(self):
        account_erase(account=self.object, actor=self.request.user)


class UserViewSet(wagtail_users.UserViewSet):
    ordering = "full_name"
    filterset_class = UserFilterSet
    search_fields = ["full_name", "email", "nip"]
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"
    delete_template_name = "accounts/admin/user_delete.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
