"""Course packages: what may reach the importer from an upload or a command line.

A package is a .zip of course directories as `export_course` writes them (the
course folder itself, or its contents, or several courses), or a single lesson
file. Before the Markdown importer (`content_format`) reads anything, the
archive is checked from its directory alone — number of entries, unpacked size,
compression ratio (zip bombs), names (absolute paths, `..`, links: zip slip),
file types — and then unpacked member by member with the same limits enforced
on the bytes actually read, each file checked for what its extension claims
(UTF-8 text, or an image). `import_course PATH` runs the same checks on a
directory or a .zip.

Every refusal is a `PackageError` with a translated message for the uploader.
The limits are settings (docs/uploads.md).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.uploads import image_matches_extension, size_text

from .content_format import (
    PREFIXED_RE,
    SLUG_RE,
    ContentError,
    read_courses,
    read_lesson,
    split_front_matter,
)

TEXT_EXTENSIONS = ("md", "yml", "yaml", "json")
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp")
ALLOWED_EXTENSIONS = TEXT_EXTENSIONS + IMAGE_EXTENSIONS
# A member smaller than this is never a bomb, whatever its ratio (a page of
# blank lines compresses very well).
RATIO_FLOOR_BYTES = 64 * 1024
CHUNK = 64 * 1024


class PackageError(Exception):
    """The package is refused; `message` says why, translated."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class PackageLimits:
    max_bytes: int
    max_uncompressed_bytes: int
    max_files: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> PackageLimits:
        return cls(
            max_bytes=settings.LMS_COURSE_UPLOAD_MAX_BYTES,
            max_uncompressed_bytes=settings.LMS_COURSE_UPLOAD_MAX_UNCOMPRESSED_BYTES,
            max_files=settings.LMS_COURSE_UPLOAD_MAX_FILES,
            max_ratio=settings.LMS_COURSE_UPLOAD_MAX_RATIO,
        )


def _ignored(parts: tuple[str, ...]) -> bool:
    """Drafts and system files (`_x`, `.x`, `__MACOSX/`): the importer skips them."""
    return any(part.startswith((".", "_")) for part in parts)


def _safe_parts(name: str) -> tuple[str, ...]:
    """The path components of an archive entry that stays inside the archive."""
    if (
        "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
    ):
        raise PackageError(
            _(
                "The archive entry “%(name)s” has an absolute or Windows path; "
                "such archives are refused."
            )
            % {"name": name}
        )
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if ".." in parts:
        raise PackageError(
            _(
                "The archive entry “%(name)s” points outside the archive (..); "
                "such archives are refused."
            )
            % {"name": name}
        )
    return parts


def _check_extension(name: str) -> str:
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise PackageError(
            _(
                "The file “%(name)s” is not allowed in a course package (allowed: "
                "%(extensions)s)."
            )
            % {
                "name": name,
                "extensions": ", ".join(f".{e}" for e in ALLOWED_EXTENSIONS),
            }
        )
    return extension


def _check_content(name: str, extension: str, data: bytes) -> None:
    if extension in TEXT_EXTENSIONS:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackageError(
                _("The file “%(name)s” is not UTF-8 text.") % {"name": name}
            ) from exc
        if b"\x00" in data:
            raise PackageError(
                _("The file “%(name)s” is not a text file.") % {"name": name}
            )
    elif not image_matches_extension(data[:64], extension):
        raise PackageError(
            _("The file “%(name)s” is not a .%(extension)s image.")
            % {"name": name, "extension": extension}
        )


def _too_big(limits: PackageLimits) -> PackageError:
    return PackageError(
        _("Unpacked, the package would be larger than %(limit)s, the most accepted.")
        % {"limit": size_text(limits.max_uncompressed_bytes)}
    )


def _too_many(count: int, limits: PackageLimits) -> PackageError:
    return PackageError(
        _("The package has %(count)s entries; at most %(max)s are accepted.")
        % {"count": count, "max": limits.max_files}
    )


def _damaged(name: str | None = None) -> PackageError:
    if name is None:
        return PackageError(
            _("The file is not a valid ZIP archive (it is damaged or incomplete).")
        )
    return PackageError(
        _("The archive entry “%(name)s” is damaged and cannot be unpacked.")
        % {"name": name}
    )


def _check_entry(info: zipfile.ZipInfo, limits: PackageLimits) -> tuple[str, ...]:
    """Refuse an entry by its directory record alone; its safe path parts."""
    name = info.filename
    parts = _safe_parts(name)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise PackageError(
            _("The archive entry “%(name)s” is a link; links are refused.")
            % {"name": name}
        )
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageError(
            _("The archive entry “%(name)s” is not an ordinary file.") % {"name": name}
        )
    if info.flag_bits & 0x1:
        raise PackageError(
            _(
                "The archive entry “%(name)s” is encrypted; upload an archive "
                "without a password."
            )
            % {"name": name}
        )
    if info.is_dir():
        return parts
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > limits.max_ratio * max(
        info.compress_size, 1
    ):
        raise PackageError(
            _(
                "The archive entry “%(name)s” is compressed more than %(ratio)s "
                "times, as zip bombs are; the package is refused."
            )
            % {"name": name, "ratio": limits.max_ratio}
        )
    if parts and not _ignored(parts):
        _check_extension(name)
    return parts


