"""/healthz: 200 with the database and broker reachable, 503 naming what is not."""

from unittest import mock

import pytest
from django.db import OperationalError

from tests.services import require_port

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_in_embedded_mode(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_names_an_unreachable_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] != "ok"
    assert body["status"] == "unavailable"


def test_healthz_names_an_unreachable_database(client):
    with mock.patch("lms.views.connection") as conn:
        conn.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "connection refused" in response.json()["database"]


def test_healthz_answers_503_during_an_outage_even_with_a_session_cookie(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    down = OperationalError("connection refused")
    with (
        mock.patch("lms.views.connection") as conn,
        mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load", side_effect=down
        ),
    ):
        conn.cursor.side_effect = down
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "connection refused" in response.json()["database"]


@pytest.mark.services
def test_healthz_reaches_a_real_redis_broker(client, settings):
    require_port("Redis", "127.0.0.1", 6379)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
