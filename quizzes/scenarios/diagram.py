"""The step graph as an SVG string, drawn on the server (no JavaScript, no libraries).

Layered layout: a step's column is its breadth-first depth from the start; steps not
reachable from the start go in a last column. Links are curves with a label (the
choice text, the outcome, the condition); a loop goes back under the columns. Steps
with problems (from `validate()`) get a red, thicker border and a "!" mark. With
`counts` (analytics: how many learners took each link, keyed by `(from, to)`), each
link shows its count and gets thicker with it.

All author text is escaped (and stripped of characters XML forbids), so a title such
as `<script>` is shown as text. The SVG is an image for assistive technology
(`role="img"`, `aria-label`), with a `<title>` and a `<desc>` that lists every step
and link in words.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from quizzes.scenarios.model import (
    RIGHT,
    Condition,
    EndingStep,
    Scenario,
    Step,
    edges,
)
from quizzes.scenarios.validate import Problem, successors

NODE_W, NODE_H = 200, 60
H_GAP, V_GAP = 170, 46
MARGIN = 24
TITLE_CHARS, LABEL_CHARS = 26, 22

KIND_LABELS = {
    "decision": ("Keputusan", "#e3f2fd"),
    "deadline": ("Tenggat", "#fff3e0"),
    "classification": ("Klasifikasi", "#f3e5f5"),
    "checklist": ("Daftar periksa", "#e0f2f1"),
    "ending": ("Akhir", "#e8f5e9"),
}
PROBLEM_COLOUR = "#c62828"

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: object) -> str:
    """Text for SVG content or attributes: XML-forbidden characters dropped, escaped."""
    return html.escape(_XML_FORBIDDEN.sub("", str(text)), quote=True)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class _Link:
    source: str
    target: str
    labels: tuple[str, ...]  # shortened, for the drawing
    full: tuple[str, ...]  # whole, for the tooltip and the description


def render_svg(
    scenario: Scenario,
    *,
    problems: Iterable[Problem] = (),
    counts: Mapping[tuple[str, str], int] | None = None,
    id_prefix: str | None = None,
) -> str:
    prefix = id_prefix or "sc-" + re.sub(r"[^A-Za-z0-9_-]", "-", scenario.slug)
    problems = list(problems)
    flagged = {p.step_id for p in problems if p.step_id is not None}
    columns = _columns(scenario)
    position = {
        step_id: (
            MARGIN + col * (NODE_W + H_GAP),
            MARGIN + 20 + row * (NODE_H + V_GAP),
        )
        for col, ids in enumerate(columns)
        for row, step_id in enumerate(ids)
    }
    column_of = {step_id: col for col, ids in enumerate(columns) for step_id in ids}
    links = _links(scenario)
    counts = counts or {}
    top_count = max(counts.values(), default=0)

    rows = max((len(ids) for ids in columns), default=1)
    width = MARGIN * 2 + max(len(columns), 1) * (NODE_W + H_GAP) - H_GAP
    # Room under the lowest row for loops drawn below the columns.
    height = MARGIN * 2 + 20 + rows * (NODE_H + V_GAP) + 40

    title = f"Diagram skenario: {scenario.title}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(title)}" '
        f'aria-describedby="{prefix}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<title id="{prefix}-title">{esc(title)}</title>',
        f'<desc id="{prefix}-desc">{esc(_describe(scenario, links, problems))}</desc>',
        "<defs>"
        f'<marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#455a64"/></marker>'
        "</defs>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]

    out.append('<g class="links">')
    lowest = MARGIN + 20 + rows * (NODE_H + V_GAP)
    for number, link in enumerate(links):
        if link.source not in position or link.target not in position:
            continue
        count = counts.get((link.source, link.target))
        stroke = 1.5 + (4 * count / top_count if count and top_count else 0)
        path, label_at = _route(
            position[link.source],
            position[link.target],
            column_of[link.target] - column_of[link.source],
            link.source == link.target,
            lowest + 12 + 6 * (number % 4),
        )
        # Several choices to the same step: count them; the tooltip lists them.
        label = link.labels[0] if len(link.labels) == 1 else ""
        if len(link.labels) > 1:
            label = f"{len(link.labels)} pilihan"
        if count is not None:
            label = f"{label} ({count})" if label else f"({count})"
        tooltip = f"{link.source} → {link.target}"
        if link.full:
            tooltip += ": " + " / ".join(link.full)
        if count is not None:
            tooltip += f" ({count})"
        out.append(f'<g class="link-group"><title>{esc(tooltip)}</title>')
        out.append(
            f'<path class="link" d="{path}" fill="none" stroke="#455a64" '
            f'stroke-width="{stroke:.1f}" marker-end="url(#{prefix}-arrow)"/>'
        )
        if label:
            x, y = label_at
            out.append(
                f'<text class="link-label" x="{x:.0f}" y="{y:.0f}" font-size="11" '
                'text-anchor="middle" fill="#263238" stroke="#ffffff" '
                'stroke-width="3" paint-order="stroke">'
                f"{esc(label)}</text>"
            )
        out.append("</g>")
    out.append("</g>")

    out.append('<g class="steps">')
    for step in scenario.steps:
        if step.id not in position:
            continue
        out.append(_node(step, position[step.id], step.id in flagged, prefix, scenario))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _columns(scenario: Scenario) -> list[list[str]]:
    graph = successors(scenario)
    depth: dict[str, int] = {}
    if scenario.start in graph:
        depth[scenario.start] = 0
        queue = deque([scenario.start])
        while queue:
            node = queue.popleft()
            for target in graph[node]:
                if target not in depth:
                    depth[target] = depth[node] + 1
                    queue.append(target)
    columns: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    stray: list[str] = []
    seen: set[str] = set()
    for step in scenario.steps:
        if step.id in seen:  # a duplicate id (reported by validate) is drawn once
            continue
        seen.add(step.id)
        if step.id in depth:
            columns[depth[step.id]].append(step.id)
        else:
            stray.append(step.id)
    if stray:
        columns.append(stray)
    return columns


def _links(scenario: Scenario) -> list[_Link]:
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for step in scenario.steps:
        same_outcomes = getattr(step, "next_if_wrong", True) is None
        for edge in edges(step):
            if edge.choice is not None:
                full = " ".join(edge.choice.text.split())
                label = _short(full, LABEL_CHARS)
            elif same_outcomes:
                full = label = ""
            else:
                full = label = "benar" if edge.option == RIGHT else "salah"
            if edge.when is not None:
                condition = _condition(edge.when)
                label = _short(f"{label} · {condition}" if label else condition, 30)
                full = f"{full} · {condition}" if full else condition
            pairs = grouped.setdefault((edge.source, edge.target), [])
            if label and (label, full) not in pairs:
                pairs.append((label, full))
    return [
        _Link(
            source,
            target,
            tuple(label for label, _ in pairs),
            tuple(full for _, full in pairs),
        )
        for (source, target), pairs in grouped.items()
    ]


def _condition(when: Condition) -> str:
    if when.score_at_least is not None:
        return f"skor ≥ {when.score_at_least}"
    if when.score_below is not None:
        return f"skor < {when.score_below}"
    test = when.answer_of
    if test is None:
        return ""
    if test.correct is not None:
        return f"{test.step} {'benar' if test.correct else 'salah'}"
    if test.equals is not None:
        return f"{test.step} = {test.equals}"
    return f"{test.step} ∈ {{{', '.join(test.in_ or ())}}}"


def _route(
    source: tuple[int, int],
    target: tuple[int, int],
    column_step: int,
    self_loop: bool,
    below: int,
) -> tuple[str, tuple[float, float]]:
    sx, sy = source
    tx, ty = target
    if self_loop:
        x, y = sx + NODE_W, sy + NODE_H / 2
        path = f"M {x} {y - 10} C {x + 50} {y - 50}, {x + 50} {y + 50}, {x} {y + 10}"
        return path, (x + 40, y - 30)
    if column_step > 0:
        x1, y1 = sx + NODE_W, sy + NODE_H / 2
        x2, y2 = tx, ty + NODE_H / 2
        bend = (x2 - x1) / 2
        path = f"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}"
        return path, ((x1 + x2) / 2, (y1 + y2) / 2 - 6)
    # Same column or backwards: leave from the bottom, run under the rows, come up.
    x1, y1 = sx + NODE_W / 2 + 12, sy + NODE_H
    x2, y2 = tx + NODE_W / 2 - 12, ty + NODE_H
    path = f"M {x1} {y1} C {x1} {below}, {x2} {below}, {x2} {y2}"
    return path, ((x1 + x2) / 2, below - 2)


def _node(
    step: Step, at: tuple[int, int], flagged: bool, prefix: str, scenario: Scenario
) -> str:
    x, y = at
    kind, fill = KIND_LABELS[step.kind]
    stroke, width = (PROBLEM_COLOUR, 3) if flagged else ("#37474f", 1.2)
    start = step.id == scenario.start
    parts = [
        f'<g class="step step-{step.kind}{" has-problem" if flagged else ""}" '
        f'id="{prefix}-step-{esc(step.id)}">',
        f"<title>{esc(f'{kind}: {step.title} ({step.id})')}</title>",
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="10" ry="10" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>',
        f'<text x="{x + 10}" y="{y + 18}" font-size="10" fill="#37474f">'
        f"{esc(kind.upper())}{' · MULAI' if start else ''}</text>",
        f'<text x="{x + 10}" y="{y + 38}" font-weight="bold" fill="#1a1a1a">'
        f"{esc(_short(step.title, TITLE_CHARS))}</text>",
    ]
    if isinstance(step, EndingStep):
        parts.append(
            f'<text x="{x + 10}" y="{y + 53}" font-size="10" fill="#2e7d32">'
            f"{esc(_short(step.outcome, TITLE_CHARS + 6))}</text>"
        )
    else:
        parts.append(
            f'<text x="{x + 10}" y="{y + 53}" font-size="10" fill="#546e7a">'
            f"{esc(step.id)}</text>"
        )
    if flagged:
        parts.append(
            f'<text x="{x + NODE_W - 16}" y="{y + 18}" font-weight="bold" '
            f'fill="{PROBLEM_COLOUR}" aria-hidden="true">!</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _describe(scenario: Scenario, links: list[_Link], problems: list[Problem]) -> str:
    titles = {step.id: step.title for step in scenario.steps}
    first = titles.get(scenario.start, scenario.start)
    out = [f"{len(scenario.steps)} langkah; mulai di '{first}'."]
    for step in scenario.steps:
        kind = KIND_LABELS[step.kind][0]
        targets = [
            f"'{titles.get(link.target, link.target)}'"
            + (f" ({'; '.join(link.full)})" if link.full else "")
            for link in links
            if link.source == step.id
        ]
        line = f"{kind} '{step.title}'"
        line += f" menuju {', '.join(targets)}." if targets else "."
        out.append(line)
    if problems:
        out.append(f"{len(problems)} masalah ditemukan.")
    return " ".join(out)
