"""Charts drawn on the server as inline SVG: no JavaScript, no CDN.

Pure module (standard library only): plain values in, an `Svg` out. Every text is
escaped here; `Svg` has `__html__`, so Django templates insert it as is. Each chart
has a <title> and <desc> and is `role="img"` (`role="group"` when its bars are
links); the pages show the same numbers in a table next to it, which is what screen
readers and printouts rely on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


class Svg(str):
    """SVG markup that is already escaped: templates insert it as is (__html__)."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0…max_value
    text: str  # what is written at the end of the bar, e.g. "73 %"
    href: str | None = None


@dataclass(frozen=True)
class Point:
    label: str  # x-axis label, e.g. "3 Mar"
    value: int
    text: str = ""  # tooltip; defaults to "label: value"


def _e(text: str) -> str:
    return escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(
    width: int, height: int, *, ident: str, title: str, desc: str, role: str = "img"
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="{role}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{_e(ident)}-title {_e(ident)}-desc">'
        f'<title id="{_e(ident)}-title">{_e(title)}</title>'
        f'<desc id="{_e(ident)}-desc">{_e(desc)}</desc>'
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    desc: str,
    max_value: float = 100.0,
    width: int = 440,
    row_height: int = 34,
) -> Svg:
    """Horizontal bars, each with its label above it and its value at its end.

    Labels above the bars leave the whole width to the bars, so the chart stays
    legible when a phone scales it down.
    """
    top, bottom = 4, 22
    height = top + bottom + max(len(bars), 1) * row_height
    plot_left, plot_right = 2, width - 44
    plot = plot_right - plot_left
    # An image's content is presentational, so links inside one would be focusable
    # yet unnamed to a screen reader: a chart with links is a group of them.
    role = "group" if any(bar.href for bar in bars) else "img"
    parts = [_open(width, height, ident=ident, title=title, desc=desc, role=role)]
    # Grid lines at 0, 25, 50, 75 and 100 % of the scale, labelled underneath.
    for step in range(5):
        x = plot_left + plot * step / 4
        anchor = "start" if step == 0 else "end" if step == 4 else "middle"
        parts.append(
            f'<line class="chart-grid" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" '
            f'y2="{height - bottom}"/>'
            f'<text class="chart-axis" x="{x:.1f}" y="{height - 6}" '
            f'text-anchor="{anchor}">{_e(_number(max_value * step / 4))}</text>'
        )
    if not bars:
        parts.append(
            f'<text class="chart-empty" x="{width / 2:.0f}" y="{top + 20}" '
            'text-anchor="middle">–</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row_height
        share = 0.0 if max_value <= 0 else min(max(bar.value / max_value, 0.0), 1.0)
        length = plot * share
        row = (
            f'<text class="chart-label" x="{plot_left}" y="{y + 12}">'
            f"{_e(_clip(bar.label, 60))}</text>"
            f'<rect class="chart-bar" x="{plot_left}" y="{y + 16}" '
            f'width="{length:.1f}" height="{row_height - 20}">'
            f"<title>{_e(bar.label)}: {_e(bar.text)}</title></rect>"
            f'<text class="chart-value" x="{plot_left + length + 4:.1f}" '
            f'y="{y + row_height - 6}">{_e(bar.text)}</text>'
        )
        if bar.href:
            row = f'<a href="{_e(bar.href)}">{row}</a>'
        parts.append(row)
    parts.append("</svg>")
    return Svg("".join(parts))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _nice_max(value: int) -> int:
    """The smallest 1/2/5 × 10ⁿ at least `value` (and at least 4), for the y axis."""
    value = max(value, 4)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= value:
                return factor * magnitude
        magnitude *= 10


def line_chart(
    points: Sequence[Point],
    *,
    ident: str,
    title: str,
    desc: str,
    width: int = 480,
    height: int = 220,
) -> Svg:
    """One line with a dot per point; y from zero; at most ~12 x labels."""
    left, right, top, bottom = 36, 14, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((p.value for p in points), default=0))
    parts = [_open(width, height, ident=ident, title=title, desc=desc)]
    for step in range(5):
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" '
            f'y2="{y:.1f}"/><text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{_e(_number(value))}</text>'
        )
    count = len(points)
    if count == 0:
        parts.append("</svg>")
        return Svg("".join(parts))

    def x_of(index: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    def y_of(value: int) -> float:
        return top + plot_h - plot_h * value / top_value

    coords = " ".join(
        f"{x_of(i):.1f},{y_of(p.value):.1f}" for i, p in enumerate(points)
    )
    parts.append(f'<polyline class="chart-line" points="{coords}"/>')
    label_every = max(1, -(-count // 7))
    for index, point in enumerate(points):
        x, y = x_of(index), y_of(point.value)
        tip = point.text or f"{point.label}: {point.value}"
        parts.append(
            f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="3.5">'
            f"<title>{_e(tip)}</title></circle>"
        )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-axis" x="{x:.1f}" y="{height - 10}" '
                f'text-anchor="middle">{_e(point.label)}</text>'
            )
    parts.append("</svg>")
    return Svg("".join(parts))
