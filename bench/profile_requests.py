"""CPU and queries per request kind of the load test, in-process, with a profile.

Serves the load test's requests through Django's test client in this process, with
the load test's settings (bench/load/load_settings.py: production settings over
HTTP, PostgreSQL, Redis cache and cached_db sessions), as one of its signed-in
learners, and prints per request kind the CPU time (median of --repeat) and the
number of queries. With --profile KIND it also prints the cProfile of that kind.

Needs the database a load test kept (``bench/bench_load.py --keep-db``) and the plan
it wrote::

    .venv/bin/python bench/bench_load.py --users 10 --run-time 20s --keep-db
    .venv/bin/python bench/profile_requests.py bench/results/load-<stamp>/plan.json
    .venv/bin/python bench/profile_requests.py PLAN --profile "lesson page"

Read-only kinds are repeated as they are; "mark done" marks the same lesson again
(idempotent), "autosave" saves the same answer again. Nothing here is timed for a
target: it says where a request's time goes.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "load")]


def configure(db_url: str, redis_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="load_settings",
        DATABASE_URL=db_url,
        CELERY_BROKER_URL=redis_url,
        CACHE_URL=redis_url,
        DJANGO_SECRET_KEY="profile-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_EMAIL_URL="consolemail://",
        DJANGO_DEFAULT_FROM_EMAIL="Akademi PPID <bench@localhost>",
        LMS_REQUIRE_ADMIN_MFA="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("LMS_CREDENTIAL_PRIVATE_KEY", _signing_key())
    import django

    django.setup()


def _signing_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    seed = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(seed).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument(
        "--db-url", default="postgres://postgres@127.0.0.1:5432/lms_load_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", default="", help="request kind to profile")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args()
    configure(args.db_url, args.redis)

    from django.db import connection
    from django.test import Client

    from courses.models import Enrolment

    plan = json.loads(args.plan.read_text())
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    # The plan's sessions are signed with that run's secret: sign in afresh as
    # one of its learners (the last one enrolled in the course).
    enrolment = Enrolment.objects.filter(
        course__url_path__endswith="/dasar-kip/"
    ).latest("pk")
    client.force_login(enrolment.user)
    lesson = plan["lessons"][len(plan["lessons"]) // 2]

    def page(path):
        def run():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    def mark_done():
        response = client.post(f"/belajar/pelajaran/{lesson['id']}/selesai/")
        assert response.status_code == 302, response.status_code

    kinds = {
        "my learning": page("/belajar/"),
        "lesson page": page(lesson["url"]),
        "mark done": mark_done,
        "quiz page": page(plan["quiz"]["url"]),
        "scenario page": page(plan["scenario"]["url"]),
        "course page": page("/kursus/dasar-kip/"),
        "catalogue": page("/kursus/"),
    }
    only = [args.profile] if args.profile else list(kinds)
    print(f"{'request':<16} {'CPU ms (median)':>16} {'min':>7} {'queries':>8}")
    for name in only:
        run = kinds[name]
        for _ in range(3):  # warm caches as a running server has them
            run()
        cpu = []
        # Django clears connection.queries when a request starts, so count and
        # keep the statements with a wrapper instead of CaptureQueriesContext.
        queries: list[str] = []

        def record(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            run()
        for _ in range(args.repeat):
            started = time.process_time()
            run()
            cpu.append((time.process_time() - started) * 1000)
        print(
            f"{name:<16} {statistics.median(cpu):>16.1f} {min(cpu):>7.1f}"
            f" {len(queries):>8}"
        )
        if args.profile:
            for sql in queries:
                print("   ", sql[:160])
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                run()
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
