"""PostgreSQL restarts, then is down for a moment, in the middle of a quiz.

The machine's shared PostgreSQL is not touched: the test copies its test database
into a private cluster (initdb in a temporary directory, a free port) and serves
it with gunicorn. A learner starts an attempt and autosaves over HTTP; the
cluster is restarted (`pg_ctl restart -m fast`, which cuts every connection);
later it is stopped and started again. The attempt must survive both: same
attempt, every answer that reached a running database kept, graded once.

What the learner sees: right after the restart, nothing — gunicorn's worker holds
a persistent connection (CONN_MAX_AGE) that the restart killed, and
CONN_HEALTH_CHECKS makes Django notice and reconnect before the request uses it.
While the database is down, the autosave gets a 500 (attempt.js shows "not
saved") and /healthz says 503; the answer is not lost, because submitting posts
every answer on the page again.
"""

import os
import re
import subprocess
import sys

import psycopg
import pytest
import requests
from django.conf import settings

from quizzes.models import Choice
from tests.quizzes.factories import UserFactory, course_tree, enrol, quiz_page, single
from tests.services import port_open

from .processes import ROOT, PostgresCluster, free_port, stop_process, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def cluster():
    """A private cluster, not yet initialised: its port is chosen already."""
    cluster = PostgresCluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


class Server:
    """gunicorn (one sync worker, as deployed) on the private cluster.

    Started before the cluster exists: the worker imports Django meanwhile and
    connects only when the first request comes.
    """

    def __init__(self, database_url: str, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "lms.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                    # Stopping waits for idle workers up to this (30 s by default).
                    "--graceful-timeout",
                    "1",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def server(cluster, tmp_path):
    server = Server(cluster.url("lms"), tmp_path / "gunicorn.log")
    try:
        yield server
    finally:
        stop_process(server.process)


def test_an_attempt_survives_a_postgres_restart_and_an_outage(
    process_database_url, client, cluster, server
):
    cluster.init()
    cluster.start()
    course, module = course_tree()
    questions = [single(), single(), single()]
    quiz = quiz_page(module, questions, questions_per_page=10)
    learner = UserFactory()
    enrol(learner, course)
    client.force_login(learner)  # a session row in the database we copy
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    right = set(
        Choice.objects.filter(question__in=questions, is_correct=True).values_list(
            "pk", flat=True
        )
    )

    cluster.copy_database(process_database_url, "lms")
    http = requests.Session()
    http.cookies.set(settings.SESSION_COOKIE_NAME, session_key)

    def call(method, path, **kwargs):
        headers = {"X-CSRFToken": http.cookies.get("csrftoken", "")}
        return http.request(
            method,
            server.base + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )

    wait_for(
        lambda: (
            port_open("127.0.0.1", server.port)
            and call("GET", "/healthz").status_code == 200
        ),
        timeout=60,
        what="the server to answer",
        log=server.log,
    )
    assert call("GET", quiz.url).status_code == 200
    started = call("POST", f"/kuis/{quiz.pk}/mulai/")
    assert started.status_code == 302, server.log()
    attempt_path = started.headers["Location"]
    page = call("GET", attempt_path)
    assert page.status_code == 200
    version = VERSION.search(page.text).group(1)
    attempt_id = int(attempt_path.rstrip("/").rsplit("/", 1)[1])
    tokens = _right_tokens(cluster.url("lms"), attempt_id, right)

    def autosave(slot):
        return call(
            "POST",
            attempt_path + "simpan/",
            data={"version": version, "slots": str(slot), f"q{slot}": tokens[slot]},
        )

    assert autosave(1).json() == {"ok": True, "saved": [1]}

    cluster.restart()
    after_restart = autosave(2)
    assert after_restart.status_code == 200, server.log()
    assert after_restart.json() == {"ok": True, "saved": [2]}

    cluster.stop()
    during_outage = autosave(3)
    assert during_outage.status_code == 500
    # As a load balancer asks: no session (a signed-in request fails earlier,
    # in the middleware that reads the user's language).
    health = requests.get(server.base + "/healthz", timeout=30)
    assert health.status_code == 503
    assert health.json()["database"] != "ok"
    cluster.start()

    submitted = call(
        "POST",
        attempt_path,
        data={
            "action": "submit",
            "version": version,
            "slots": "1,2,3",
            **{f"q{slot}": token for slot, token in tokens.items()},
        },
    )
    assert submitted.status_code == 302, server.log()
    assert submitted.headers["Location"].endswith(f"/{attempt_id}/ulasan/")
    assert call("GET", submitted.headers["Location"]).status_code == 200
    # A second submit (a double click, a retry) changes nothing.
    assert call("POST", attempt_path, data={"action": "submit"}).status_code == 302

    with psycopg.connect(cluster.url("lms")) as conn:
        attempts = conn.execute(
            "SELECT id, state, times_graded, score FROM quizzes_attempt "
            "WHERE user_id = %s",
            (learner.pk,),
        ).fetchall()
        answers = conn.execute(
            "SELECT slot, response IS NOT NULL FROM quizzes_attemptanswer "
            "WHERE attempt_id = %s ORDER BY slot",
            (attempt_id,),
        ).fetchall()
    assert attempts == [(attempt_id, "finished", 1, 100)]
    assert answers == [(1, True), (2, True), (3, True)]


def _right_tokens(url: str, attempt_id: int, right: set[int]) -> dict[int, str]:
    """Slot → the form token of its right option, from the attempt's layout."""
    with psycopg.connect(url) as conn:
        (layout,) = conn.execute(
            "SELECT layout FROM quizzes_attempt WHERE id = %s", (attempt_id,)
        ).fetchone()
    return {
        entry["slot"]: next(token for token, cid in entry["opts"] if cid in right)
        for entry in layout
    }
