"""The on-disk course format of docs/course-format.md: read, validate, write.

No Django here: a directory becomes plain frozen dataclasses (`CourseSpec` →
`ModuleSpec` → `LessonSpec` → blocks as `(type, value)`), and back. The importer
and exporter (services.course_import, selectors.course_export_spec) translate
between these and pages. Every rejection is a `ContentError` naming the file (and,
for blocks, the line of the opening fence), as §7 of the spec asks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lms import kip, safe_yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIXED_RE = re.compile(r"^([0-9]+)-(.+)$")
SPECIAL_FENCE_RE = re.compile(r"^```(citation|callout|deadline|check)[ \t]*$")
CLOSING_FENCE_RE = re.compile(r"^```[ \t]*$")
ORDINARY_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
RAW_HTML_RE = re.compile(r"<[A-Za-z/!?]")
START_RANGE = (datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))
SPECIAL_TYPES = ("citation", "callout", "deadline", "check")

AUDIENCES = ("staff", "interns", "both")
CALLOUT_KINDS = ("tip", "warning", "mistake")
MARKERS = ("V", "S")
REGIMES = ("general", "election")


class ContentError(ValueError):
    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path, self.line, self.message = Path(path), line, message
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    title: str
    summary: str
    minutes: int
    required: bool
    blocks: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ModuleSpec:
    slug: str
    title: str
    intro: str
    lessons: tuple[LessonSpec, ...]


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    regulations: tuple[str, ...]
    audience: str
    hours: int
    prerequisites: tuple[str, ...]
    certificate_validity_months: int | None
    allow_retake: bool
    passing_score: int
    search_keywords: tuple[str, ...]
    intro: str
    modules: tuple[ModuleSpec, ...]

    @property
    def lessons(self) -> list[LessonSpec]:
        return [lesson for module in self.modules for lesson in module.lessons]


# --- Front matter --------------------------------------------------------------


def split_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(mapping, body, line number where the body starts)."""
    if text.startswith("\ufeff"):
        raise ContentError(path, "file starts with a byte-order mark (BOM)")
    if "\r" in text:
        raise ContentError(path, "use LF line endings, not CRLF")
    lines = text.split("\n")
    if not lines or lines[0] != "---":
        raise ContentError(path, "front matter missing: the first line must be ---", 1)
    try:
        end = lines.index("---", 1)
    except ValueError as exc:
        raise ContentError(path, "front matter is not closed by a --- line", 1) from exc
    try:
        meta = safe_yaml.load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise ContentError(path, f"front matter is not valid YAML: {exc}", 1) from exc
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a YAML mapping", 1)
    return meta, "\n".join(lines[end + 1 :]), end + 2


@dataclass(frozen=True)
class _Key:
    kind: str  # str, text, int, bool, list, date, options
    required: bool = True
    max_length: int | None = None
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] | None = None
    nullable: bool = False
    non_empty: bool = True


COURSE_KEYS = {
    "title": _Key("str", max_length=200),
    "slug": _Key("str", max_length=50),
    "summary": _Key("str", max_length=500),
    "objectives": _Key("list"),
    "regulations": _Key("list"),
    "audience": _Key("str", choices=AUDIENCES),
    "hours": _Key("int", low=1, high=40),
    "prerequisites": _Key("list", non_empty=False),
    "certificate_validity_months": _Key("int", low=1, nullable=True),
    "allow_retake": _Key("bool"),
    "passing_score": _Key("int", low=0, high=100),
    "search_keywords": _Key("list", required=False, non_empty=False),
}
MODULE_KEYS = {"title": _Key("str", max_length=200), "slug": _Key("str", max_length=50)}
LESSON_KEYS = {
    "title": _Key("str", max_length=200),
    "slug": _Key("str", max_length=50),
    "summary": _Key("str", max_length=500),
    "minutes": _Key("int", low=1, high=120),
    "required": _Key("bool", required=False),
}
BLOCK_KEYS = {
    "citation": {
        "regulation": _Key("str"),
        "article": _Key("str"),
        "text": _Key("str"),
        "quoted": _Key("bool"),
        "marker": _Key("str", choices=MARKERS),
        "source": _Key("str"),
    },
    "callout": {
        "kind": _Key("str", choices=CALLOUT_KINDS),
        "title": _Key("str"),
        "text": _Key("str"),
    },
    "deadline": {
        "step": _Key("str", choices=tuple(kip.STEPS)),
        "start": _Key("date"),
        "regime": _Key("str", choices=REGIMES),
        "caption": _Key("str"),
    },
    "check": {
        "question": _Key("str"),
        "options": _Key("options"),
        "explanation": _Key("str"),
    },
}
OPTION_KEYS = {"text": _Key("str"), "correct": _Key("bool"), "feedback": _Key("str")}


