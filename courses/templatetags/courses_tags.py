"""Template helpers for course pages: Markdown, rich text, bilingual engine text."""

from django import template
from django.utils.translation import get_language
from wagtail.rich_text import expand_db_html

from courses.rendering import render_markdown, sanitise_html

register = template.Library()


@register.filter
def markdown(text):
    """Author Markdown → sanitised HTML."""
    return render_markdown(text)


@register.filter
def sanitised_richtext(value):
    """Wagtail rich text (links and images expanded) → sanitised HTML: Wagtail's own
    `richtext` filter trusts whatever wrote the field (an import, a migration)."""
    if not value:
        return ""
    return sanitise_html(expand_db_html(str(value)), rich_text=True)


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
