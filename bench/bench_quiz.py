"""Quiz attempts under load: gunicorn on loopback, PostgreSQL, learners as threads.

    .venv/bin/python bench/bench_quiz.py                 # 500 learners, defaults
    .venv/bin/python bench/bench_quiz.py --learners 100 --workers 3 --threads 4

What it does (see bench/README.md):

1. (Re)creates the PostgreSQL database `lms_quiz_bench` (`--db-url`), migrates it,
   and creates a course, a 10-question quiz drawn at random from the demo bank,
   and 2 × N enrolled learners, each with a session (no password hashing in the
   measurement).
2. Starts gunicorn (`--workers`, `--threads`) on 127.0.0.1:`--port`.
3. Scenario "ramp": N learners arrive uniformly within `--ramp` seconds, each doing
   the whole attempt over HTTP like a browser with JavaScript: quiz page, start,
   both question pages, one autosave per question, submit, review.
4. Scenario "burst": N other learners start and answer; then all submit at once
   from `--concurrency` threads, every tenth learner twice at the same instant:
   submissions per second and latency.
5. Checks in the database that no attempt was graded twice, no learner has two
   attempts, and every attempt is finished; stops gunicorn; prints a report.

Loopback only; bounded in count and time; stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TIMEOUT = 30

_lat: dict[str, list[float]] = defaultdict(list)
_errors: list[str] = []
_lock = threading.Lock()
SERVER: dict = {}


def record(kind: str, seconds: float, ok: bool, detail: str = "") -> None:
    with _lock:
        _lat[kind].append(seconds)
        if not ok:
            _errors.append(f"{kind}: {detail}")


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- Setup ----------------------------------------------------------------------------


def recreate_database(url: str, *, fresh: bool) -> bool:
    """A new, empty bench database; True when it still needs migrating.

    A migrated copy is kept as the template `<name>_template`, so later runs skip
    the migrations (`--fresh` rebuilds it).
    """
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    template = f"{name}_template"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (template,)
        ).fetchone()
        if exists:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def save_template(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}_template" TEMPLATE "{name}"')


def django_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Certificates are background work: queued (in memory), not run inline.
        CELERY_TASK_ALWAYS_EAGER="0",
        # Keep each thread's connection (and its PostgreSQL backend) for the run.
        DATABASE_CONN_MAX_AGE="3600",
    )
    return env


def prepare(url: str, learners: int) -> dict:
    """Course, quiz and learners with sessions. Runs in this process."""
    os.environ.update(django_env(url))
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from courses.models import CourseIndexPage, CoursePage, Enrolment
    from lms.offices.models import Office
    from quizzes import demo
    from quizzes.interchange import parse_bank_yaml
    from quizzes.models import QuestionCategory, QuizDraw, QuizPage
    from quizzes.services import bank_import

    bank = parse_bank_yaml((demo.CONTENT / "dasar-kip.yaml").read_text())
    bank_import(bank=bank)
    category = QuestionCategory.objects.get(name="Dasar KIP")
    catalogue = CourseIndexPage.objects.first()
    course = catalogue.add_child(
        instance=CoursePage(
            title="Bench", slug="bench", summary="s", objectives="o", regulations="r"
        )
    )
    quiz = course.add_child(
        instance=QuizPage(
            title="Kuis bench",
            slug="kuis-bench",
            selection="random",
            questions_per_page=5,
            max_attempts=1,
            time_limit_minutes=30,
        )
    )
    QuizDraw.objects.create(quiz=quiz, category=category, count=10)
    office, _ = Office.objects.get_or_create(
        code="99.99",
        defaults={
            "level": Office.Level.REGENCY,
            "region_name": "Bench",
            "name": "KPU Kabupaten Bench",
        },
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@kpu.go.id",
                full_name=f"Bench {i}",
                password="!",
                office=office,
            )
            for i in range(learners)
        ]
    )
    Enrolment.objects.bulk_create([Enrolment(user=u, course=course) for u in users])
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return {
        "quiz_id": quiz.pk,
        "quiz_path": quiz.url_path.removeprefix("/home"),
        "cookies": cookies,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


# --- A learner ------------------------------------------------------------------------

FIELD = re.compile(r'name="(q\d+)" value="([0-9a-f]{8})"')
SELECT = re.compile(
    r'<select id="[^"]+" name="(q\d+-[0-9a-f]{8})">(.*?)</select>', re.S
)
OPTION = re.compile(r'<option value="([^"]+)"')
DATE = re.compile(r'type="date" id="(q\d+)"')
TEXT = re.compile(r'type="text" id="(q\d+)"')
SLOTS = re.compile(r'name="slots" value="([^"]*)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


class Learner:
    def __init__(self, base: str, session_key: str, cookie_name: str, quiz: dict):
        self.base = base
        self.http = requests.Session()
        self.http.cookies.set(cookie_name, session_key, domain="127.0.0.1", path="/")
        self.quiz = quiz
        self.attempt_url = ""
        self.answers: list[dict] = []
        self.version = "1"

    def call(self, kind: str, method: str, url: str, **kwargs) -> requests.Response:
        start = time.perf_counter()
        try:
            response = self.http.request(
                method,
                self.base + url,
                timeout=TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            record(kind, time.perf_counter() - start, False, repr(exc))
            raise
        ok = response.status_code in (200, 302)
        record(kind, time.perf_counter() - start, ok, f"{response.status_code} {url}")
        return response

    def headers(self) -> dict:
        return {
            "X-CSRFToken": self.http.cookies.get("csrftoken", ""),
            "Referer": self.base + "/",
        }

    def start(self) -> None:
        self.call("quiz page", "GET", self.quiz["quiz_path"])
        r = self.call(
            "start",
            "POST",
            f"/kuis/{self.quiz['quiz_id']}/mulai/",
            headers=self.headers(),
        )
        self.attempt_url = urlparse(r.headers["Location"]).path
        for page in (1, 2):
            html = self.call(
                "question page", "GET", f"{self.attempt_url}?hal={page}"
            ).text
            self.version = VERSION.search(html).group(1)
            self.answers.extend(self.parse(html))

    def parse(self, html: str) -> list[dict]:
        """One dict of form fields per question on the page (a random answer)."""
        picks: dict[str, dict] = defaultdict(dict)
        radios: dict[str, list[str]] = defaultdict(list)
        for name, token in FIELD.findall(html):
            radios[name].append(token)
        for name, tokens in radios.items():
            picks[name][name] = random.choice(tokens)
        for name, body in SELECT.findall(html):
            options = [v for v in OPTION.findall(body) if v]
            picks[name.split("-")[0]][name] = random.choice(options)
        for name in DATE.findall(html):
            picks[name][name] = "2024-06-28"
        for name in TEXT.findall(html):
            picks[name][name] = random.choice(["PPID", "biaya ringan", "musyawarah"])
        return [{"slots": name[1:], **fields} for name, fields in picks.items()]

    def answer_all(self) -> None:
        url = self.attempt_url + "simpan/"
        for fields in self.answers:
            self.call(
                "autosave",
                "POST",
                url,
                data={"version": self.version, **fields},
                headers=self.headers(),
            )

    def submit(self) -> None:
        self.call(
            "submit",
            "POST",
            self.attempt_url,
            data={"action": "submit", "version": self.version},
            headers=self.headers(),
        )

    def review(self) -> None:
        self.call("review", "GET", self.attempt_url + "ulasan/")


# --- Scenarios ------------------------------------------------------------------------


def ramp(base, quiz, keys, cookie_name, ramp_seconds, concurrency) -> float:
    """Learners arrive uniformly over `ramp_seconds`; each does the whole attempt."""
    t0 = time.perf_counter()
    step = ramp_seconds / max(1, len(keys))

    def flow(i):
        delay = t0 + i * step - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        learner = Learner(base, keys[i], cookie_name, quiz)
        try:
            learner.start()
            learner.answer_all()
            learner.submit()
            learner.review()
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            record("flow", 0, False, repr(exc))

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(flow, range(len(keys))))
    return time.perf_counter() - t0


def burst(base, quiz, keys, cookie_name, concurrency) -> tuple[float, int]:
    """Everybody answers first; then all submit at once (every tenth twice)."""
    learners = [Learner(base, key, cookie_name, quiz) for key in keys]

    def prepare_one(learner):
        learner.start()
        learner.answer_all()

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(prepare_one, learners))
    jobs = [lr for i, lr in enumerate(learners) for _ in range(2 if i % 10 == 0 else 1)]
    barrier = threading.Barrier(min(concurrency, len(jobs)))

    def go(learner):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)
        learner.submit()

    before = len(_lat["submit"])
    workers, backends = server_pids(SERVER["pid"], SERVER["url"])
    cpu_before = cpu_seconds(workers), cpu_seconds(backends)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(go, jobs))
    elapsed = time.perf_counter() - t0
    SERVER["cpu"] = (
        cpu_seconds(workers) - cpu_before[0],
        cpu_seconds(backends) - cpu_before[1],
    )
    return elapsed, len(_lat["submit"]) - before


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (Linux /proc), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def server_pids(master: int, url: str) -> tuple[list[int], list[int]]:
    """gunicorn workers, and the PostgreSQL backends connected to the bench database."""
    import psycopg

    workers = [
        int(pid)
        for pid in subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
        ).stdout.split()
    ]
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url) as conn:
        backends = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                (name,),
            )
        ]
    return workers, backends


def check_database(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE state = 'finished'),
                   count(*) FILTER (WHERE times_graded > 1),
                   count(*) FILTER (WHERE times_graded = 0 AND state = 'finished'),
                   (SELECT count(*) FROM (SELECT user_id FROM quizzes_attempt
                     GROUP BY user_id, quiz_id HAVING count(*) > 1) t)
            FROM quizzes_attempt
            """
        ).fetchone()
    keys = ["attempts", "finished", "graded_twice", "finished_ungraded", "users_with_2"]
    return dict(zip(keys, row, strict=True))


