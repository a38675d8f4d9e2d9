"""Author-written Markdown and rich text to HTML that is safe to put on a page.

Python-Markdown passes raw HTML, `javascript:` links and event handlers straight
through, and Wagtail's rich text is only as safe as whatever wrote it to the
database (an import, an API, a migration). So every piece of author HTML goes
through one allow-list sanitiser (nh3) on its way out: known tags, known attributes,
URLs with http, https or mailto schemes (or relative), links with rel="noopener
noreferrer". Nothing executable survives: no script, style, iframe, svg, form,
event-handler attribute or `style` attribute.
"""

from __future__ import annotations

import functools

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

MARKDOWN_EXTENSIONS = ("tables", "sane_lists")

_TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"

# Rich text from Wagtail's editor may also hold images (with their rendition URL)
# and an h1 is never wanted: the page title is the only h1.
_RICH_TEXT_TAGS = _TEXT_TAGS | {"img", "div", "span"}
_RICH_TEXT_ATTRIBUTES = {
    **_ATTRIBUTES,
    "img": {"src", "alt", "width", "height", "class"},
    "div": {"class"},
    "span": {"class"},
}


def sanitise_html(html: str, *, rich_text: bool = False) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=_RICH_TEXT_TAGS if rich_text else _TEXT_TAGS,
        attributes=_RICH_TEXT_ATTRIBUTES if rich_text else _ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3's allow-list output


@functools.lru_cache(maxsize=2048)
def _render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS))
    return str(sanitise_html(html))


def render_markdown(text: str | None) -> SafeString:
    """Markdown → sanitised HTML; cached, as lessons are read far more than written."""
    if not text:
        return mark_safe("")
    return mark_safe(_render_markdown(str(text)))  # noqa: S308 — sanitised above
