"""Cross-site scripting payloads, and how a browser test tells that one ran.

Every payload, if the page lets it execute, calls the sentinel `__xss("<id>")` or
opens a dialog whose message holds "xss-<id>"; a test exposes `__xss` to the page
and listens for dialogs. Payloads that need a click or a hover to run (a
`javascript:` link, an `onmouseover`) are caught in the DOM instead: `FINDINGS_JS`
reports elements and attributes that only a payload could have put there (an
event-handler attribute or a style mentioning the sentinel, a `javascript:` URL,
an executable script or an iframe carrying it).

Each payload names the `context` in which it is dangerous when a page forgets to
escape or sanitise: raw HTML, Markdown rendered without a sanitiser, a quoted
attribute, a <textarea> or <title> (text the parser only leaves at the closing
tag), or a string inside an inline <script>. `raw_page()` builds exactly that
unsafe page, so a test can prove that the detector notices every payload marked
`detectable` before it is trusted to report that a real page is clean.

The payloads fit in 160 characters (the shortest name fields); `packed()` puts
several in one string for fields that hold more.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass

import markdown

SENTINEL = "__xss"

HTML = "html"
MARKDOWN = "markdown"
ATTRIBUTE = "attribute"
ATTRIBUTE_SINGLE = "attribute-single"
TEXTAREA = "textarea"
TITLE = "title"
SCRIPT = "script"


@dataclass(frozen=True)
class Payload:
    id: str
    text: str
    context: str
    note: str
    # False: not even an unsafe page runs it in Chromium (kept for renderers or
    # sanitisers that would); the self-check does not expect to see it.
    detectable: bool = True


def _call(ident: str) -> str:
    return f"{SENTINEL}('{ident}')"


_DATA_PAGE = base64.b64encode(b"<script>parent.__xss('X11')</script>").decode()

PAYLOADS: tuple[Payload, ...] = (
    Payload("X01", f"<script>{_call('X01')}</script>", HTML, "classic script tag"),
    Payload(
        "X02", f'<img src=x onerror="{_call("X02")}">', HTML, "image error handler"
    ),
    Payload("X03", f'<svg onload="{_call("X03")}"></svg>', HTML, "SVG onload"),
    Payload(
        "X04", f"<svg><script>{_call('X04')}</script></svg>", HTML, "script in SVG"
    ),
    Payload("X05", f"[link X05](javascript:{_call('X05')})", MARKDOWN, "Markdown link"),
    Payload(
        "X06",
        f"[link X06](JaVaScRiPt:{_call('X06')})",
        MARKDOWN,
        "Markdown link, mixed-case scheme",
    ),
    Payload(
        "X07",
        f"[link X07](javascript&#58;{_call('X07')})",
        MARKDOWN,
        "Markdown link, entity-encoded colon",
    ),
    Payload(
        "X08",
        f"[link X08][r8]\n\n[r8]: javascript:{_call('X08')}",
        MARKDOWN,
        "reference-style Markdown link",
    ),
    Payload(
        "X09",
        f"<javascript:{_call('X09')}>",
        MARKDOWN,
        "autolink with a javascript: scheme (Python-Markdown does not link it)",
        detectable=False,
    ),
    Payload(
        "X10",
        f"![image X10](javascript:{_call('X10')})",
        MARKDOWN,
        "Markdown image with a javascript: source",
    ),
    Payload(
        "X11",
        f"[link X11](data:text/html;base64,{_DATA_PAGE})",
        MARKDOWN,
        "Markdown link to a data: HTML page",
    ),
    Payload(
        "X12",
        f'" autofocus onfocus="{_call("X12")}" x="',
        ATTRIBUTE,
        "double-quoted attribute breakout",
    ),
    Payload(
        "X13",
        f"' autofocus onfocus='{SENTINEL}(\"X13\")' x='",
        ATTRIBUTE_SINGLE,
        "single-quoted attribute breakout",
    ),
    Payload(
        "X14",
        f"</textarea><script>{_call('X14')}</script>",
        TEXTAREA,
        "textarea breakout",
    ),
    Payload("X15", f"</title><script>{_call('X15')}</script>", TITLE, "title breakout"),
    Payload(
        "X16",
        f"{{{{constructor.constructor('{SENTINEL}(\"X16\")')()}}}}",
        HTML,
        "client-side template expression (no template engine runs it here)",
        detectable=False,
    ),
    Payload(
        "X17",
        f"<div style=\"background:url('javascript:{_call('X17')}')\">X17</div>",
        HTML,
        "CSS url() with a javascript: scheme",
    ),
    Payload(
        "X18",
        f"<iframe srcdoc=\"<script>parent.{SENTINEL}('X18')</script>\"></iframe>",
        HTML,
        "iframe srcdoc",
    ),
    Payload(
        "X19",
        f'<form action="javascript:{_call("X19")}"><button>X19</button></form>',
        HTML,
        "form action",
    ),
    Payload(
        "X20",
        f'<a href="  javascript:{_call("X20")}">link X20</a>',
        HTML,
        "HTML link, scheme after spaces",
    ),
    Payload(
        "X21",
        f'<details open ontoggle="{_call("X21")}"><summary>X21</summary></details>',
        HTML,
        "details ontoggle",
    ),
    Payload(
        "X22",
        "<svg><animate onbegin=\"alert('xss-X22')\" attributeName=x dur=1s>",
        HTML,
        "SVG animation handler opening a dialog",
    ),
    Payload(
        "X23",
        f'<math><mtext><table><mglyph><style><img src=x onerror="{_call("X23")}">',
        HTML,
        "mutation XSS through MathML and style",
    ),
    Payload(
        "X24",
        f"</script><script>{_call('X24')}</script>",
        SCRIPT,
        "breakout from a string in an inline script",
    ),
    Payload(
        "X25",
        f'--><img src=x onerror="{_call("X25")}">',
        HTML,
        "HTML comment breakout",
    ),
    Payload(
        "X26",
        f'<a href="jav&#x09;ascript:{_call("X26")}">link X26</a>',
        HTML,
        "javascript: split by an encoded tab",
    ),
    Payload(
        "X27",
        f'<object data="javascript:{_call("X27")}">X27</object>',
        HTML,
        "object data URL",
    ),
    Payload(
        "X28",
        f'[link X28](https://example.org "t\\" onmouseover=\\"{_call("X28")}")',
        MARKDOWN,
        "Markdown link title breakout (Python-Markdown escapes it)",
        detectable=False,
    ),
)

BY_ID = {payload.id: payload for payload in PAYLOADS}


def every_payload(separator: str = "\n\n") -> str:
    """All payloads in one text (for Markdown, rich text and other long fields)."""
    return separator.join(payload.text for payload in PAYLOADS)


def packed(limit: int, *, separator: str = " ", skip_longer: bool = False) -> list[str]:
    """All payloads, several to a string, each string at most `limit` characters.

    Blank lines become spaces (single-line fields). A payload longer than `limit`
    is an error unless `skip_longer` (for the few very short fields).
    """
    out: list[str] = []
    current = ""
    for payload in PAYLOADS:
        text = payload.text.replace("\n\n", " ")
        if len(text) > limit:
            if skip_longer:
                continue
            raise ValueError(f"{payload.id} is longer than {limit} characters")
        candidate = f"{current}{separator}{text}" if current else text
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = text
    out.append(current)
    return out


def raw_page(payload: Payload) -> str:
    """An unsafe page: the payload in its context with no escaping or sanitising."""
    text = payload.text
    if payload.context == MARKDOWN:
        body = markdown.markdown(text)
    elif payload.context == ATTRIBUTE:
        body = f'<input value="{text}">'
    elif payload.context == ATTRIBUTE_SINGLE:
        body = f"<input value='{text}'>"
    elif payload.context == TEXTAREA:
        body = f"<textarea>{text}</textarea>"
    elif payload.context == SCRIPT:
        body = f'<script>var label = "{text}";</script>'
    else:
        body = text
    title = text if payload.context == TITLE else "raw"
    return _page(title, body)


def escaped_page(payload: Payload) -> str:
    """The same page with the payload escaped: nothing may be found on it."""
    text = html.escape(payload.text)
    return _page(
        text, f'<p>{text}</p><input value="{text}"><textarea>{text}</textarea>'
    )


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body>{body}</body></html>"
    )


# Run in the page after it has loaded; returns [kind, detail, html excerpt] rows.
FINDINGS_JS = (
    """