def report_block(title: str, kinds: list[str]) -> None:
    print(f"\n{title}")
    print(
        f"{'request':<15}{'count':>7}{'mean ms':>10}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'max ms':>9}"
    )
    for kind in kinds:
        values = _lat.get(kind, [])
        if not values:
            continue
        print(
            f"{kind:<15}{len(values):>7}{statistics.fmean(values) * 1000:>10.1f}"
            f"{p(values, 0.5) * 1000:>9.1f}{p(values, 0.95) * 1000:>9.1f}"
            f"{max(values) * 1000:>9.1f}"
        )


KINDS = ["quiz page", "start", "question page", "autosave", "submit", "review"]


def run_ramp(base, data, keys, args) -> None:
    n = len(keys)
    seconds = ramp(
        base, data, keys, data["session_cookie"], args.ramp, args.concurrency
    )
    report_block(
        f"Scenario ramp: {n} learners start within {args.ramp:.0f} s, each doing the "
        f"whole attempt — {seconds:.1f} s wall clock, {n / seconds:.1f} submissions/s",
        KINDS,
    )
    every = [v for kind in KINDS for v in _lat[kind]]
    print(f"all requests: {len(every)}, p95 {p(every, 0.95) * 1000:.1f} ms")
    for kind in KINDS:
        _lat[kind].clear()


