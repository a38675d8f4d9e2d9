"""The engines import neither Django nor Wagtail (STYLE.md: pure modules)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "module",
    [
        "certificates.codes",
        "certificates.numbering",
        "certificates.rendering",
        "certificates.dataintegrity",
    ],
)
def test_the_module_imports_without_django(module):
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'wagtail', 'celery')); print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
