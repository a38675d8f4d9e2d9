"""Admin forms: the question editor's cross-field check, import and export."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.uploads import (
    check_extension,
    check_size,
    head_of,
    refuse_binary,
    size_text,
)

from .interchange import ParsedChoice, ParsedQuestion, validate
from .models import QuestionCategory


class QuestionForm(WagtailAdminModelForm):
    """Refuses a question that could never be answered right (e.g. no right option)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is None or not formset.is_valid():
            return cleaned
        choices = [
            ParsedChoice(
                f.cleaned_data.get("text", ""),
                f.cleaned_data.get("is_correct", False),
                f.cleaned_data.get("match_text", ""),
                f.cleaned_data.get("feedback", ""),
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if cleaned.get("kind") is None:
            return cleaned
        parsed = ParsedQuestion(
            index=1,
            name=cleaned.get("name") or "",
            kind=cleaned.get("kind"),
            text=cleaned.get("text") or "",
            choices=choices,
            points=cleaned.get("points") or 1,
            marker=cleaned.get("basis_marker") or "V",
            date_answer=cleaned.get("date_answer"),
            kip_step=cleaned.get("kip_step") or "",
            kip_start=cleaned.get("kip_start"),
            kip_regime=cleaned.get("kip_regime") or "general",
        )
        from .services import _kip_check

        reason = validate(parsed, kip_check=_kip_check)
        if reason:
            raise forms.ValidationError(reason.translated(gettext))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.yaml,.yml"}),
    )
    category = forms.ModelChoiceField(
        label=_("Put every question in this category"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        help_text=_("Empty: use the categories named in the file."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Moodle XML (.xml) or the platform's YAML bank format (.yaml), "
            "at most %(size)s."
        ) % {"size": size_text(settings.LMS_QUESTION_IMPORT_MAX_BYTES)}

    def clean_file(self):
        """Size, name and content before any parser sees the file."""
        upload = self.cleaned_data["file"]
        check_size(upload, limit=settings.LMS_QUESTION_IMPORT_MAX_BYTES)
        check_extension(upload, allowed=("xml", "yaml", "yml"))
        refuse_binary(head_of(upload), expected=_("a Moodle XML or YAML file"))
        return upload


class ExportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=QuestionCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
