"""Author Markdown and rich text are sanitised: nothing executable survives."""

import re
from html.parser import HTMLParser

import pytest

from courses.rendering import render_markdown, sanitise_html

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\nscript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[x]: javascript:alert(1)\n\n[ref][x]",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#14;javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div onclick="alert(1)">hi</div>',
    "<details open ontoggle=alert(1)>",
    '<p style="background:url(javascript:alert(1))">a</p>',
    "<iframe src=//evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    '<a href="x" title=\'"><script>alert(1)</script>\'>y</a>',
    '[x]("onmouseover="alert(1))',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<div>\n<script>alert(1)</script>\n</div>\n\nraw HTML block",
    "<!-- <script>alert(1)</script> -->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "base",
    "meta",
    "link",
    "img",
    "noscript",
}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def assert_safe(html: str, *, allowed=frozenset()):
    assert "<script" not in html.lower()
    # An attribute named on… inside a tag (escaped text inside a value is harmless).
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I)
    collector = _Collector()
    collector.feed(html)
    assert not (DANGEROUS_TAGS - allowed) & set(collector.tags), collector.tags
    for name, value in collector.attributes:
        assert not name.startswith("on"), name
        assert name != "style"
        squashed = re.sub(r"[\x00-\x20]", "", (value or "")).lower()
        assert not squashed.startswith(("javascript:", "data:", "vbscript:")), value


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_output_carries_nothing_executable(payload):
    html = str(render_markdown(payload))
    assert_safe(html)
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rich_text_output_carries_nothing_executable(payload):
    # Rich text is HTML already: Markdown syntax stays inert text, images may stay.
    html = str(sanitise_html(payload, rich_text=True))
    assert_safe(html, allowed={"img"})


def test_links_keep_safe_schemes_and_get_noopener():
    html = str(
        render_markdown(
            "[a](https://jdih.kpu.go.id) [b](mailto:ppid@kpu.go.id) [c](/kursus/)"
        )
    )
    assert 'href="https://jdih.kpu.go.id"' in html
    assert 'href="mailto:ppid@kpu.go.id"' in html
    assert 'href="/kursus/"' in html
    assert html.count('rel="noopener noreferrer"') == 3


def test_the_markdown_subset_renders_tables_lists_and_headings():
    html = str(
        render_markdown(
            "## Judul\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "- satu\n- dua\n\n> kutipan\n\n`kode`"
        )
    )
    for tag in (
        "<h2>",
        "<table>",
        "<td>1</td>",
        "<ul>",
        "<blockquote>",
        "<code>kode</code>",
    ):
        assert tag in html
