"""Template filters for the engine's values: bilingual text, markers, periods."""

from django import template

from lms.deadlines.adapters import MARKER_LABELS, localized
from lms.deadlines.calculator import period_label

register = template.Library()


@register.filter(name="localized")
def localized_filter(text) -> str:
    """An engine `Text` in the active language."""
    return localized(text)


@register.filter
def marker_label(marker: str) -> str:
    """[V]/[S]/[R] in words: "verified", "secondary source", ..."""
    return str(MARKER_LABELS.get(marker, ""))


@register.filter
def period(explanation) -> str:
    """ "10 working days" / "14 calendar days" for an Explanation."""
    return period_label(explanation.length, explanation.unit)
