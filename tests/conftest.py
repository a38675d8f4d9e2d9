"""Fixtures and helpers shared by every app's tests.

- `require_service(name, ok, why)` (from tests/services.py): skip when a real
  service is missing, fail instead when services are required (CI).
- Transactional tests recreate the rows migrations create (Wagtail's locale,
  site, home page and catalogue) that an earlier flush removed.
- `live_server`: on the in-memory SQLite of `make test`, one request at a time.
- `office_tree`: a small slice of the KPU tree with real codes.
- `celery_worker_process`: a real Celery worker in a subprocess, consuming from
  Redis and sharing the test's PostgreSQL database; e-mail it sends lands in files.
"""

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.factories import build_office_tree
from tests.services import (  # noqa: F401
    drop_broker_connections,
    port_open,
    require_service,
    services_required,
)

ROOT = Path(__file__).resolve().parents[1]
TEST_BROKER_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def english(client):
    """The test client and gettext in English, for assertions on source strings
    (the interface defaults to Indonesian)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def admin_in_english(user):
    """Make the Wagtail admin speak English to `user` (it follows the user's
    admin profile, not the language cookie)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture(scope="session")
def browser():
    """Chromium for the browser tests (tests/browser, tests/security)."""
    from tests.browser.conftest import launch_browser

    yield from launch_browser()


@pytest.fixture
def office_tree(db):
    """KPU RI; Bali (51) with Badung (51.03) and Denpasar (51.71); Jawa Tengah (33)
    with Klaten (33.10)."""
    return build_office_tree()


# --- A real Celery worker -----------------------------------------------------

# Run in the worker process: test settings, then the overrides a worker needs
# (a real broker, e-mail to files), then the worker itself. Overriding after
# setup keeps lms.settings.test untouched; Celery reads its configuration from
# Django settings lazily, after this.
_WORKER_BOOTSTRAP = """
import json, os
import django
django.setup()
from django.conf import settings
for name, value in json.loads(os.environ["LMS_TEST_SETTINGS_OVERRIDES"]).items():
    setattr(settings, name, value)
from lms.celery import app
app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "--hostname=lms-test@%h"])
"""


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    email_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def emails(self) -> list[str]:
        return [
            p.read_text(errors="replace") for p in sorted(self.email_dir.glob("*.log"))
        ]

    def wait_for_email(self, containing: str, timeout: float = 30) -> str:
        """The first e-mail the worker wrote that contains `containing`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.emails():
                if containing in message:
                    return message
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(
            f"No e-mail containing {containing!r} within {timeout}s.\n"
            f"Worker log:\n{self.log()[-4000:]}"
        )


def _database_url_for_worker(connection) -> str:
    db = connection.settings_dict
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(request, tmp_path):
    """Start `celery -A lms worker` against Redis db 15 and this test's database.

    Requesting it makes the test transactional (the worker only sees committed
    rows). Needs Redis on 127.0.0.1:6379 and PostgreSQL: SQLite's test database
    lives in this process's memory, where no worker can reach it. Tasks the test
    enqueues go to Redis while the fixture is active.
    """
    from django.conf import settings as django_settings
    from django.db import connections

    from lms.celery import app

    require_service(
        "Redis", port_open("127.0.0.1", 6379), "nothing answers on 127.0.0.1:6379"
    )
    require_service(
        "A database shared with the worker",
        "postgresql" in django_settings.DATABASES["default"]["ENGINE"],
        "set DATABASE_URL=postgres://… (the SQLite test database is in memory)",
    )
    # Only now: a transactional test flushes the database when it ends, which
    # a test that merely skipped should not do to the tests after it.
    request.getfixturevalue("transactional_db")
    connection = connections["default"]
    import redis

    redis.Redis.from_url(TEST_BROKER_URL).flushdb()

    email_dir = tmp_path / "emails"
    email_dir.mkdir()
    log_path = tmp_path / "worker.log"
    overrides = {
        "CELERY_BROKER_URL": TEST_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": False,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(email_dir),
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url_for_worker(connection),
        "LMS_TEST_SETTINGS_OVERRIDES": json.dumps(overrides),
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 — our own interpreter and code
            [sys.executable, "-c", _WORKER_BOOTSTRAP],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = WorkerProcess(process=process, email_dir=email_dir, log_path=log_path)

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=TEST_BROKER_URL, task_always_eager=False)
    drop_broker_connections()
    try:
        _wait_until_ready(app, worker)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        app.conf.update(saved)
        drop_broker_connections()


def _wait_until_ready(app, worker: WorkerProcess, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"The Celery worker exited early:\n{worker.log()[-4000:]}")
        if app.control.ping(timeout=0.5):
            return
    pytest.fail(f"The Celery worker did not answer within {timeout}s:\n{worker.log()}")


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server; on in-memory SQLite it serves one request at a
    time. That database is one connection shared by the server's threads, and two
    requests at once (attempt.js autosaving two answers, say) fail with "cannot open
    savepoint - SQL statements in progress". PostgreSQL (CI) keeps the threads."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        httpd = live_server.thread.httpd
        app = httpd.get_app()
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                result = app(environ, start_response)
                try:
                    body = b"".join(result)  # streamed bodies read the database too
                finally:
                    if hasattr(result, "close"):
                        result.close()
            return [body]

        httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture(autouse=True)
def _base_content_after_flush(request):
    """A transactional test ends by flushing every table, which also removes what
    data migrations created (Wagtail's locale, the site, the home page and the
    course catalogue). Transactional tests put them back first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from tests.factories import ensure_site_tree

        ensure_site_tree()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: Wagtail caches the site's root paths and
    the calendar caches administrator closures, which must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