def _validate(
    mapping: dict, keys: dict[str, _Key], path: Path, line: int | None = None
) -> dict:
    def fail(message: str):
        raise ContentError(path, message, line)

    unknown = sorted(set(mapping) - set(keys), key=str)
    if unknown:
        fail(f"unknown key(s): {', '.join(map(str, unknown))}")
    values = {}
    for name, key in keys.items():
        if name not in mapping:
            if key.required:
                fail(f"missing required key {name!r}")
            continue
        value = mapping[name]
        if value is None and key.nullable:
            values[name] = None
            continue
        if key.kind == "str":
            if not isinstance(value, str) or not value.strip():
                fail(f"{name!r} must be a non-empty string")
            if key.max_length and len(value) > key.max_length:
                fail(f"{name!r} is longer than {key.max_length} characters")
            if key.choices and value not in key.choices:
                fail(f"{name!r} must be one of {', '.join(key.choices)}, not {value!r}")
        elif key.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                fail(f"{name!r} must be an integer")
            if key.low is not None and value < key.low:
                fail(f"{name!r} must be at least {key.low}")
            if key.high is not None and value > key.high:
                fail(f"{name!r} must be at most {key.high}")
        elif key.kind == "bool":
            if not isinstance(value, bool):
                fail(f"{name!r} must be true or false")
        elif key.kind == "list":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                fail(f"{name!r} must be a list of non-empty strings")
            if key.non_empty and not value:
                fail(f"{name!r} needs at least one item")
            value = tuple(value)
        elif key.kind == "date":
            value = _parse_date(value, name, fail)
        elif key.kind == "options":
            if not isinstance(value, list) or not 2 <= len(value) <= 6:
                fail(f"{name!r} must be a list of 2 to 6 options")
            options = []
            for option in value:
                if not isinstance(option, dict):
                    fail("each option must be a mapping with text, correct, feedback")
                options.append(_validate(option, OPTION_KEYS, path, line))
            if not any(o["correct"] for o in options):
                fail("a check needs at least one option with correct: true")
            value = tuple(options)
        values[name] = value
    return values


def _parse_date(value, name, fail) -> datetime.date:
    if isinstance(value, datetime.datetime):
        fail(f"{name!r} must be a date, not a date and time")
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            fail(f"{name!r} must be an ISO date YYYY-MM-DD, not {value!r}")
    if not isinstance(value, datetime.date):
        fail(f"{name!r} must be an ISO date YYYY-MM-DD")
    low, high = START_RANGE
    if not low <= value <= high:
        fail(f"{name!r} must be between {low} and {high}")
    return value


# --- Bodies --------------------------------------------------------------------


def _scan(text: str, path: Path, first_line: int):
    """Yield ("markdown", text, line) and (type, yaml text, line) pieces in order."""
    lines = text.split("\n")
    buffer: list[str] = []
    buffer_start = first_line
    fence: str | None = None  # the characters of an open ordinary fence
    i = 0
    while i < len(lines):
        line, number = lines[i], first_line + i
        if fence is not None:
            buffer.append(line)
            if (
                line.strip()
                and set(line.strip()) == {fence[0]}
                and len(line.strip()) >= len(fence)
            ):
                fence = None
            i += 1
            continue
        special = SPECIAL_FENCE_RE.match(line)
        if special:
            yield "markdown", "\n".join(buffer), buffer_start
            try:
                end = next(
                    j
                    for j in range(i + 1, len(lines))
                    if CLOSING_FENCE_RE.match(lines[j])
                )
            except StopIteration:
                raise ContentError(
                    path, f"```{special.group(1)} block is never closed", number
                ) from None
            yield special.group(1), "\n".join(lines[i + 1 : end]) + "\n", number
            buffer, buffer_start = [], first_line + end + 1
            i = end + 1
            continue
        ordinary = ORDINARY_FENCE_RE.match(line)
        if ordinary:
            fence = ordinary.group(1)
        buffer.append(line)
        i += 1
    yield "markdown", "\n".join(buffer), buffer_start


