"""Fixtures for the failure tests: private services that a test may break.

Every test here needs the real thing (a worker in another process sees only
committed rows in PostgreSQL), so they skip locally without it and fail in CI
(LMS_REQUIRE_SERVICES=1).
"""

import pytest
from django.db import connection

from .processes import RedisServer, database_url, require_postgresql


@pytest.fixture
def process_database_url() -> str:
    """The test database as a URL, for processes other than this one (which see
    committed rows only: the tests are transactional)."""
    require_postgresql()
    return database_url(connection.settings_dict)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, started; killed at the end."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()
