"""Real services for tests: skip locally when one is missing, fail in CI.

CI sets LMS_REQUIRE_SERVICES=1, so a test that needs PostgreSQL, Redis, a Celery
worker or Chromium can never pass there by skipping.
"""

import os
import socket
import sys

import pytest


def services_required() -> bool:
    """True in CI: the environment variable or the setting LMS_REQUIRE_SERVICES."""
    from django.conf import settings

    env = os.environ.get("LMS_REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")
    return env or bool(getattr(settings, "LMS_REQUIRE_SERVICES", False))


def missing_service(name: str, why: str):
    """Skip, or fail when services are required."""
    message = f"{name} is not available: {why}"
    if services_required():
        pytest.fail(message + " (LMS_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def require_service(name: str, ok: bool, why: str = "") -> None:
    """Skip the test when `ok` is false, or fail it when services are required."""
    if not ok:
        missing_service(name, why or "not reachable")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_port(name: str, host: str, port: int) -> None:
    require_service(name, port_open(host, port), f"{host}:{port} does not answer")


def drop_broker_connections() -> None:
    """Forget pooled broker connections, so later (eager) tests start clean — what
    Celery and kombu do after a fork. kombu keeps its pools in process-wide
    registries: a pool closed here would otherwise be handed out again."""
    from kombu import pools

    from lms.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    pools.reset()


def celery_worker_argv(*options: str) -> list[str]:
    """A real Celery worker of the project, one process, no cluster chatter;
    `options` add to it (queue, log level). Run it with cwd at the repository root."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "lms",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        *options,
    ]
