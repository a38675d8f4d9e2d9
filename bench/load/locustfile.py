"""Learners of Akademi PPID for locust: read lessons, mark them done, take the quiz.

Run by bench/bench_load.py, which seeds the database and writes the plan this file
reads (LOAD_PLAN: a JSON file with one signed-in session per learner, the course's
lessons, the quiz and the answer key). Each simulated learner:

1. signs in once (takes its own pre-made session; see bench/README.md for why not
   the login form) and opens "My learning" (/belajar/);
2. reads the course's lessons in order, 3–10 s on each, and marks each done;
3. opens the quiz, starts an attempt (or resumes the open one), opens each question
   page, answers every question with an autosave 2–5 s apart, submits and reads
   the review; a learner who used up the attempts only reads;
4. plays the course's required practice scenario step by step (3–8 s a step) to
   its debrief, unless the scenario allows no replay;
5. starts over, from a random lesson.

Quiz answers are right with probability LOAD_ACCURACY (0.8) where the key knows
the right one (choices, matching, ordering), otherwise random, so most attempts
pass; scenario answers are the best ones. Passing both (and the lessons) completes
the course, and the Celery worker issues the certificate.

Requests are named by kind ("lesson page", "autosave", …) so the statistics are
per kind. This file does not import Django: locust runs in its own virtualenv.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from urllib.parse import urlencode, urlparse

import gevent
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
ACCURACY = float(os.environ.get("LOAD_ACCURACY", "0.8"))
# Think times × this; below 1 only to check the flows quickly (bench_load.py
# --think-scale), never for the figures.
SCALE = float(os.environ.get("LOAD_THINK_SCALE", "1"))
_learners = itertools.count()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PAGES = re.compile(r'name="goto" value="(\d+)"')  # the question navigation
FIELDSET = re.compile(
    r'<fieldset class="question" data-slot="(\d+)"(.*?)</fieldset>', re.S
)
CHOICE = re.compile(
    r'<input type="(radio|checkbox)" name="(q\d+)" value="([0-9a-f]+)"[^>]*>\s*'
    r"<span>(.*?)</span>",
    re.S,
)
# An ordering step or a matching premise: its label, and its <select>.
LABEL = re.compile(r'<label for="(q\d+-[0-9a-f]+)"[^>]*>(.*?)</label>', re.S)
SELECT = re.compile(r'<select id="[^"]+" name="(q\d+-[0-9a-f]+)">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"[^>]*>(.*?)</option>', re.S)
DATE = re.compile(r'type="date" id="(q\d+)"')
STEP_ID = re.compile(r'name="step" value="([^"]+)"')
TEXT = re.compile(r'type="text" id="(q\d+)"')


def _text(raw: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", raw)).strip()


class Learner(FastHttpUser):
    wait_time = between(3 * SCALE, 10 * SCALE)  # reading a lesson

    def on_start(self) -> None:
        index = next(_learners)
        sessions = PLAN["sessions"]
        if index >= len(sessions):
            raise RuntimeError(
                f"{index + 1} users but only {len(sessions)} learners were seeded"
            )
        host = urlparse(self.host).hostname
        self.client.cookiejar.set_cookie(_cookie(PLAN["cookie"], sessions[index], host))
        self.lessons = PLAN["lessons"]
        self.position = 0
        self.reading: dict | None = None
        self.quiz_closed = False
        self.scenario_closed = PLAN.get("scenario") is None
        self.csrf = ""
        self.get("my learning", "/belajar/")

    # --- helpers ---------------------------------------------------------------

    def get(self, name: str, path: str) -> str:
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for GET {path}")
                return ""
            body = response.text or ""
            token = CSRF.search(body)
            if token:
                self.csrf = token.group(1)
            return body

    def post(self, name: str, path: str, fields, *, expect=(302,)):
        """Form POST like a browser; returns the response (None on failure)."""
        data = urlencode([("csrfmiddlewaretoken", self.csrf), *fields])
        with self.client.post(
            path,
            name=name,
            data=data,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.csrf,
                "Referer": self.host + path,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} for POST {path}")
                return None
            return response

    def think(self, low: float, high: float) -> None:
        gevent.sleep(random.uniform(low, high) * SCALE)

    # --- the learner's session -------------------------------------------------

    @task
    def study(self) -> None:
        """One step; locust's wait_time (3–10 s) after it is the reading time."""
        if self.reading is not None:
            lesson, self.reading = self.reading, None
            self.post("mark done", f"/belajar/pelajaran/{lesson['id']}/selesai/", [])
        if self.position < len(self.lessons):
            lesson = self.lessons[self.position]
            self.position += 1
            if self.get("lesson page", lesson["url"]):
                self.reading = lesson
            return
        # Every lesson read: the quiz and the scenario, then again from a random
        # lesson.
        self.position = random.randrange(len(self.lessons))
        if not self.quiz_closed:
            self.take_quiz()
        if not self.scenario_closed:
            self.play_scenario()

    def take_quiz(self) -> None:
        quiz = PLAN["quiz"]
        if not self.get("quiz page", quiz["url"]):
            return
        self.think(2, 5)
        response = self.post("quiz start", f"/kuis/{quiz['id']}/mulai/", [])
        if response is None:
            return
        location = urlparse(response.headers.get("Location", "")).path
        if "/percobaan/" not in location:
            self.quiz_closed = True  # attempts used up: the quiz page said so
            return
        attempt = location
        first = self.get("question page", attempt)
        if not first:
            return
        pages = max([1, *map(int, PAGES.findall(first))])
        version = VERSION.search(first).group(1)
        for number in range(1, pages + 1):
            body = first
            if number > 1:
                body = self.get("question page", f"{attempt}?hal={number}")
            for slot, fields in answers(body):
                self.think(2, 5)
                self.post(
                    "autosave",
                    f"{attempt}simpan/",
                    [("version", version), ("slots", slot), *fields],
                    expect=(200,),
                )
        self.think(2, 5)
        submitted = self.post(
            "submit", attempt, [("action", "submit"), ("version", version)]
        )
        if submitted is not None:
            self.get("review", f"{attempt}ulasan/")

    def play_scenario(self) -> None:
        """The course's practice scenario, step by step, to its debrief."""
        scenario = PLAN["scenario"]
        if not self.get("scenario page", scenario["url"]):
            return
        self.think(2, 5)
        response = self.post("scenario start", f"/latihan/{scenario['id']}/mulai/", [])
        if response is None:
            return
        play = urlparse(response.headers.get("Location", "")).path
        if "/latihan/main/" not in play:
            self.scenario_closed = True  # no replay allowed: the page said so
            return
        for _ in range(50):  # bounded: a scenario has a handful of steps
            with self.client.get(
                play, name="scenario step", allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code == 302:  # finished: the debrief
                    break
                if response.status_code != 200:
                    response.failure(f"{response.status_code} for GET {play}")
                    return
                body = response.text or ""
            self.csrf = CSRF.search(body).group(1)
            step = STEP_ID.search(body).group(1)
            self.think(3, 8)
            fields = [("step", step), *scenario["answers"].get(step, [])]
            if self.post("scenario answer", play, fields) is None:
                return
        self.get("scenario result", play.replace("/main/", "/hasil/"))


def answers(body: str):
    """(slot, form fields) for each question on an attempt page."""
    key = PLAN["key"]
    for slot, block in FIELDSET.findall(body):
        knows = random.random() < ACCURACY
        yield slot, _answer(block, key, knows)


def _answer(block: str, key: dict, knows: bool) -> list[tuple[str, str]]:
    choices = [(n, t, _text(label)) for _, n, t, label in CHOICE.findall(block)]
    if choices:
        right = [(n, t) for n, t, label in choices if label in key["choices"]]
        if knows and right:
            return right if 'type="checkbox"' in block else right[:1]
        if 'type="checkbox"' in block:
            return [(n, t) for n, t, _ in choices if random.random() < 0.5]
        return [random.choice(choices)[:2]]
    selects = SELECT.findall(block)
    if selects:  # ordering (positions) or matching (answers)
        labels = {name: _text(text) for name, text in LABEL.findall(block)}
        fields = []
        for name, options in selects:
            values = [(v, _text(t)) for v, t in OPTION.findall(options) if v]
            label = labels.get(name, "")
            wanted = key["order"].get(label) or key["pairs"].get(label)
            right = [v for v, t in values if t == str(wanted)]
            fields.append(
                (name, right[0] if knows and right else random.choice(values)[0])
            )
        return fields
    date = DATE.search(block)
    if date:
        return [(date.group(1), "2024-06-28")]
    text = TEXT.search(block)
    if text:
        return [(text.group(1), random.choice(key["short"] or ["PPID"]))]
    return []


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=host,
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )
