"""Real services for tests: skip locally when one is missing, fail in CI.

CI sets LMS_REQUIRE_SERVICES=1, so a test that needs PostgreSQL, Redis, a Celery
worker or Chromium can never pass there by skipping.
"""

import os
import socket

import pytest


def services_required() -> bool:
    return os.environ.get("LMS_REQUIRE_SERVICES", "") not in ("", "0", "false", "False")


def missing_service(name: str, why: str):
    """Skip, or fail when services are required."""
    message = f"{name} is not available: {why}"
    if services_required():
        pytest.fail(message + " (LMS_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def require_port(name: str, host: str, port: int) -> None:
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as exc:
        missing_service(name, f"{host}:{port} does not answer ({exc})")