def run_burst(base, data, keys, args) -> None:
    n = len(keys)
    seconds, count = burst(base, data, keys, data["session_cookie"], args.concurrency)
    submits = _lat["submit"]
    print(
        f"\nScenario burst: {n} learners submit at once ({count} submit requests, "
        f"every tenth learner twice): {count / seconds:.1f} submissions/s, "
        f"p50 {p(submits, 0.5) * 1000:.1f} ms, p95 {p(submits, 0.95) * 1000:.1f} ms, "
        f"max {max(submits) * 1000:.1f} ms"
    )
    app_cpu, db_cpu = SERVER["cpu"]
    per = (app_cpu + db_cpu) / count
    print(
        f"server CPU during the burst: gunicorn {app_cpu:.2f} s + PostgreSQL "
        f"{db_cpu:.2f} s = {per * 1000:.1f} ms per submission, i.e. about "
        f"{2 / per:.0f} submissions/s on two otherwise idle cores"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db-url", default="postgres://postgres@127.0.0.1:5432/lms_quiz_bench"
    )
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--ramp", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument(
        "--scenarios", default="ramp,burst", help="comma-separated: ramp, burst"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="migrate again instead of the template"
    )
    args = parser.parse_args()
    if urlparse(args.db_url).scheme not in ("postgres", "postgresql"):
        parser.error("this benchmark needs PostgreSQL")

    print(f"load average before: {os.getloadavg()}")
    print(f"database {args.db_url}: recreating …", flush=True)
    env = django_env(args.db_url)
    if recreate_database(args.db_url, fresh=args.fresh):
        subprocess.run(  # noqa: S603
            [str(PY), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        save_template(args.db_url)
    data = prepare(args.db_url, 2 * args.learners)
    keys = data["cookies"]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(GUNICORN),
            "lms.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    SERVER.update(pid=server.pid, url=args.db_url)
    expected = 0
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            print("gunicorn did not answer", file=sys.stderr)
            return 1
        # Warm every worker (imports, URL resolver, templates).
        warm = Learner(base, keys[-1], data["session_cookie"], data)
        for _ in range(args.workers * args.threads):
            warm.call("warm-up", "GET", data["quiz_path"])

        n = args.learners
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads; "
            f"{n} learners per scenario; {args.concurrency} client threads",
            flush=True,
        )
        scenarios = {x.strip() for x in args.scenarios.split(",")}
        if "ramp" in scenarios:
            expected += n
            run_ramp(base, data, keys[:n], args)
        if "burst" in scenarios:
            expected += n
            run_burst(base, data, keys[n : 2 * n], args)
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    db = check_database(args.db_url)
    print(f"\nDatabase after the run: {db}")
    print(f"errors: {len(_errors)}" + (f" — first: {_errors[:3]}" if _errors else ""))
    ok = (
        db["graded_twice"] == 0
        and db["users_with_2"] == 0
        and db["finished"] == db["attempts"] == expected
        and not _errors
    )
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
