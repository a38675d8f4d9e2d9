"""Checks every upload form runs before it parses a file: size, name, content.

The browser's file name and content type are the uploader's claims; only the
bytes count. `sniff` recognises the formats people upload by mistake (or on
purpose) in place of a text file: images, archives, office documents, programs.
Forms call `check_size`, then `check_extension` and `refuse_binary` (on
`head_of` the upload) before any parser reads it, so the message names the
first thing wrong with the file. Every message is translatable; the limits
themselves are settings (docs/uploads.md).
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
# (kind, signature at offset 0). Longer signatures first where they share a prefix.
SIGNATURES: tuple[tuple[str, bytes], ...] = (
    ("png", b"\x89PNG\r\n\x1a\n"),
    ("jpeg", b"\xff\xd8\xff"),
    ("gif", b"GIF87a"),
    ("gif", b"GIF89a"),
    ("pdf", b"%PDF-"),
    ("zip", b"PK\x03\x04"),
    ("zip", b"PK\x05\x06"),
    ("ole", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("gzip", b"\x1f\x8b"),
    ("7z", b"7z\xbc\xaf\x27\x1c"),
    ("rar", b"Rar!\x1a\x07"),
    ("elf", b"\x7fELF"),
    ("exe", b"MZ"),
)

KIND_LABELS = {
    "png": _("a PNG image"),
    "jpeg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "pdf": _("a PDF document"),
    "zip": _("a ZIP archive (or an Excel/Word file)"),
    "ole": _("an old Microsoft Office document"),
    "gzip": _("a compressed (gzip) file"),
    "7z": _("a 7-Zip archive"),
    "rar": _("a RAR archive"),
    "elf": _("a program (Linux)"),
    "exe": _("a program (Windows)"),
}
IMAGE_KINDS = {
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
}


def sniff(head: bytes) -> str | None:
    """The kind of binary file `head` (the first bytes) starts, or None for text."""
    for kind, signature in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def head_of(upload, size: int = 4096) -> bytes:
    """The first `size` bytes of an uploaded file, leaving it rewound."""
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def size_text(size: int) -> str:
    """Whole megabytes as "5 MB" (the usual limits), else Django's format."""
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    return filesizeformat(size)


def check_size(upload, *, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s.") % {"limit": size_text(limit)},
            code="too_large",
        )


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_extension(upload, *, allowed: tuple[str, ...]) -> str:
    """The file's extension (lower case, no dot) when it is one of `allowed`."""
    extension = extension_of(upload.name)
    if extension not in allowed:
        raise ValidationError(
            _("Only %(extensions)s files are accepted here.")
            % {"extensions": ", ".join(f".{e}" for e in allowed)},
            code="extension",
        )
    return extension


def refuse_binary(head: bytes, *, expected) -> None:
    """Refuse a known binary format, or any NUL byte, where text is expected."""
    kind = sniff(head)
    if kind is not None:
        raise ValidationError(
            _("This file is %(found)s, not %(expected)s.")
            % {"found": KIND_LABELS[kind], "expected": expected},
            code="wrong_type",
        )
    if b"\x00" in head:
        raise ValidationError(
            _("This file is not a text file, so it cannot be %(expected)s.")
            % {"expected": expected},
            code="binary",
        )


def image_matches_extension(head: bytes, extension: str) -> bool:
    """Whether an image file's bytes are the format its extension claims."""
    return IMAGE_KINDS.get(extension) is not None and sniff(head) == IMAGE_KINDS.get(
        extension
    )
