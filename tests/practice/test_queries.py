"""Fixed query counts for the learner's pages and the analytics, at two sizes.

Play page and debrief: a play with 1 answer and with 5; the landing page: a learner
with 1 play and with 5; analytics: 1 play and 5. The same count at both sizes, so
an N+1 fails here.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.practice import services
from quizzes.practice.adapters import kip_oracle
from quizzes.practice.selectors import scenario_analytics

from .factories import NOW, UserFactory, enrol, scenario_page
from .helpers import best_post
from .test_completion import play_through
from .test_views import post_value

pytestmark = pytest.mark.django_db


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def play_with(page, course, answers: int):
    user = UserFactory()
    enrol(user, course)
    play = services.play_start(user=user, page=page, now=NOW)
    model = play.snapshot.scenario()
    for _ in range(answers):
        services.play_answer(
            play=play,
            step_id=play.current_step,
            value=post_value(
                model, play.current_step, best_post(model, play.current_step)
            ),
            now=NOW,
            oracle=kip_oracle(),
        )
        play.refresh_from_db()
    client = Client()
    client.force_login(user)
    return client, play


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response
    return response


def test_the_play_page_takes_the_same_queries_for_1_and_5_answers(course):
    page = scenario_page(
        course[1], "uji-konsekuensi-semarang"
    )  # 5 steps before the end
    small, one = play_with(page, course[0], 1)
    large, five = play_with(page, course[0], 4)
    for client, play in ((small, one), (large, five)):
        get(client, reverse("practice:play", args=[play.pk]))  # warm caches
    n_small = count(lambda: get(small, reverse("practice:play", args=[one.pk])))
    n_large = count(lambda: get(large, reverse("practice:play", args=[five.pk])))
    assert n_small == n_large
    assert n_small <= 8, n_small


def test_the_debrief_takes_the_same_queries_for_short_and_long_paths(course):
    short_page = scenario_page(course[1], "permohonan-tepat-waktu-gianyar")
    long_page = scenario_page(course[1], "uji-konsekuensi-semarang")
    results = []
    for page in (short_page, long_page):
        user = UserFactory()
        enrol(user, course[0])
        play = play_through(user, page)
        client = Client()
        client.force_login(user)
        url = reverse("practice:result", args=[play.pk])
        get(client, url)
        results.append(count(lambda client=client, url=url: get(client, url)))
    assert results[0] == results[1]


def test_the_landing_page_takes_the_same_queries_for_1_and_5_plays(course):
    page = scenario_page(course[1])
    counts = []
    for plays in (1, 5):
        user = UserFactory()
        enrol(user, course[0])
        for _ in range(plays):
            play_through(user, page)
        client = Client()
        client.force_login(user)
        get(client, page.url)
        counts.append(count(lambda client=client: get(client, page.url)))
    assert counts[0] == counts[1]


def test_analytics_take_the_same_queries_for_1_and_5_plays(course):
    counts = []
    for plays in (1, 5):
        page = scenario_page(course[1], slug=f"analitik-{plays}")
        for _ in range(plays):
            user = UserFactory()
            enrol(user, course[0])
            play_through(user, page)
        counts.append(count(lambda page=page: scenario_analytics(page)))
    assert counts[0] == counts[1] == 4
