"""Forms of the deadline calculator and of the working-calendar admin screen."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .adapters import (
    FIRST_YEAR,
    KNOWN_YEARS,
    LAST_YEAR,
    regime_choices,
    step_choices,
)
from .calculator import Answer, CalculationError, calculate
from .models import CalendarOverride

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# What people type: 06/03/2024, 6/3/2024, 06-03-2024, 06.03.2024.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}


def parse_date(value: str) -> date:
    """A date from ISO (the date picker) or day-first input; ValidationError if not."""
    value = value.strip()
    if iso := _ISO.match(value):
        year, month, day = (int(part) for part in iso.groups())
    elif day_first := _DAY_FIRST.match(value):
        day, month, year = (int(part) for part in day_first.groups())
    else:
        raise ValidationError(
            gettext("Enter the date as dd/mm/yyyy, for example 06/03/2024."),
            code="format",
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            gettext("%(value)s is not a real date: check the day and the month.")
            % {"value": value},
            code="impossible",
        ) from None


def _is_iso_date(value: str) -> bool:
    """Whether a date picker would show `value` (a real date as yyyy-mm-dd)."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


class DateOrTextInput(forms.TextInput):
    """A date picker that falls back to a text box to show what was typed.

    A browser empties an `<input type=date>` whose value is not a real ISO date, so a
    typed "06/03/2024", "abc" or "2024-02-30" would vanish on the error page.
    """

    input_type = "date"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value and not _is_iso_date(str(value)):
            context["widget"]["type"] = "text"
        return context


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads 0/1/true/false from a URL; anything else stays
    a string so that the field can refuse it (Django's CheckboxInput reads "0" as
    True)."""

    def __init__(self, attrs=None):
        # Ticked for a true value only: an unreadable "maybe" shows unticked.
        super().__init__(attrs, check_test=lambda value: value is True)

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value is None:
            return False
        lowered = str(value).strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        return value


class FlagField(forms.BooleanField):
    def to_python(self, value):
        if isinstance(value, str):
            raise ValidationError(
                gettext("Use 1 (yes) or 0 (no)."), code="invalid_flag"
            )
        return bool(value)


class AccessibleErrorsMixin:
    """Marks a field with an error `aria-invalid` and ties the message to it.

    The template renders each field's messages with the id `error-<name>`.
    """

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = attrs.get("aria-describedby", "").split()
                if f"error-{name}" not in described:
                    described.append(f"error-{name}")
                attrs["aria-describedby"] = " ".join(described)


class DeadlineForm(AccessibleErrorsMixin, forms.Form):
    """The calculator's GET form; `answer()` computes after validation."""

    step = forms.ChoiceField(
        label=_("Step"),
        error_messages={
            "required": _("Choose the step whose deadline you need."),
            "invalid_choice": _("Choose one of the listed steps."),
        },
    )
    regime = forms.ChoiceField(
        label=_("Rules that apply"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Choose the general rules or the election-information rules."
            ),
        },
    )
    date = forms.CharField(
        label=_("Date of the event"),
        max_length=32,
        widget=DateOrTextInput(attrs={"aria-describedby": "hint-date"}),
        help_text=_(
            "The day the request, objection or decision was received. That day is "
            "not counted. Type it as dd/mm/yyyy if your browser shows no date "
            "picker."
        ),
        error_messages={
            "required": _("Enter the date of the event, for example 06/03/2024."),
            "max_length": _("Enter the date as dd/mm/yyyy, for example 06/03/2024."),
        },
    )
    cuti_bersama_working = FlagField(
        label=_("Count cuti bersama as working days"),
        required=False,
        widget=FlagInput(attrs={"aria-describedby": "hint-cuti_bersama_working"}),
        help_text=_(
            "By default cuti bersama are closed days, as KI and KPU offices are "
            "closed; no verified Information Commission ruling settles it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels in the language of this request.
        self.fields["step"].choices = step_choices()
        self.fields["regime"].choices = regime_choices()
        self.fields["regime"].initial = "general"
        self.fields["step"].initial = "notice"

    def clean_regime(self) -> str:
        return self.cleaned_data["regime"] or "general"

    def clean_date(self) -> date:
        day = parse_date(self.cleaned_data["date"])
        if day.year not in KNOWN_YEARS:
            if day.year < FIRST_YEAR:
                message = gettext(
                    "The calculator covers %(first)s to %(last)s: UU 14/2008 on "
                    "public information is in force only from 30 April 2010."
                )
            else:
                message = gettext(
                    "The working calendar for %(year)s is not known yet: holidays "
                    "and cuti bersama are set each year by the SKB 3 Menteri. The "
                    "calculator covers %(first)s to %(last)s."
                )
            raise ValidationError(
                message % {"year": day.year, "first": FIRST_YEAR, "last": LAST_YEAR},
                code="unknown_year",
            )
        return day

    def answer(self) -> Answer | None:
        """The calculator's answer, or None with the reason added to the errors."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return calculate(
                step=data["step"],
                start=data["date"],
                regime=data["regime"],
                cuti_bersama_working=data["cuti_bersama_working"],
            )
        except CalculationError as exc:
            self.add_error("date", exc.message)
            return None

    def error_dict(self) -> dict[str, list[str]]:
        return {field: list(errors) for field, errors in self.errors.items()}


class CalendarOverrideForm(forms.Form):
    """Add a closure or an opening; the service validates again and decides.

    Rendered with Wagtail's `formattedfield`, which links errors and help itself.
    """

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": _("Enter the date to close or open."),
            "invalid": _("Enter a real date as dd/mm/yyyy, for example 14/02/2024."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Closure or opening"),
        choices=[
            (CalendarOverride.Kind.CLOSED, _("Close the day (no working day)")),
            (CalendarOverride.Kind.OPEN, _("Open the day (a working day)")),
        ],
        initial=CalendarOverride.Kind.CLOSED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the day closes or opens.")},
    )
    reason = forms.CharField(
        label=_("Reason and source"),
        max_length=200,
        help_text=CalendarOverride._meta.get_field("reason").help_text,
        error_messages={
            "required": _(
                "Give the reason and its source, e.g. the Keppres or SKB number."
            )
        },
    )
