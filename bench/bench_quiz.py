"""Quiz attempts under load: gunicorn on loopback, PostgreSQL, Redis; learners as tasks.

    .venv/bin/python bench/bench_quiz.py                 # 500 learners per scenario
    .venv/bin/python bench/bench_quiz.py --learners 100 --answer-time 20-40
    .venv/bin/python bench/bench_quiz.py --scenarios burst --workers 3 --threads 4

What it does (see bench/README.md):

1. (Re)creates the PostgreSQL database `lms_quiz_bench` (`--db-url`), migrates it,
   and creates a course, a 10-question quiz (two pages) drawn at random from the
   demo bank, and N enrolled learners per scenario, each with a session (no
   password hashing in the measurement). Empties the Redis database `--redis-url`
   (sessions cache and Celery queue of the run; nobody else may use it).
2. Starts gunicorn with the production settings (`lms.settings.production`:
   sessions cached in Redis, Celery tasks queued in Redis, CSRF checks for HTTPS)
   on 127.0.0.1:`--port`, with `--workers` × `--threads` as docs recommend.
   Requests carry `X-Forwarded-Proto: https` as from the TLS proxy.
3. Scenario "ramp": N learners open the quiz and start it within `--ramp` seconds,
   then answer as people do: the 10 autosaves spread over `--answer-time`
   seconds, "Next" posts the first page, submit posts the second, then the review.
4. Scenario "burst": N other learners, started and answered beforehand, all
   submit at once from `--concurrency` connections; every tenth learner submits
   twice at the same instant. Capacity (submissions per second) and latency.
5. Scenario "deadline": N other learners whose time limit runs out within
   `--ramp` seconds, because that is when they started: their submissions arrive
   at N / ramp per second (50/s by default), every tenth twice at the same
   instant. Latency at the target rate.
6. Checks in the database that no attempt was graded twice, no learner has two
   attempts, and every attempt is finished; stops gunicorn; prints a report.

The load generator is one asyncio process speaking HTTP/1.1 on keep-alive
connections with request bodies built beforehand, so that it takes little of the
two cores it shares with the server. Loopback only; bounded in count and time;
stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlparse

from support import (
    children,
    cpu_seconds,
    flush_redis,
    gunicorn_argv,
    recreate_database,
    save_template,
    signed_in_sessions,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = ROOT / ".venv" / "bin" / "python"
TIMEOUT = 60
# Reopen a connection idle for longer than this: gunicorn closes keep-alive
# connections after 2 s, and a browser would reconnect too.
KEEPALIVE_IDLE = 1.5
KINDS = ["quiz page", "start", "question page", "autosave", "next", "submit", "review"]

# Production settings except the static files storage: hashed names need
# collectstatic, and static files are not what this measures.
SETTINGS_MODULE = "bench_quiz_settings"
SETTINGS_SOURCE = '''"""Production settings for bench_quiz.py; static names unhashed."""
import warnings

from lms.settings.production import *  # noqa: F403
from lms.settings.production import STORAGES

warnings.filterwarnings("ignore", message="No directory at")

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
'''

_lat: dict[str, list[float]] = defaultdict(list)
_errors: list[str] = []


def record(kind: str, seconds: float, ok: bool, detail: str = "") -> None:
    _lat[kind].append(seconds)
    if not ok:
        _errors.append(f"{kind}: {detail}")


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# --- Setup ----------------------------------------------------------------------------


def django_env(url: str, redis_url: str, settings_dir: str) -> dict:
    """The production settings' environment, with throw-away secrets."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=os.pathsep.join([settings_dir, str(ROOT)]),
        DATABASE_URL=url,
        # Keep each thread's connection (and its PostgreSQL backend) for the run.
        DATABASE_CONN_MAX_AGE="3600",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        CELERY_BROKER_URL=redis_url,
        CACHE_URL=redis_url,
        DJANGO_EMAIL_URL="smtp://127.0.0.1:25",
        DJANGO_DEFAULT_FROM_EMAIL="Akademi PPID <bench@localhost>",
        LMS_CREDENTIAL_PRIVATE_KEY=base64.b64encode(os.urandom(32)).decode(),
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict, learners: int) -> dict:
    """Course, quiz and learners with sessions. Runs in this process."""
    os.environ.update(env)
    sys.path.insert(0, env["PYTHONPATH"].split(os.pathsep)[0])
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.conf import settings
    from django.contrib.auth import (
        get_user_model,
    )

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
    cookies = signed_in_sessions(users)
    return {
        "quiz_id": quiz.pk,
        "quiz_path": quiz.url_path.removeprefix("/home"),
        "cookies": cookies,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session_engine": settings.SESSION_ENGINE,
        "right": frozenset(
            c.text
            for q in bank.questions
            if q.kind in ("single", "multiple")
            for c in q.choices
            if c.is_correct
        ),
    }


