"""What the benchmarks share: scratch databases kept as templates, Redis, Celery
workers, and CPU time read from /proc.

Imported by the scripts next to it (`python bench/bench_*.py` puts this folder on
the import path); standard library only at import time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


# --- PostgreSQL scratch databases -------------------------------------------


def _admin(url: str):
    """The database's name and an autocommit connection to `postgres` beside it."""
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    return parsed.path.lstrip("/"), psycopg.connect(admin, autocommit=True)


def recreate_database(
    url: str,
    template: str | None = None,
    *,
    fresh: bool = False,
    stale_prefix: str | None = None,
) -> bool:
    """Drop the database and create it again, from `template` when that exists.

    Returns True when it came up empty and still needs migrating (and the caller
    should `save_template` once it has). `fresh` drops the template first;
    `stale_prefix` drops every other template whose name starts with it.
    """
    name, conn = _admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        stale = []
        if stale_prefix:
            stale = [
                old
                for (old,) in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (f"{stale_prefix}%",),
                ).fetchall()
                if old != template
            ]
        for old in [*stale, *([template] if fresh and template else [])]:
            conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
        exists = (
            template
            and conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (template,)
            ).fetchone()
        )
        if exists:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def save_template(url: str, template: str) -> None:
    name, conn = _admin(url)
    with conn:
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')


def drop_database(url: str) -> None:
    name, conn = _admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- Django ------------------------------------------------------------------


def signed_in_sessions(users) -> list[str]:
    """What a sign-in leaves behind, for each user: a stored session naming them
    (with cached_db, in PostgreSQL and Redis). Call with Django set up."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


# --- Processes ---------------------------------------------------------------


def gunicorn_argv(
    port: int, *, workers: int, threads: int, worker_class: str = "gthread", **options
) -> list[str]:
    """The project under gunicorn on loopback; `options` as `--name value`."""
    extra = [
        item
        for name, value in options.items()
        for item in (f"--{name.replace('_', '-')}", str(value))
    ]
    return [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "lms.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        worker_class,
        "--log-level",
        "warning",
        *extra,
    ]


def celery_worker_argv(*options: str) -> list[str]:
    """A Celery worker of the project without cluster chatter; options add the pool."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "lms",
        "worker",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        *options,
    ]


def children(pid: int) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(p) for p in out.split()]


def cpu_seconds(pids, *, waited_children: bool = False) -> float:
    """User + system CPU of these processes so far (Linux /proc), in seconds.

    `waited_children` adds what their exited and waited-for children used (a
    gunicorn master counts the workers it has reaped). Vanished processes count 0.
    """
    tick = os.sysconf("SC_CLK_TCK")
    fields_used = slice(11, 15) if waited_children else slice(11, 13)
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[fields_used])
    return total / tick
