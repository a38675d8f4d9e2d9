"""Forms: the coordinator's assignment form and the knowledge-check answer."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lms.offices.permissions import offices_visible_to

from .models import CoursePage


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), empty_label=None
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)
    include_suboffices = forms.BooleanField(
        label=_("Also members of the offices below it"), required=False
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"),
        required=False,
        choices=[("", _("Everyone"))],
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["course"].queryset = CoursePage.objects.live().order_by("path")
        # Only offices in the coordinator's scope; others are "not a valid choice".
        self.fields["office"].queryset = offices_visible_to(user).order_by("code")
        self.fields["employment_type"].choices += list(
            get_user_model().EmploymentType.choices
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on
