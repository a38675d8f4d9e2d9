"""quizzes.scenarios is pure: standard library, itself, and the pure legal engine."""

import ast
import re
import sys
from pathlib import Path

import quizzes.scenarios

PACKAGE = Path(quizzes.scenarios.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"quizzes", "lms"}


def modules():
    found = sorted(PACKAGE.rglob("*.py"))
    assert len(found) >= 5
    return found


def test_the_package_imports_only_the_standard_library_itself_and_lms_kip():
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in ALLOWED, f"{path.name} imports {name}"
                if name.startswith("quizzes"):
                    assert name.startswith("quizzes.scenarios"), f"{path.name}: {name}"
                if name.startswith("lms"):
                    assert name == "lms.kip", f"{path.name}: {name}"


def test_no_django_or_wagtail_import_even_inside_a_function():
    pattern = re.compile(r"^\s*(import|from)\s+(django|wagtail)\b", re.MULTILINE)
    for path in modules():
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path.name
        assert "import wagtail" not in text and "from wagtail" not in text


def test_only_the_oracle_module_imports_the_legal_engine():
    """The engine asks an injected oracle, so a fake one can stand in for lms.kip."""
    users = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "lms"
            ):
                users.append(path.name)
    assert users == ["oracle.py"]
