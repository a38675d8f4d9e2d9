"""Forms: the coordinator's assignment form and the admin's course upload."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from lms.offices.permissions import offices_visible_to
from lms.uploads import (
    KIND_LABELS,
    check_extension,
    check_size,
    head_of,
    refuse_binary,
    size_text,
    sniff,
)

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


class CoursePackageForm(forms.Form):
    """A course package for the admin import: a .zip of course folders, or one
    lesson file together with the course it belongs to."""

    package = forms.FileField(
        label=_("Course package"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.md"}),
    )
    course = forms.ModelChoiceField(
        label=_("Course (only for a single lesson file)"),
        queryset=CoursePage.objects.none(),
        required=False,
    )

    def __init__(self, *args, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.child_of(
            catalogue
        ).order_by("title")
        self.fields["package"].help_text = _(
            "A .zip of a course folder as export_course writes it (several courses "
            "may share one .zip), or one lesson .md file. At most %(size)s."
        ) % {"size": size_text(settings.LMS_COURSE_UPLOAD_MAX_BYTES)}

    def clean_package(self):
        """Size, name and content; the archive itself is checked when unpacked."""
        upload = self.cleaned_data["package"]
        check_size(upload, limit=settings.LMS_COURSE_UPLOAD_MAX_BYTES)
        self.kind = check_extension(upload, allowed=("zip", "md"))
        head = head_of(upload)
        if self.kind == "md":
            refuse_binary(head, expected=_("a Markdown lesson file"))
        elif (kind := sniff(head)) != "zip":
            if kind is None:
                raise forms.ValidationError(
                    _("This file is not a ZIP archive, although its name ends in .zip.")
                )
            raise forms.ValidationError(
                _("This file is %(found)s, not a ZIP archive.")
                % {"found": KIND_LABELS[kind]}
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if getattr(self, "kind", None) == "md" and not cleaned.get("course"):
            self.add_error(
                "course", _("Choose the course whose lesson this file replaces.")
            )
        return cleaned
