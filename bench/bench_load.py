"""Load test: learners reading lessons and taking quizzes, with locust on loopback.

    .venv/bin/python bench/bench_load.py                            # 200 users, 5 min
    .venv/bin/python bench/bench_load.py --users 50 --run-time 60s  # a trial

What it does (see bench/README.md):

1. Installs locust (bench/load/requirements.txt) into its own virtualenv
   `.venv-bench` the first time (locust brings gevent and a pytest plugin, which
   must stay out of the project's .venv).
2. Drops and recreates the PostgreSQL database `lms_load_bench` (`--db-url`),
   migrates it and runs `seed_demo`; flushes Redis database 13 (`--redis`).
3. Creates `--users` learners in one office, enrolled in the course `--course`
   (default dasar-kip, with its quiz and practice scenario), each with a signed-in
   session, and writes the plan locust reads (sessions, lessons, quiz and its
   answer key, the scenario's best answers).
4. Starts a Celery worker and gunicorn (`--workers` × `--threads`, gthread) with
   production settings over plain HTTP (bench/load/load_settings.py): Redis cache
   and sessions, Redis broker, persistent PostgreSQL connections, DEBUG off.
5. Runs locust headless (bench/load/locustfile.py, FastHttpUser) with `--users`
   at `--spawn-rate` for `--run-time`, then prints a table per request kind
   (count, req/s, p50/p95/p99, max, failures) ready for bench/README.md, the CPU
   each component used, and checks in the database that no attempt was graded
   twice and every certificate was issued.
6. Stops everything and drops the database (unless `--keep-db`).

Loopback only; bounded by `--run-time`; stops by itself. Exit status 0 when no
request failed and the lesson page's p95 is under `--target-ms` (300).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from support import (
    celery_worker_argv,
    children,
    cpu_seconds,
    drop_database,
    flush_redis,
    gunicorn_argv,
    recreate_database,
    save_template,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LOAD = ROOT / "bench" / "load"
PY = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = ROOT / ".venv-bench"
LOCUST = BENCH_VENV / "bin" / "locust"
REQUIREMENTS = LOAD / "requirements.txt"
KINDS = [
    "my learning",
    "lesson page",
    "mark done",
    "quiz page",
    "quiz start",
    "question page",
    "autosave",
    "submit",
    "review",
    "scenario page",
    "scenario start",
    "scenario step",
    "scenario answer",
    "scenario result",
]


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# --- Setup ------------------------------------------------------------------------


def ensure_locust() -> None:
    """The load generator's own virtualenv, rebuilt when the requirements change."""
    stamp = BENCH_VENV / ".requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if LOCUST.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    say(f"installing locust into {BENCH_VENV} …")
    base = subprocess.run(  # noqa: S603
        [str(PY), "-c", "import sys; print(sys._base_executable)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([base, "-m", "venv", str(BENCH_VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            str(BENCH_VENV / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(wanted)


def server_env(args, plan_path: Path | None = None) -> dict:
    """Production settings over HTTP (bench/load/load_settings.py)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="load_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(LOAD)]),
        DATABASE_URL=args.db_url,
        CELERY_BROKER_URL=args.redis,
        CACHE_URL=args.redis,
        DJANGO_SECRET_KEY=args.secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_EMAIL_URL="consolemail://",
        DJANGO_DEFAULT_FROM_EMAIL="Akademi PPID <bench@localhost>",
        LMS_CREDENTIAL_PRIVATE_KEY=args.signing_key,
        LMS_REQUIRE_ADMIN_MFA="0",
        DJANGO_LOG_LEVEL="WARNING",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{args.port}",
    )
    if plan_path:
        env.update(
            LOAD_PLAN=str(plan_path),
            LOAD_ACCURACY=str(args.accuracy),
            LOAD_THINK_SCALE=str(args.think_scale),
        )
    return env


def signing_key() -> str:
    """A throwaway credential key (generated under the dev settings, as CI does)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"}
    out = subprocess.run(  # noqa: S603
        [str(PY), "manage.py", "credential_keygen"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.splitlines()[0].strip()


# What decides the migrated, seeded database: a template made from it is reused
# only while these files are unchanged.
SEED_INPUTS = [
    "*/migrations/*.py",
    "*/*/migrations/*.py",
    "*/demo.py",
    "*/*/demo.py",
    "courses/content/**/*",
    "quizzes/content/**/*",
    "lms/offices/data/*",
]


def seed_fingerprint() -> str:
    digest = hashlib.sha256()
    paths = sorted(
        {p for pattern in SEED_INPUTS for p in ROOT.glob(pattern) if p.is_file()}
    )
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrate_and_seed(args) -> None:
    # seed_demo refuses production settings (public demo passwords): the demo
    # content goes in under the dev settings, into the same database.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": args.db_url,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [str(PY), "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        say(f"  {command[0]}: {time.monotonic() - started:.0f} s")


def prepare(args, plan_path: Path) -> dict:
    out = subprocess.run(  # noqa: S603
        [
            str(PY),
            str(LOAD / "prepare.py"),
            str(args.users),
            args.course,
            str(plan_path),
        ],
        cwd=ROOT,
        env=server_env(args),
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"preparing learners failed:\n{out.stderr[-3000:]}")
    say("  " + out.stdout.strip().splitlines()[-1])
    return json.loads(plan_path.read_text())


# --- Processes ----------------------------------------------------------------------


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_healthy(base: str, timeout: float = 90) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def warm_up(base: str, plan: dict, requests_count: int) -> None:
    """Every worker thread imports, resolves and renders once before measuring."""
    import requests

    http = requests.Session()
    http.cookies.set(plan["cookie"], plan["warmup_session"])
    for i in range(requests_count):
        lesson = plan["lessons"][i % len(plan["lessons"])]
        http.get(base + lesson["url"], timeout=30)
    http.get(base + plan["quiz"]["url"], timeout=30)


def backends(url: str) -> list[int]:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url) as conn:
        return [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                (name,),
            )
        ]


class Sampler(threading.Thread):
    """While locust runs: the 1-minute load average every 10 s, and the CPU of
    the PostgreSQL backends serving the bench database every 2 s (a backend that
    closes, CONN_MAX_AGE, keeps the CPU it was last seen with)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.loads: list[float] = []
        self.baseline = {pid: cpu_seconds([pid]) for pid in backends(url)}
        self.last = dict(self.baseline)
        self.done = threading.Event()

    def run(self) -> None:
        ticks = 0
        while not self.done.wait(2):
            ticks += 1
            if ticks % 5 == 0:
                self.loads.append(os.getloadavg()[0])
            self.sample()

    def sample(self) -> None:
        for pid in backends(self.url):
            seconds = cpu_seconds([pid])
            if seconds:
                self.last[pid] = seconds

    def database_cpu(self) -> float:
        self.sample()
        return sum(v - self.baseline.get(pid, 0) for pid, v in self.last.items())


# --- Results ------------------------------------------------------------------------


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def table(rows: list[dict]) -> str:
    order = {kind: i for i, kind in enumerate(KINDS)}
    rows = sorted(
        rows, key=lambda r: (r["Name"] == "Aggregated", order.get(r["Name"], 99))
    )
    lines = [
        "| request | count | req/s | p50 ms | p95 ms | p99 ms | max ms | failures |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        name = "**all requests**" if r["Name"] == "Aggregated" else r["Name"]
        lines.append(
            f"| {name} | {int(r['Request Count']):,} | {float(r['Requests/s']):.1f} "
            f"| {r['50%']} | {r['95%']} | {r['99%']} "
            f"| {float(r['Max Response Time']):.0f} | {r['Failure Count']} |"
        )
    return "\n".join(lines)


def check_database(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            """
            SELECT
              (SELECT count(*) FROM quizzes_attempt),
              (SELECT count(*) FROM quizzes_attempt WHERE state = 'finished'),
              (SELECT count(*) FROM quizzes_attempt WHERE passed),
              (SELECT count(*) FROM quizzes_attempt WHERE times_graded > 1),
              (SELECT count(*) FROM courses_coursecompletion c
                 JOIN courses_enrolment e ON e.id = c.enrolment_id
                 JOIN accounts_user u ON u.id = e.user_id
                WHERE u.email LIKE 'load%%@kpu.go.id'),
              (SELECT count(*) FROM certificates_certificate WHERE status = 'issued'
                 AND user_id IN (SELECT id FROM accounts_user
                                  WHERE email LIKE 'load%%@kpu.go.id')),
              (SELECT count(*) FROM certificates_certificate WHERE status = 'pending')
            """
        ).fetchone()
    keys = [
        "attempts",
        "finished",
        "passed",
        "graded_twice",
        "completions",
        "certificates_issued",
        "certificates_pending",
    ]
    return dict(zip(keys, row, strict=True))


def wait_for_certificates(url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        db = check_database(url)
        if db["certificates_pending"] == 0 or time.monotonic() > deadline:
            return db
        time.sleep(2)


# --- Main ---------------------------------------------------------------------------


def main() -> int:  # noqa: C901 — one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--run-time", default="5m", help="locust's --run-time")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=75,
        help="seconds gunicorn keeps an idle connection open (nginx's default; "
        "gunicorn's own default of 2 s races the learners' pauses)",
    )
    parser.add_argument("--port", type=int, default=8073)
    parser.add_argument("--course", default="dasar-kip")
    parser.add_argument("--accuracy", type=float, default=0.8)
    parser.add_argument(
        "--think-scale",
        type=float,
        default=1.0,
        help="multiply think times (below 1 only to check the flows quickly)",
    )
    parser.add_argument("--target-ms", type=float, default=300)
    parser.add_argument(
        "--db-url", default="postgres://postgres@127.0.0.1:5432/lms_load_bench"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--results",
        type=Path,
        default=ROOT / "bench" / "results" / f"load-{datetime.now():%Y%m%d-%H%M%S}",
    )
    parser.add_argument(
        "--exclude-ramp",
        action="store_true",
        help="reset the statistics once every user is spawned (locust --reset-stats)",
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--fresh", action="store_true", help="migrate and seed again (no template)"
    )
    args = parser.parse_args()
    if urlparse(args.db_url).scheme not in ("postgres", "postgresql"):
        parser.error("the load test needs PostgreSQL")
    args.results.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"

    ensure_locust()
    say(f"load average before: {os.getloadavg()}")
    flush_redis(args.redis)
    template = f"{urlparse(args.db_url).path.lstrip('/')}_template_{seed_fingerprint()}"
    needs_seed = recreate_database(
        args.db_url,
        template,
        fresh=args.fresh,
        stale_prefix=template.rsplit("_", 1)[0] + "_",
    )
    args.signing_key = signing_key()
    # One secret for the sessions written here and the server reading them.
    args.secret_key = "load-bench-" + os.urandom(24).hex()
    worker = server = locust = None
    try:
        if needs_seed:
            say(f"database {args.db_url}: migrating and seeding …")
            migrate_and_seed(args)
            save_template(args.db_url, template)
        else:
            say(f"database {args.db_url}: from the migrated, seeded template")
        plan_path = args.results / "plan.json"
        plan = prepare(args, plan_path)
        env = server_env(args, plan_path)
        worker = start(
            celery_worker_argv("--concurrency", "1", "--loglevel", "WARNING"),
            env,
            args.results / "celery.log",
        )
        server = start(
            # The learners talk to gunicorn directly, as browsers talk to the
            # proxy in production; see bench/README.md on keep-alive.
            gunicorn_argv(
                args.port,
                workers=args.workers,
                threads=args.threads,
                graceful_timeout=5,
                keep_alive=args.keep_alive,
            ),
            env,
            args.results / "gunicorn.log",
        )
        wait_healthy(base)
        warm_up(base, plan, args.workers * args.threads * 2)
        say(
            f"gunicorn {args.workers} × {args.threads} threads, Celery worker, "
            f"locust: {args.users} users at {args.spawn_rate}/s for {args.run_time}"
        )
        prefix = args.results / "locust"
        locust = start(
            [
                str(LOCUST),
                "-f",
                str(LOAD / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
                *(["--reset-stats"] if args.exclude_ramp else []),
            ],
            env,
            args.results / "locust.log",
        )
        groups = {
            "gunicorn": [server.pid, *children(server.pid)],
            "celery": [worker.pid, *children(worker.pid)],
        }
        cpu_before = {
            name: cpu_seconds(pids, waited_children=True)
            for name, pids in groups.items()
        }
        sampler = Sampler(args.db_url)
        sampler.start()
        started = time.monotonic()
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust.wait()
        elapsed = time.monotonic() - started
        # locust has exited: its CPU is in our children's usage now.
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_cpu = (usage.ru_utime - reaped.ru_utime) + (
            usage.ru_stime - reaped.ru_stime
        )
        sampler.done.set()
        cpu = {
            name: cpu_seconds(pids, waited_children=True) - cpu_before.get(name, 0)
            for name, pids in groups.items()
        }
        cpu["postgresql"] = sampler.database_cpu()
        cpu["locust"] = locust_cpu
        db = wait_for_certificates(args.db_url)
    finally:
        for process in (locust, server, worker):
            stop(process)
        if not args.keep_db:
            drop_database(args.db_url)

    rows = read_stats(prefix)
    failures = read_failures(prefix)
    print()
    print(
        f"Load test, {datetime.now():%Y-%m-%d}: {args.users} learners "
        f"(spawn {args.spawn_rate}/s, think times × {args.think_scale:g}), "
        f"{args.run_time}"
        f"{' (statistics from the end of the ramp-up)' if args.exclude_ramp else ''}"
        f", gunicorn {args.workers} × "
        f"{args.threads} threads (gthread, keep-alive {args.keep_alive} s), one Celery "
        "worker, PostgreSQL and Redis "
        "on loopback; locust on the same machine."
    )
    print()
    print(table(rows))
    print()
    loads = sampler.loads or [os.getloadavg()[0]]
    print(
        f"Load average during the run: {min(loads):.1f}–{max(loads):.1f} "
        f"(mean {sum(loads) / len(loads):.1f}); wall clock {elapsed:.0f} s."
    )
    print(
        "CPU seconds used during the run: "
        + ", ".join(f"{name} {seconds:.1f}" for name, seconds in cpu.items())
        + f" (of {2 * elapsed:.0f} on two cores)."
    )
    served = int(next(r for r in rows if r["Name"] == "Aggregated")["Request Count"])
    per_request = (cpu["gunicorn"] + cpu["postgresql"]) / max(served, 1)
    print(
        f"Server CPU per request (gunicorn + PostgreSQL, all kinds): "
        f"{per_request * 1000:.1f} ms — two otherwise idle cores serve about "
        f"{2 / per_request:.0f} requests/s of this mix."
    )
    print(f"Database afterwards: {db}")
    if failures:
        print("Failures (first 10):")
        for f in failures[:10]:
            print(f"  {f['Occurrences']} × {f['Method']} {f['Name']}: {f['Error']}")
    lesson = next((r for r in rows if r["Name"] == "lesson page"), None)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failed = int(total["Failure Count"])
    p95 = float(lesson["95%"]) if lesson else float("inf")
    ok = (
        failed == 0
        and p95 < args.target_ms
        and db["graded_twice"] == 0
        and db["certificates_pending"] == 0
    )
    print(
        f"\nRESULT: {'OK' if ok else 'NOT MET'} — {failed} failed requests, "
        f"lesson page p95 {p95:.0f} ms (target < {args.target_ms:.0f} ms), "
        f"{db['graded_twice']} attempts graded twice, "
        f"{db['certificates_pending']} certificates still pending. "
        f"Files: {args.results}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
