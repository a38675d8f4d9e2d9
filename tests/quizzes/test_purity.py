"""The pure quiz modules import no Django, Wagtail or app code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = [
    "quizzes/scoring.py",
    "quizzes/analysis.py",
    "quizzes/policy.py",
    "quizzes/layout.py",
]
FORBIDDEN = ("django", "wagtail", "celery", "courses", "lms", "taggit", "modelcluster")


@pytest.mark.parametrize("path", PURE)
def test_pure_module_imports_only_the_standard_library(path):
    tree = ast.parse((ROOT / path).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & set(FORBIDDEN), imported & set(FORBIDDEN)