def _strip_blank_lines(text: str) -> str:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _outside_code(text: str) -> list[tuple[int, str]]:
    """Lines (offset, text) outside ordinary fences, with inline code spans removed."""
    result, fence = [], None
    for offset, line in enumerate(text.split("\n")):
        if fence is not None:
            if (
                line.strip()
                and set(line.strip()) == {fence[0]}
                and len(line.strip()) >= len(fence)
            ):
                fence = None
            continue
        match = ORDINARY_FENCE_RE.match(line)
        if match:
            fence = match.group(1)
            continue
        result.append((offset, re.sub(r"(`+).*?\1", "", line)))
    return result


def check_markdown(
    text: str, path: Path, line: int, *, min_heading: int = 2, max_heading: int = 6
) -> None:
    """The Markdown subset: no raw HTML, headings between the allowed levels."""
    for offset, plain in _outside_code(text):
        if RAW_HTML_RE.search(plain):
            raise ContentError(
                path, "raw HTML is not allowed in Markdown", line + offset
            )
        heading = re.match(r"^(#{1,6})\s", plain)
        if heading and not min_heading <= len(heading.group(1)) <= max_heading:
            allowed = (
                "no headings here"
                if min_heading > max_heading
                else f"use {'#' * min_heading} to {'#' * max_heading}"
            )
            raise ContentError(
                path,
                f"level-{len(heading.group(1))} heading not allowed ({allowed})",
                line + offset,
            )


def parse_body(text: str, path: Path, first_line: int) -> tuple[tuple[str, Any], ...]:
    blocks: list[tuple[str, Any]] = []
    for kind, chunk, line in _scan(text, path, first_line):
        if kind == "markdown":
            chunk = _strip_blank_lines(chunk)
            if chunk.strip():
                check_markdown(chunk, path, line, max_heading=4)
                blocks.append(("markdown", chunk))
            continue
        try:
            data = safe_yaml.load(chunk)
        except (yaml.YAMLError, ValueError) as exc:
            raise ContentError(
                path, f"```{kind} block is not valid YAML: {exc}", line
            ) from exc
        if not isinstance(data, dict):
            raise ContentError(path, f"```{kind} block must be a YAML mapping", line)
        value = _validate(data, BLOCK_KEYS[kind], path, line)
        _check_block(kind, value, path, line)
        blocks.append((kind, value))
    if not blocks:
        raise ContentError(path, "the lesson body is empty")
    return tuple(blocks)


def _check_block(kind: str, value: dict, path: Path, line: int) -> None:
    markdown_fields = {
        "callout": ("text",),
        "check": ("question", "explanation"),
    }.get(kind, ())
    for name in markdown_fields:
        check_markdown(value[name], path, line, min_heading=7)
    if kind == "check":
        for option in value["options"]:
            check_markdown(option["feedback"], path, line, min_heading=7)
    if kind == "deadline":
        step, regime = value["step"], value["regime"]
        if regime == "election" and step not in kip.REGIMES["election"].rules:
            raise ContentError(
                path,
                f"regime: election is not allowed for step {step!r} (no verified "
                "election rule); use regime: general",
                line,
            )
        try:
            kip.explain(step, value["start"], regime=regime)
        except ValueError as exc:
            raise ContentError(
                path, f"the legal engine refuses this example: {exc}", line
            ) from exc


def _plain_body(body: str, path: Path, line: int, max_heading: int) -> str:
    for kind, _chunk, block_line in _scan(body, path, line):
        if kind != "markdown":
            raise ContentError(path, "special blocks are not allowed here", block_line)
    text = _strip_blank_lines(body)
    check_markdown(text, path, line, max_heading=max_heading)
    return text


# --- Directories ---------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, "not valid UTF-8") from exc


def _ignored(path: Path) -> bool:
    return path.name.startswith((".", "_"))