() => {
  const SENTINEL = /__xss|xss-X\\d\\d/;
  const URL_ATTRIBUTES = new Set([
    "href", "src", "action", "formaction", "data", "xlink:href", "background",
    "poster", "ping", "codebase", "cite", "srcdoc"]);
  const EXECUTABLE_SCRIPT = /^(|text\\/javascript|application\\/javascript|module)$/i;
  const found = [];
  const excerpt = (el) => el.outerHTML.slice(0, 240);
  const scheme = (value) =>
    value.replace(/[\\u0000-\\u0020\\u007f-\\u009f]/g, "").toLowerCase();
  const scan = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        const value = attr.value;
        if (name.startsWith("on") && SENTINEL.test(value)) {
          found.push(["event handler", name, excerpt(el)]);
        } else if (name === "style" && SENTINEL.test(value)) {
          found.push(["style attribute", name, excerpt(el)]);
        } else if (name === "srcdoc" && SENTINEL.test(value)) {
          found.push(["iframe srcdoc", name, excerpt(el)]);
        } else if (URL_ATTRIBUTES.has(name) || name.endsWith(":href")) {
          const url = scheme(value);
          const navigates = !["img", "source", "link"].includes(tag);
          const image = /^data:image\\/(png|gif|jpe?g|webp);/.test(url);
          if (/^(javascript|vbscript):/.test(url)
              || (navigates && /^data:/.test(url) && !image)
              || (SENTINEL.test(value) && /^(javascript|vbscript|data):/.test(url))) {
            found.push(["dangerous URL", name, excerpt(el)]);
          }
        }
      }
      if (tag === "script" && EXECUTABLE_SCRIPT.test(el.type || "")
          && (SENTINEL.test(el.textContent) || SENTINEL.test(el.src || ""))) {
        found.push(["script element", tag, excerpt(el)]);
      }
      if (tag === "style" && SENTINEL.test(el.textContent)) {
        found.push(["style element", tag, excerpt(el)]);
      }
      const embeds = ["iframe", "frame", "object", "embed", "base"].includes(tag)
        || (tag === "meta" && el.hasAttribute("http-equiv"));
      if (embeds && Array.from(el.attributes).some((a) => SENTINEL.test(a.value))) {
        found.push(["embedding element", tag, excerpt(el)]);
      }
      if (el.shadowRoot) scan(el.shadowRoot);
      if (tag === "iframe" || tag === "frame") {
        try { if (el.contentDocument) scan(el.contentDocument); } catch (e) {}
      }
    }
  };
  scan(document);
  return found;
}
"""
).strip()


def corpus_summary() -> str:
    """The corpus as JSON (id, context, note), for failure messages and docs."""
    return json.dumps(
        [
            {"id": p.id, "context": p.context, "note": p.note, "text": p.text}
            for p in PAYLOADS
        ],
        ensure_ascii=False,
        indent=1,
    )
