"""lms.kip imports only the standard library, `holidays` and itself.

.importlinter enforces the same for django and wagtail in `make lint`; this test
also catches any other third-party import, without needing the linter.
"""

import ast
import sys
from pathlib import Path

import lms.kip

ALLOWED = set(sys.stdlib_module_names) | {"holidays", "lms"}
KIP_DIR = Path(lms.kip.__file__).parent


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module)
    return roots


def test_the_engine_imports_only_the_standard_library_holidays_and_itself():
    modules = sorted(KIP_DIR.rglob("*.py"))
    assert modules
    for path in modules:
        for name in _imported_roots(path):
            root = name.split(".")[0]
            assert root in ALLOWED, f"{path.name} imports {name}"
            if root == "lms":
                assert name.startswith("lms.kip"), f"{path.name} imports {name}"
