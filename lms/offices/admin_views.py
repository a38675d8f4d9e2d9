"""Wagtail admin view: merge one office into another, with a confirmation step."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.accounts.models import User

from .models import CoordinatorScope, Office
from .permissions import user_can_merge_offices
from .services import office_merge


class OfficeMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=Office.objects.none(),
        help_text=gettext_lazy(
            "Members, sub-offices and coordinators move to this office."
        ),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, source: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Office.objects.active()
            .exclude(pk__in=Office.objects.subtree(source).values("pk"))
            .order_by("code")
        )


class OfficeMergeView(WagtailAdminTemplateMixin, FormView):
    """GET: choose the target. POST: show what will move. POST confirmed: merge."""

    template_name = "offices/admin/merge.html"
    form_class = OfficeMergeForm
    page_title = gettext_lazy("Merge office")
    header_icon = "group"
    index_url_name = None
    edit_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not user_can_merge_offices(request.user):
            raise PermissionDenied
        self.source = get_object_or_404(Office.objects.active(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.source)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Office._meta.verbose_name_plural),
            },
            {
                "url": reverse(self.edit_url_name, args=[self.source.pk]),
                "label": str(self.source),
            },
            {"url": "", "label": _("Merge")},
        ]

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"source": self.source}

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        if not form.cleaned_data["confirmed"]:
            return self.render_to_response(
                self.get_context_data(
                    form=form, target=target, moving=self._moving(), confirm=True
                )
            )
        result = office_merge(
            source=self.source, target=target, actor=self.request.user
        )
        messages.success(
            self.request,
            _(
                "%(source)s was merged into %(target)s: %(members)s members and "
                "%(children)s sub-offices moved."
            )
            % {
                "source": self.source,
                "target": target,
                "members": result.members,
                "children": result.children,
            },
        )
        return redirect(reverse(self.index_url_name))

    def _moving(self) -> dict:
        return {
            "members": User.objects.filter(office=self.source).count(),
            "children": Office.objects.filter(parent=self.source).count(),
            "scopes": CoordinatorScope.objects.filter(office=self.source).count(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.source
        context["index_url"] = reverse(self.index_url_name)
        return context