# --- A browser ------------------------------------------------------------------------


class RequestFailed(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def location(self) -> str:
        """The redirect target's path and query."""
        target = urlparse(self.headers.get("location", ""))
        return target.path + (f"?{target.query}" if target.query else "")


class Browser:
    """One learner's browser: a cookie jar and a keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.origin = f"https://{self.host}"
        self.cookies = dict(cookies)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.idle_since = 0.0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    def twin(self) -> Browser:
        """A second connection with the same cookies (another tab, a double click)."""
        return Browser(self.port, self.cookies)

    async def get(self, kind: str, path: str) -> Response:
        return await self.request(kind, "GET", path)

    async def post(self, kind: str, path: str, fields: list[tuple[str, str]]):
        fields = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")), *fields]
        return await self.request(kind, "POST", path, urlencode(fields).encode())

    async def request(
        self, kind: str, method: str, path: str, body: bytes | None = None
    ) -> Response:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}",
            "X-Forwarded-Proto: https",
            "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        ]
        if body is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: {self.origin}",
                f"Referer: {self.origin}{path}",
                f"X-CSRFToken: {self.cookies.get('csrftoken', '')}",
            ]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
        start = time.perf_counter()
        try:
            if (
                self.writer is None
                or self.reader.at_eof()
                or time.monotonic() - self.idle_since > KEEPALIVE_IDLE
            ):
                self.close()
                self.reader, self.writer = await asyncio.open_connection(
                    "127.0.0.1", self.port
                )
            self.writer.write(data)
            response = await asyncio.wait_for(self._read(), TIMEOUT)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            self.close()
            record(kind, time.perf_counter() - start, False, f"{path}: {exc!r}")
            raise RequestFailed(kind) from exc
        self.idle_since = time.monotonic()
        ok = response.status in (200, 302)
        record(kind, time.perf_counter() - start, ok, f"{response.status} {path}")
        if not ok:
            raise RequestFailed(f"{kind}: {response.status}")
        return response

    async def _read(self) -> Response:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._set_cookie(value)
            elif name:
                headers[name] = value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await self.reader.readline()).strip(), 16):
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)

    def _set_cookie(self, value: str) -> None:
        pair, _, attributes = value.partition(";")
        name, _, content = pair.partition("=")
        if "max-age=0" in attributes.lower().replace(" ", ""):
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = content.strip()


# --- A learner ------------------------------------------------------------------------

FIELD = re.compile(
    r'name="(q\d+)" value="([0-9a-f]{8})"(?: checked)?> <span>(.*?)</span>', re.S
)
SELECT = re.compile(
    r'<select id="[^"]+" name="(q\d+-[0-9a-f]{8})">(.*?)</select>', re.S
)
OPTION = re.compile(r'<option value="([^"]+)"')
DATE = re.compile(r'type="date" id="(q\d+)"')
TEXT = re.compile(r'type="text" id="(q\d+)"')
SLOTS = re.compile(r'name="slots" value="([^"]*)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PAGE = re.compile(r'name="page" value="(\d+)"')


@dataclass(frozen=True)
class Knowledge:
    """What the learners know: the right options of the choice questions (their
    labels), chosen with probability `skill`; other answers are guesses."""

    right: frozenset[str]
    skill: float


@dataclass
class QuestionPage:
    """A question page's form, and the learner's answer to each question on it."""

    version: str
    page: str
    slots: str
    answers: list[list[tuple[str, str]]] = field(default_factory=list)

    @classmethod
    def parse(cls, html: str, rng: random.Random, knows: Knowledge) -> QuestionPage:
        picks: dict[str, list[tuple[str, str]]] = defaultdict(list)
        options: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, token, label in FIELD.findall(html):
            options[name].append((token, unescape(label)))
        for name, tokens in options.items():
            right = [t for t, label in tokens if label in knows.right]
            if right and rng.random() < knows.skill:
                picks[name].extend((name, token) for token in right)
            else:
                picks[name].append((name, rng.choice(tokens)[0]))
        for name, body in SELECT.findall(html):
            options = [v for v in OPTION.findall(body) if v]
            picks[name.split("-")[0]].append((name, rng.choice(options)))
        for name in DATE.findall(html):
            picks[name].append((name, "2024-06-28"))
        for name in TEXT.findall(html):
            picks[name].append(
                (name, rng.choice(["PPID", "biaya ringan", "musyawarah"]))
            )
        page = cls(
            version=VERSION.search(html).group(1),
            page=PAGE.search(html).group(1),
            slots=SLOTS.search(html).group(1),
        )
        page.answers = [picks[f"q{slot}"] for slot in page.slots.split(",")]
        return page

    def autosave(self, i: int) -> list[tuple[str, str]]:
        """What attempt.js posts when question `i` of the page changes."""
        slot = self.slots.split(",")[i]
        return [("version", self.version), ("slots", slot), *self.answers[i]]

    def form(self, action: str) -> list[tuple[str, str]]:
        """The whole page's form, as the browser posts it with a button."""
        fields = [("version", self.version), ("page", self.page)]
        fields.append(("slots", self.slots))
        for answer in self.answers:
            fields.extend(answer)
        return [*fields, ("action", action)]


class Learner:
    def __init__(
        self,
        port: int,
        session_key: str,
        quiz: dict,
        rng: random.Random,
        knows: Knowledge,
    ):
        self.browser = Browser(port, {quiz["session_cookie"]: session_key})
        self.quiz = quiz
        self.rng = rng
        self.knows = knows
        self.attempt_url = ""
        self.last_page: QuestionPage | None = None
        self.submit_body = b""

    async def start(self) -> QuestionPage:
        b = self.browser
        await b.get("quiz page", self.quiz["quiz_path"])
        r = await b.post("start", f"/kuis/{self.quiz['quiz_id']}/mulai/", [])
        self.attempt_url = r.location
        r = await b.get("question page", self.attempt_url)
        return QuestionPage.parse(r.body.decode(), self.rng, self.knows)

    async def next_page(self, page: QuestionPage) -> QuestionPage:
        r = await self.browser.post("next", self.attempt_url, page.form("next"))
        r = await self.browser.get("question page", r.location)
        return QuestionPage.parse(r.body.decode(), self.rng, self.knows)

    async def autosave(self, page: QuestionPage, i: int) -> None:
        url = self.attempt_url + "simpan/"
        await self.browser.post("autosave", url, page.autosave(i))

    async def submit(self, browser: Browser | None = None) -> Response:
        browser = browser or self.browser
        return await browser.post(
            "submit", self.attempt_url, self.last_page.form("submit")
        )

    async def review(self, response: Response) -> None:
        await self.browser.get("review", response.location)


async def sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        await asyncio.sleep(delay)


# --- Scenarios ------------------------------------------------------------------------


async def ramp(learners: list[Learner], args) -> float:
    """Start within `--ramp` s; then answer over `--answer-time` s, like people."""
    low, high = args.answer_time
    t0 = time.monotonic()
    step = args.ramp / max(1, len(learners))

    async def one(i: int, learner: Learner) -> None:
        await sleep_until(t0 + i * step)
        rng = learner.rng
        # Ten answers spread over the learner's answering time, with jitter.
        gaps = [rng.uniform(0.5, 1.5) for _ in range(10)]
        scale = rng.uniform(low, high) / sum(gaps)
        gaps = iter(g * scale for g in gaps)
        try:
            page = await learner.start()
            for number in (1, 2):
                for i_answer in range(len(page.answers)):
                    await asyncio.sleep(next(gaps, 1.0))
                    await learner.autosave(page, i_answer)
                if number == 1:
                    page = await learner.next_page(page)
            learner.last_page = page
            r = await learner.submit()
            await learner.review(r)
        except RequestFailed as exc:
            record("flow", 0, False, repr(exc))
        finally:
            learner.browser.close()

    await asyncio.gather(*(one(i, lr) for i, lr in enumerate(learners)))
    return time.monotonic() - t0


async def prepare_learners(learners: list[Learner], concurrency: int) -> None:
    """Start and answer (both pages' forms), ready to submit the second page."""
    queue = list(learners)

    async def worker() -> None:
        while queue:
            learner = queue.pop()
            try:
                page = await learner.start()
                learner.last_page = await learner.next_page(page)
            except RequestFailed as exc:
                record("flow", 0, False, repr(exc))
            finally:
                learner.browser.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    for kind in KINDS:
        _lat[kind].clear()


async def submit_once_or_twice(i: int, learner: Learner) -> None:
    """Submit; every tenth learner twice at the same instant (two connections)."""
    try:
        if i % 10 == 0:
            twin = learner.browser.twin()
            await asyncio.gather(learner.submit(), learner.submit(twin))
            twin.close()
        else:
            await learner.submit()
    except RequestFailed as exc:
        record("flow", 0, False, repr(exc))
    finally:
        learner.browser.close()


async def burst(learners: list[Learner], concurrency: int) -> float:
    """All submit at once from `concurrency` connections, closed loop."""
    queue = list(enumerate(learners))
    queue.reverse()

    async def worker() -> None:
        while queue:
            await submit_once_or_twice(*queue.pop())

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.monotonic() - t0


async def deadline(learners: list[Learner], seconds: float) -> float:
    """Submissions arriving at len(learners) / seconds per second, open loop."""
    t0 = time.monotonic()
    step = seconds / max(1, len(learners))

    async def one(i: int, learner: Learner) -> None:
        await sleep_until(t0 + i * step)
        await submit_once_or_twice(i, learner)

    await asyncio.gather(*(one(i, lr) for i, lr in enumerate(learners)))
    return time.monotonic() - t0


# --- Measuring ------------------------------------------------------------------------


def server_pids(master: int, url: str) -> tuple[list[int], list[int]]:
    """gunicorn workers, and the PostgreSQL backends connected to the bench database."""
    import psycopg

    workers = children(master)
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


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (Linux /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds of gunicorn, PostgreSQL, this load generator and every other
    process of the machine (other sessions' work) over a phase."""

    def __init__(self, server: dict):
        self.server = server

    def __enter__(self) -> CpuMeter:
        self.workers, self.backends = server_pids(
            self.server["pid"], self.server["url"]
        )
        self.start = (
            cpu_seconds(self.workers),
            cpu_seconds(self.backends),
            time.process_time(),
            machine_busy_seconds(),
            time.monotonic(),
        )
        return self

    def __exit__(self, *exc) -> None:
        self.app = cpu_seconds(self.workers) - self.start[0]
        self.db = cpu_seconds(self.backends) - self.start[1]
        self.client = time.process_time() - self.start[2]
        busy = machine_busy_seconds() - self.start[3]
        self.others = max(0.0, busy - self.app - self.db - self.client)
        self.wall = time.monotonic() - self.start[4]

    def line(self, count: int, what: str) -> str:
        per = (self.app + self.db) / count
        return (
            f"CPU: gunicorn {self.app:.2f} s + PostgreSQL {self.db:.2f} s = "
            f"{per * 1000:.1f} ms per {what} (load generator {self.client:.2f} s, "
            f"{self.client / count * 1000:.1f} ms per {what}); other processes "
            f"{self.others:.1f} s = {self.others / self.wall:.2f} of the 2 cores"
        )


def check_database(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE state = 'finished'),
                   count(*) FILTER (WHERE times_graded > 1),
                   count(*) FILTER (WHERE times_graded = 0 AND state = 'finished'),
                   count(*) FILTER (WHERE passed),
                   (SELECT count(*) FROM (SELECT user_id FROM quizzes_attempt
                     GROUP BY user_id, quiz_id HAVING count(*) > 1) t)
            FROM quizzes_attempt
            """
        ).fetchone()
    keys = [
        "attempts",
        "finished",
        "graded_twice",
        "finished_ungraded",
        "passed",
        "users_with_2",
    ]
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


def clear() -> None:
    for kind in KINDS:
        _lat[kind].clear()


async def run_ramp(learners: list[Learner], args, server: dict) -> None:
    n = len(learners)
    low, high = args.answer_time
    print(f"\nramp: load average before {load()}", flush=True)
    with CpuMeter(server) as cpu:
        seconds = await asyncio.wait_for(ramp(learners, args), args.ramp + high + 300)
    requests = sum(len(_lat[k]) for k in KINDS)
    report_block(
        f"Scenario ramp: {n} learners start within {args.ramp:.0f} s and answer "
        f"over {low:.0f}–{high:.0f} s — {seconds:.1f} s wall clock, "
        f"{requests} requests",
        KINDS,
    )
    start_phase = [v for k in ("quiz page", "start") for v in _lat[k]]
    every = [v for kind in KINDS for v in _lat[kind]]
    print(
        f"quiz page + start p95 {p(start_phase, 0.95) * 1000:.1f} ms; "
        f"all requests p95 {p(every, 0.95) * 1000:.1f} ms"
    )
    print(cpu.line(requests, "request"))
    print(f"load average after: {load()}")
    clear()


async def run_burst(learners: list[Learner], args, server: dict) -> None:
    n = len(learners)
    await prepare_learners(learners, args.concurrency)
    print(f"\nburst: load average before {load()}", flush=True)
    with CpuMeter(server) as cpu:
        seconds = await asyncio.wait_for(burst(learners, args.concurrency), 600)
    submits = _lat["submit"]
    print(
        f"\nScenario burst: {n} learners submit at once from {args.concurrency} "
        f"connections ({len(submits)} submit requests, every tenth learner twice): "
        f"{len(submits) / seconds:.1f} submissions/s, "
        f"p50 {p(submits, 0.5) * 1000:.1f} ms, p95 {p(submits, 0.95) * 1000:.1f} ms, "
        f"max {max(submits) * 1000:.1f} ms"
    )
    print(cpu.line(len(submits), "submission"))
    print(f"load average after: {load()}")
    clear()


async def run_deadline(learners: list[Learner], args, server: dict) -> None:
    n = len(learners)
    await prepare_learners(learners, args.concurrency)
    print(f"\ndeadline: load average before {load()}", flush=True)
    with CpuMeter(server) as cpu:
        seconds = await asyncio.wait_for(deadline(learners, args.ramp), 600)
    submits = _lat["submit"]
    print(
        f"\nScenario deadline: {n} time limits run out within {args.ramp:.0f} s "
        f"({len(submits)} submit requests offered at "
        f"{len(submits) / args.ramp:.1f}/s, every tenth learner twice): done in "
        f"{seconds:.1f} s, {len(submits) / seconds:.1f} submissions/s, "
        f"p50 {p(submits, 0.5) * 1000:.1f} ms, p95 {p(submits, 0.95) * 1000:.1f} ms, "
        f"max {max(submits) * 1000:.1f} ms"
    )
    print(cpu.line(len(submits), "submission"))
    print(f"load average after: {load()}")
    clear()


async def wait_for_server(port: int) -> bool:
    browser = Browser(port, {})
    for _ in range(150):
        try:
            await browser.request("health", "GET", "/healthz")
            return True
        except RequestFailed:
            await asyncio.sleep(0.2)
    return False


async def drive(data: dict, args, server: dict, scenarios: list[str]) -> None:
    n = args.learners
    keys = iter(data["cookies"])
    rng = random.Random(args.seed)

    knows = Knowledge(data["right"], args.skill)

    def group() -> list[Learner]:
        return [
            Learner(args.port, next(keys), data, random.Random(rng.random()), knows)
            for _ in range(n)
        ]

    # Warm every worker thread (imports, URL resolver, templates, connections).
    warm = Browser(args.port, {data["session_cookie"]: data["cookies"][-1]})
    await asyncio.gather(
        *(
            warm.twin().get("warm-up", data["quiz_path"])
            for _ in range(2 * args.workers * args.threads)
        )
    )
    runners = {"ramp": run_ramp, "burst": run_burst, "deadline": run_deadline}
    for name in scenarios:
        await runners[name](group(), args, server)


def answer_time(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    return float(low), float(high or low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db-url", default="postgres://postgres@127.0.0.1:5432/lms_quiz_bench"
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/11",
        help="a Redis database nobody else uses: it is emptied",
    )
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--ramp", type=float, default=10.0)
    parser.add_argument(
        "--answer-time",
        type=answer_time,
        default=(60.0, 120.0),
        help="seconds a learner takes over the 10 answers, LOW-HIGH (ramp)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--worker-class", default="gthread", choices=["gthread", "sync"]
    )
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--skill",
        type=float,
        default=0.85,
        help="chance that a learner picks the right options of a choice question",
    )
    parser.add_argument(
        "--scenarios",
        default="ramp,burst,deadline",
        help="comma-separated: ramp, burst, deadline",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="migrate again instead of the template"
    )
    args = parser.parse_args()
    if urlparse(args.db_url).scheme not in ("postgres", "postgresql"):
        parser.error("this benchmark needs PostgreSQL")
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if not set(scenarios) <= {"ramp", "burst", "deadline"}:
        parser.error("scenarios: ramp, burst, deadline")

    print(f"load average before: {load()}")
    settings_dir = tempfile.mkdtemp(prefix="bench-quiz-")
    Path(settings_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    env = django_env(args.db_url, args.redis_url, settings_dir)
    print(f"database {args.db_url}: recreating …", flush=True)
    flush_redis(args.redis_url)
    template = f"{urlparse(args.db_url).path.lstrip('/')}_template"
    if recreate_database(args.db_url, template, fresh=args.fresh):
        subprocess.run(  # noqa: S603
            [str(PY), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        save_template(args.db_url, template)
    data = prepare(env, len(scenarios) * args.learners + 1)
    server = subprocess.Popen(  # noqa: S603
        gunicorn_argv(
            args.port,
            workers=args.workers,
            threads=args.threads,
            worker_class=args.worker_class,
        ),
        cwd=ROOT,
        env=env,
    )
    info = {"pid": server.pid, "url": args.db_url}
    try:
        if not asyncio.run(wait_for_server(args.port)):
            print("gunicorn did not answer", file=sys.stderr)
            return 1
        _errors.clear()
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads "
            f"({args.worker_class}); "
            f"sessions: {data['session_engine']}; {args.learners} learners per "
            f"scenario; burst from {args.concurrency} connections",
            flush=True,
        )
        asyncio.run(drive(data, args, info, scenarios))
        print(f"\nload average at the end: {load()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(settings_dir, ignore_errors=True)
        flush_redis(args.redis_url)

    db = check_database(args.db_url)
    print(f"\nDatabase after the run: {db}")
    print(f"errors: {len(_errors)}" + (f" — first: {_errors[:3]}" if _errors else ""))
    expected = len(scenarios) * args.learners
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
