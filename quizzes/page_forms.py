"""The quiz page's admin form: refuses a quiz that could never start.

Kept apart from forms.py because models.py imports it (base_form_class).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


def _rows(formset) -> int:
    return sum(
        1 for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    )


class QuizPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        fixed, draws = self.formsets.get("fixed_questions"), self.formsets.get("draws")
        if (
            fixed is None
            or draws is None
            or not (fixed.is_valid() and draws.is_valid())
        ):
            return cleaned
        if cleaned.get("selection") == "fixed" and not _rows(fixed):
            raise forms.ValidationError(
                _("Add at least one fixed question, or choose a random draw.")
            )
        if cleaned.get("selection") == "random" and not _rows(draws):
            raise forms.ValidationError(
                _("Add at least one category to draw from, or choose fixed questions.")
            )
        return cleaned
