"""Template helpers for course pages: Markdown, the engine's bilingual text."""

from django import template
from django.utils.translation import get_language

from courses.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Author Markdown → sanitised HTML."""
    return render_markdown(text)


@register.filter
def kip_text(text):
    """A `lms.kip.Text` in the current language (Indonesian unless English)."""
    if text is None:
        return ""
    return text.en if (get_language() or "id").startswith("en") else text.id


@register.filter
def lesson_done(lesson, done_keys):
    return f"lesson:{lesson.pk}" in (done_keys or ())


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
