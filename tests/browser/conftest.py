"""Browser tests: Playwright and Debian's Chromium against pytest-django's live server.

Chromium missing → skip locally, fail in CI (LMS_REQUIRE_SERVICES=1). A failing test
leaves a full-page screenshot in test-artifacts/.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.services import missing_service

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# the test itself (creating data) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("LMS_CHROMIUM") or shutil.which("chromium")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def launch_browser():
    """Chromium under Playwright, for the session-wide `browser` fixture that
    tests/conftest.py defines (shared with tests/security: Playwright's sync API
    allows one instance at a time in a thread)."""
    executable = chromium_path()
    if not executable:
        missing_service("Chromium", "no chromium executable on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover
        missing_service("Playwright", str(exc))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser):
    # The Content-Security-Policy is enforced: a page it breaks fails its journey
    # (axe_violations() evaluates axe-core instead of injecting an inline script).
    context = browser.new_context(
        locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page."""
    # Evaluated through the DevTools protocol, which the page's Content Security
    # Policy does not govern (an inline <script> tag would be refused), so the
    # pages under test keep their real policy.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    result = page.evaluate(
        "async (t) => await axe.run(document, {runOnly: {type: 'tag', values: t}})",
        tags,
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/akun/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=login]) button[type=submit]")
    page.wait_for_load_state("networkidle")
