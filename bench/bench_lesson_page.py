"""Lesson page vs. the same body on a bare Wagtail page, served by gunicorn.

    .venv/bin/python bench/bench_lesson_page.py sqlite      # or: postgres
    .venv/bin/python bench/bench_lesson_page.py sqlite --requests 2000 --concurrency 8

What it does:
1. builds a scratch database (SQLite file /tmp/bench-lesson.sqlite3, or the
   PostgreSQL database `lms_bench` on 127.0.0.1), migrates it, imports the real
   curriculum (courses/content) and enrols a learner with some progress;
2. starts gunicorn (2 sync workers) on 127.0.0.1 with this file as its settings
   module and URLconf (nothing is added to the application);
3. drives two URLs, interleaved in rounds, with a bounded number of concurrent
   requests from threads using http.client, as the signed-in, enrolled learner:
   - lesson: the lesson with the most blocks, as learners get it (Wagtail routing,
     LessonPage.serve with its context: course outline, enrolment, progress,
     knowledge-check answers, calendar overrides);
   - bare:   the same page found by the same Wagtail routing and `before_serve_page`
     hooks, rendered with the base `Page.get_context` and a template extending the
     same base.html (site header, navigation, footer) that holds only the title and
     the same StreamField body: Wagtail's own serving of the content without the
     course chrome (breadcrumbs, progress, "mark as done", outline, pager);
4. prints requests/s and p50/p95 latency side by side and the ratio (target:
   lesson p50 within 1.25× of bare).
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = Path("/tmp/bench-lesson.sqlite3")
PG_URL = "postgres://postgres@127.0.0.1:5432/lms_bench"

if os.environ.get("DJANGO_SETTINGS_MODULE") == "bench_lesson_page":
    # --- Imported as the settings module (and URLconf) of the served app ---------
    from lms.settings.base import *  # noqa: F403

    DEBUG = False
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    ROOT_URLCONF = "bench_lesson_page"
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "ERROR"},
    }


# The same site chrome (base.html: header, navigation, footer) and the same body;
# none of the course's: breadcrumbs, progress, "mark as done", outline, pager.
BARE_TEMPLATE = """{% extends "base.html" %}{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1>
{% for block in page.body %}{% include_block block with block_id=block.id %}{% endfor %}
{% endblock %}"""


def __getattr__(name):
    """The URLconf, built lazily: this module is imported as settings first."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.http import Http404, HttpResponse
    from django.template import engines
    from django.template.response import TemplateResponse
    from django.urls import include, path
    from wagtail import hooks
    from wagtail.models import Page

    template = engines["django"].from_string(BARE_TEMPLATE)

    def render_bare(page, request, args, kwargs):
        return TemplateResponse(request, template, Page.get_context(page, request))

    def bare(request, path_info):
        """wagtail.views.serve, step for step, ending in the bare template."""
        route_result = Page.route_for_request(request, f"/{path_info}")
        if route_result is None:
            raise Http404
        page, args, kwargs = route_result
        chain = render_bare
        for fn in reversed(hooks.get_hooks("on_serve_page")):
            chain = fn(chain)
        for fn in hooks.get_hooks("before_serve_page"):
            result = fn(page, request, args, kwargs)
            if isinstance(result, HttpResponse):
                return result
        return chain(page, request, args, kwargs)

    return [path("bare/<path:path_info>", bare), path("", include("lms.urls"))]


# --- The benchmark --------------------------------------------------------------


def run(cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(kind: str, env: dict) -> str:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    else:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS lms_bench")
            conn.execute("CREATE DATABASE lms_bench")
        url = PG_URL
    env["DATABASE_URL"] = url
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([python, "manage.py", "import_course", "courses/content"], env)
    return url


SEED = """
import datetime
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from courses.models import CoursePage, Enrolment, LessonPage
from courses.services import lesson_complete

lesson = max(LessonPage.objects.live(), key=lambda p: len(p.body))
course = CoursePage.objects.ancestor_of(lesson).get()
user = get_user_model().objects.create_user(
    "bench@example.org", "bench-password-not-secret", full_name="Bench"
)
enrolment = Enrolment.objects.create(user=user, course=course)
first = LessonPage.objects.live().descendant_of(course).order_by("path").first()
lesson_complete(enrolment=enrolment, lesson=first, now=timezone.now())
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(lesson.url, session.session_key, len(lesson.body))
"""


def seed(env: dict) -> tuple[str, str, int]:
    out = (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    url, session_key, blocks = out.split()
    return url, session_key, int(blocks)


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def fetch(port: int, path: str, cookie: str) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    fetch.sizes[path] = len(body)
    return time.perf_counter() - started


fetch.sizes = {}


def drive(port, path, cookie, count, concurrency) -> tuple[list[float], float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda _: fetch(port, path, cookie), range(count)))
    return latencies, time.perf_counter() - started


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=2000, help="per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    print(f"Preparing the {args.db} database …", flush=True)
    prepare_database(args.db, env)
    lesson_url, session_key, blocks = seed(env)
    serve_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench_lesson_page",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "lms.wsgi:application",
        ],
        cwd=ROOT,
        env=serve_env,
    )
    try:
        wait_for(args.port)
        cookie = f"sessionid={session_key}"
        targets = {"lesson": lesson_url, "bare": f"/bare{lesson_url}"}
        for path in targets.values():  # warm both workers' caches
            drive(args.port, path, cookie, 50, args.concurrency)
        results = {name: ([], 0.0) for name in targets}
        per_round = max(1, args.requests // args.rounds)
        for _round in range(args.rounds):
            for name, path in targets.items():
                latencies, elapsed = drive(
                    args.port, path, cookie, per_round, args.concurrency
                )
                results[name][0].extend(latencies)
                results[name] = (results[name][0], results[name][1] + elapsed)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(
        f"\n{args.db}: {lesson_url} ({blocks} blocks), {per_round * args.rounds} "
        f"requests per URL, concurrency {args.concurrency}, gunicorn 2 workers"
    )
    print(f"{'':8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>8}")
    summary = {}
    for name, (latencies, elapsed) in results.items():
        p50, p95 = percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000
        summary[name] = (len(latencies) / elapsed, p50, p95)
        print(
            f"{name:8} {summary[name][0]:8.1f} {p50:8.1f} {p95:8.1f} "
            f"{fetch.sizes[targets[name]]:8d}"
        )
    ratio50 = summary["lesson"][1] / summary["bare"][1]
    ratio95 = summary["lesson"][2] / summary["bare"][2]
    print(
        f"ratio lesson/bare: p50 {ratio50:.2f}×, p95 {ratio95:.2f}×, "
        f"throughput {summary['bare'][0] / summary['lesson'][0]:.2f}× "
        f"(target ≤ 1.25×: {'met' if ratio50 <= 1.25 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