def _prefixed_children(directory: Path, *, dirs: bool) -> list[tuple[int, str, Path]]:
    entries, seen = [], {}
    for child in sorted(directory.iterdir()):
        if _ignored(child) or (
            child.name in ("course.md", "module.md") and child.is_file()
        ):
            continue
        match = PREFIXED_RE.match(child.name)
        valid = match and (
            child.is_dir() if dirs else child.is_file() and child.suffix == ".md"
        )
        if not valid:
            kind = "module directory NN-<slug>" if dirs else "lesson file NN-<slug>.md"
            raise ContentError(child, f"unexpected entry; expected a {kind}")
        number = int(match.group(1))
        if number in seen:
            raise ContentError(
                child, f"duplicate prefix {number} (also {seen[number].name})"
            )
        seen[number] = child
        name = match.group(2)
        entries.append((number, name[:-3] if not dirs else name, child))
    return sorted(entries)


def _check_slug(slug: str, expected: str, path: Path) -> None:
    if not SLUG_RE.match(slug) or len(slug) > 50:
        raise ContentError(path, f"slug {slug!r} is not a valid slug")
    if slug != expected:
        raise ContentError(
            path, f"slug {slug!r} does not match the file name ({expected!r})"
        )


def read_lesson(path: Path, expected_slug: str) -> LessonSpec:
    meta, body, line = split_front_matter(_read(path), path)
    values = _validate(meta, LESSON_KEYS, path)
    _check_slug(values["slug"], expected_slug, path)
    return LessonSpec(
        slug=values["slug"],
        title=values["title"],
        summary=values["summary"],
        minutes=values["minutes"],
        required=values.get("required", True),
        blocks=parse_body(body, path, line),
    )


def read_module(directory: Path, expected_slug: str) -> ModuleSpec:
    path = directory / "module.md"
    if not path.is_file():
        raise ContentError(path, "module.md is missing")
    meta, body, line = split_front_matter(_read(path), path)
    values = _validate(meta, MODULE_KEYS, path)
    _check_slug(values["slug"], expected_slug, path)
    lessons = tuple(
        read_lesson(child, slug)
        for _n, slug, child in _prefixed_children(directory, dirs=False)
    )
    if not lessons:
        raise ContentError(directory, "a module needs at least one lesson")
    return ModuleSpec(
        slug=values["slug"],
        title=values["title"],
        intro=_plain_body(body, path, line, max_heading=3),
        lessons=lessons,
    )


def read_course(directory: Path) -> CourseSpec:
    directory = Path(directory)
    path = directory / "course.md"
    if not path.is_file():
        raise ContentError(path, "course.md is missing")
    meta, body, line = split_front_matter(_read(path), path)
    values = _validate(meta, COURSE_KEYS, path)
    _check_slug(values["slug"], directory.name, path)
    if values["slug"] in values["prerequisites"]:
        raise ContentError(path, "a course cannot be its own prerequisite")
    modules = tuple(
        read_module(child, slug)
        for _n, slug, child in _prefixed_children(directory, dirs=True)
    )
    if not modules:
        raise ContentError(directory, "a course needs at least one module")
    lesson_slugs: dict[str, str] = {}
    for module in modules:
        for lesson in module.lessons:
            if lesson.slug in lesson_slugs:
                raise ContentError(
                    directory / f"*-{module.slug}",
                    f"lesson slug {lesson.slug!r} is used twice in the course "
                    f"(also in module {lesson_slugs[lesson.slug]!r})",
                )
            lesson_slugs[lesson.slug] = module.slug
    if len({m.slug for m in modules}) != len(modules):
        raise ContentError(directory, "two modules have the same slug")
    return CourseSpec(
        slug=values["slug"],
        title=values["title"],
        summary=values["summary"],
        objectives=values["objectives"],
        regulations=values["regulations"],
        audience=values["audience"],
        hours=values["hours"],
        prerequisites=values["prerequisites"],
        certificate_validity_months=values["certificate_validity_months"],
        allow_retake=values["allow_retake"],
        passing_score=values["passing_score"],
        search_keywords=values.get("search_keywords", ()),
        intro=_plain_body(body, path, line, max_heading=3),
        modules=modules,
    )


