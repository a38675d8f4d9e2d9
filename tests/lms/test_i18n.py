"""The Indonesian catalogue is complete, compiled and up to date with the sources."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_indonesian_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"
    assert len(catalogue.translated_entries()) > 50


def test_the_compiled_catalogue_matches_the_po_file():
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(MO))}
    source = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(PO)).translated_entries()
        if not e.msgid_plural
    }
    assert {k: compiled.get(k) for k in source} == source, "run `make messages`"


def test_indonesian_is_active_by_default_and_english_available():
    with translation.override("id"):
        assert translation.gettext("Courses") != "Courses"
    with translation.override("en"):
        assert translation.gettext("Courses") == "Courses"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_the_catalogue_holds_every_string_marked_in_the_sources(tmp_path):
    """Extract the sources' strings afresh and compare with the committed catalogue."""
    work = tmp_path / "repo"
    ignore = shutil.ignore_patterns(
        ".venv",
        ".git",
        "node_modules",
        "media",
        "*.sqlite3*",
        "staticfiles",
        "test-artifacts",
        "__pycache__",
    )
    shutil.copytree(ROOT, work, ignore=ignore)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--no-obsolete",
            "--ignore=tests/*",
            "--ignore=bench/*",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in polib.pofile(str(work / PO.relative_to(ROOT)))}
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(fresh - committed)
    assert not missing, (
        f"strings not in the catalogue (run `make messages`): {missing[:20]}"
    )