def extract_zip(source, dest: Path, *, limits: PackageLimits) -> None:
    """Unpack the zip file `source` (a path or a binary file) into `dest`.

    Every entry is checked before anything is written, then each member is read
    with the limits applied to the bytes themselves: the sizes in an archive's
    directory are claims, not facts.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _damaged() from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_files:
            raise _too_many(len(infos), limits)
        planned, declared, seen = [], 0, set()
        for info in infos:
            parts = _check_entry(info, limits)
            key = "/".join(parts).casefold()
            if key in seen and not info.is_dir():
                raise PackageError(
                    _("The archive holds “%(name)s” twice.") % {"name": info.filename}
                )
            seen.add(key)
            declared += info.file_size
            if declared > limits.max_uncompressed_bytes:
                raise _too_big(limits)
            if parts and not info.is_dir() and not _ignored(parts):
                planned.append((info, parts))
        written = 0
        root = Path(dest)
        for info, parts in planned:
            target = root.joinpath(*parts)
            data = _read_member(archive, info, budget=limits.max_uncompressed_bytes)
            written += len(data)
            if written > limits.max_uncompressed_bytes:
                raise _too_big(limits)
            _check_content(info.filename, _check_extension(info.filename), data)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as handle:  # "x": never over an existing path
                    handle.write(data)
            except OSError as exc:  # "a" as a file and "a/b.md" in one archive
                raise PackageError(
                    _("The archive entry “%(name)s” clashes with another entry.")
                    % {"name": info.filename}
                ) from exc


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, budget) -> bytes:
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > info.file_size or size > budget:
                    raise _damaged(info.filename)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _damaged(info.filename) from exc
    except RuntimeError as exc:  # an encrypted member the flags did not announce
        raise _damaged(info.filename) from exc
    return b"".join(chunks)


def check_directory(path: Path, *, limits: PackageLimits) -> None:
    """The same checks for a directory given to `import_course`."""
    path = Path(path)
    files, total = 0, 0
    for current, dirnames, filenames in os.walk(path, followlinks=False):
        here = Path(current)
        for name in dirnames + filenames:
            entry = here / name
            relative = entry.relative_to(path).as_posix()
            if entry.is_symlink():
                raise PackageError(
                    _("“%(name)s” is a link; links are refused.") % {"name": relative}
                )
            if name in dirnames:
                continue
            files += 1
            if files > limits.max_files:
                raise _too_many(files, limits)
            total += entry.stat().st_size
            if total > limits.max_uncompressed_bytes:
                raise _too_big(limits)
            parts = PurePosixPath(relative).parts
            if not _ignored(parts):
                extension = _check_extension(relative)
                _check_content(relative, extension, entry.read_bytes())


def package_root(unpacked: Path) -> Path:
    """The directory to give `read_courses`.

    An archive of the course folder's contents (course.md at the top) is moved
    into a directory named after the slug in its course.md, as the format needs.
    """
    course_md = unpacked / "course.md"
    if not course_md.is_file():
        return unpacked
    try:
        meta, _body, _line = split_front_matter(
            course_md.read_text(encoding="utf-8"), Path("course.md")
        )
    except ContentError:
        return unpacked  # read_courses reports it, with the file name
    slug = meta.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 50:
        return unpacked
    target = unpacked.parent / "courses" / slug
    target.parent.mkdir()
    shutil.move(unpacked, target)
    return target


def content_error(exc: ContentError, *, roots: tuple[Path, ...]) -> PackageError:
    """A content error as the uploader should see it: the file inside the package
    (`roots` are where the package may have been unpacked, most specific first)."""
    where = exc.path.name
    for root in roots:
        if exc.path.resolve().is_relative_to(root.resolve()):
            where = exc.path.resolve().relative_to(root.resolve()).as_posix()
            break
    if exc.line:
        where = f"{where}:{exc.line}"
    return PackageError(
        _("The course was not imported: %(where)s: %(problem)s")
        % {"where": where, "problem": exc.message}
    )


def lesson_slug_from_name(name: str) -> str:
    """`03-tenggat.md` or `tenggat.md` → `tenggat`."""
    stem = PurePosixPath(name.replace("\\", "/")).name.removesuffix(".md")
    match = PREFIXED_RE.match(stem)
    slug = match.group(2) if match else stem
    if not SLUG_RE.match(slug) or len(slug) > 50:
        raise PackageError(
            _(
                "Name the lesson file after the lesson's slug, for example "
                "“02-tenggat-pemberitahuan.md”."
            )
        )
    return slug


def package_import(*, upload, kind: str, course, catalogue, user) -> list:
    """Check, unpack and import an uploaded package; all of it or nothing.

    `kind` is "zip" or "md" (one lesson of `course`). Returns the importer's
    reports. Raises PackageError.
    """
    from .models import CoursePage
    from .services import course_package_import, lesson_replace

    limits = PackageLimits.from_settings()
    with tempfile.TemporaryDirectory(prefix="course-upload-") as work:
        base = Path(work)
        try:
            if kind == "md":
                slug = lesson_slug_from_name(upload.name)
                path = base / f"{slug}.md"
                upload.seek(0)
                data = upload.read(limits.max_bytes + 1)
                _check_content(path.name, "md", data)
                path.write_bytes(data)
                lesson = read_lesson(path, slug)
                return [
                    lesson_replace(
                        course=course, lesson=lesson, catalogue=catalogue, user=user
                    )
                ]
            unpacked = base / "package"
            unpacked.mkdir()
            upload.seek(0)
            extract_zip(upload, unpacked, limits=limits)
            known = frozenset(
                CoursePage.objects.child_of(catalogue).values_list("slug", flat=True)
            )
            specs = read_courses(package_root(unpacked), known_slugs=known)
            return course_package_import(specs=specs, catalogue=catalogue, user=user)
        except ContentError as exc:
            roots = (base / "package", base / "courses", base)
            raise content_error(exc, roots=roots) from exc
        except ValidationError as exc:
            raise PackageError(
                _("The course was not imported: %(problem)s")
                % {"problem": " ".join(exc.messages)}
            ) from exc