def read_courses(
    path: Path, *, known_slugs: frozenset[str] = frozenset()
) -> list[CourseSpec]:
    """One course directory, or a directory of courses, prerequisites first.

    `known_slugs` are courses that already exist (in the database) and may be
    named as prerequisites without being part of this run.
    """
    path = Path(path)
    if not path.is_dir():
        raise ContentError(path, "not a directory")
    if (path / "course.md").is_file():
        specs = [read_course(path)]
    else:
        specs = [
            read_course(child)
            for child in sorted(path.iterdir())
            if child.is_dir() and not _ignored(child)
        ]
        if not specs:
            raise ContentError(path, "no course directories found")
    return order_by_prerequisites(specs, known_slugs=known_slugs, root=path)


def order_by_prerequisites(
    specs: list[CourseSpec], *, known_slugs: frozenset[str], root: Path
) -> list[CourseSpec]:
    by_slug = {spec.slug: spec for spec in specs}
    for spec in specs:
        for slug in spec.prerequisites:
            if slug not in by_slug and slug not in known_slugs:
                raise ContentError(
                    root / spec.slug / "course.md",
                    f"unknown prerequisite course {slug!r}",
                )
    ordered: list[CourseSpec] = []
    state: dict[str, str] = {}

    def visit(spec: CourseSpec, trail: tuple[str, ...]):
        if state.get(spec.slug) == "done":
            return
        if state.get(spec.slug) == "visiting":
            cycle = " → ".join((*trail, spec.slug))
            raise ContentError(
                root / spec.slug / "course.md", f"prerequisite cycle: {cycle}"
            )
        state[spec.slug] = "visiting"
        for slug in spec.prerequisites:
            if slug in by_slug:
                visit(by_slug[slug], (*trail, spec.slug))
        state[spec.slug] = "done"
        ordered.append(spec)

    for spec in specs:
        visit(spec, ())
    return ordered


# --- Writing -------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key (as the hand-written content is)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def _yaml(data: dict) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )


def _front_matter(data: dict, body: str) -> str:
    text = f"---\n{_yaml(data)}---\n"
    return text + (body + "\n" if body else "")


def _block_text(kind: str, value: Any) -> str:
    if kind == "markdown":
        return value
    data = {name: value[name] for name in BLOCK_KEYS[kind] if name in value}
    if kind == "check":
        data["options"] = [
            {name: option[name] for name in OPTION_KEYS} for option in value["options"]
        ]
    return f"```{kind}\n{_yaml(data)}```"


def write_course(spec: CourseSpec, outdir: Path) -> Path:
    """Write `spec` as <outdir>/<slug>/…; the directory must not exist yet."""
    root = Path(outdir) / spec.slug
    root.mkdir(parents=True, exist_ok=False)
    course = {
        "title": spec.title,
        "slug": spec.slug,
        "summary": spec.summary,
        "objectives": list(spec.objectives),
        "regulations": list(spec.regulations),
        "audience": spec.audience,
        "hours": spec.hours,
        "prerequisites": list(spec.prerequisites),
        "certificate_validity_months": spec.certificate_validity_months,
        "allow_retake": spec.allow_retake,
        "passing_score": spec.passing_score,
        "search_keywords": list(spec.search_keywords),
    }
    (root / "course.md").write_text(_front_matter(course, spec.intro), encoding="utf-8")
    for m_index, module in enumerate(spec.modules, start=1):
        mdir = root / f"{m_index:02d}-{module.slug}"
        mdir.mkdir()
        (mdir / "module.md").write_text(
            _front_matter({"title": module.title, "slug": module.slug}, module.intro),
            encoding="utf-8",
        )
        for l_index, lesson in enumerate(module.lessons, start=1):
            meta = {
                "title": lesson.title,
                "slug": lesson.slug,
                "summary": lesson.summary,
                "minutes": lesson.minutes,
            }
            if not lesson.required:  # `true` is the default; write it only when false
                meta["required"] = False
            body = "\n\n".join(
                _block_text(kind, value) for kind, value in lesson.blocks
            )
            (mdir / f"{l_index:02d}-{lesson.slug}.md").write_text(
                _front_matter(meta, body), encoding="utf-8"
            )
    return root
