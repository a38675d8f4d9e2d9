"""Real processes the failure tests start, break and start again.

Each test owns its processes: a private `redis-server` on a free port, a private
PostgreSQL cluster in a temporary directory, Celery workers and a gunicorn server.
Nothing shared on the machine (the PostgreSQL on 5432, the Redis on 6379) is
stopped or restarted, so other people's tests are not disturbed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from tests.services import (
    celery_worker_argv,
    drop_broker_connections,
    missing_service,
    port_open,
    require_service,
)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    predicate: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    log: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{log()}")


def stop_process(
    process: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 15
) -> None:
    """`sig` (SIGTERM), then SIGKILL if it does not go."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def database_url(settings_dict: dict, *, name: str | None = None) -> str:
    """A postgres:// URL for a Django connection's settings (the test database)."""
    auth = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{name or settings_dict['NAME']}"


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing_service(
            "PostgreSQL", f"DATABASE_URL points at {connection.vendor}, not PostgreSQL"
        )


# --- Redis ----------------------------------------------------------------------


class RedisServer:
    """A `redis-server` of our own, without persistence, that a test may kill."""

    def __init__(self, directory: Path):
        executable = shutil.which("redis-server")
        require_service("redis-server", executable is not None, "not on PATH")
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # A restart reuses the port, so brokers and workers find it again.
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: port_open("127.0.0.1", self.port),
            timeout=15,
            what=f"redis-server on port {self.port}",
        )

    def kill(self) -> None:
        """SIGKILL: whatever the server held in memory is gone."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Make this process's Celery app publish to `broker_url` instead of running
    tasks eagerly; restore the test settings afterwards."""
    from lms.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    drop_broker_connections()
    try:
        yield app
    finally:
        app.conf.update(saved)
        drop_broker_connections()


# --- Celery workers ----------------------------------------------------------------


class CeleryWorker:
    """`celery -A lms worker` (solo pool) in a subprocess, against `broker_url` and
    the test's PostgreSQL database, with the settings in tests/worker_settings.py."""

    def __init__(
        self,
        *,
        broker_url: str,
        database: str,
        media: Path,
        log_path: Path,
        delays: str = "{}",
    ):
        self.log_path = log_path
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": database,
            "TEST_WORKER_BROKER_URL": broker_url,
            "TEST_WORKER_MEDIA": str(media),
            "TEST_WORKER_DELAYS": delays,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our interpreter and code
                celery_worker_argv("--loglevel=INFO"),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)


# --- A private PostgreSQL cluster -------------------------------------------------


def _postgres_bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """`initdb` into a temporary directory and `pg_ctl` on a free port.

    PostgreSQL refuses to run as root, so as root the commands run as the
    `postgres` OS user (runuser) in a directory that user owns.
    """

    def __init__(self):
        bindir = _postgres_bindir()
        require_service("PostgreSQL's initdb", bindir is not None, "not installed")
        self.bindir = bindir
        self.as_user: list[str] = []
        owner = None
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            require_service("runuser", runuser is not None, "not on PATH")
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                owner = None
            require_service("the postgres OS user", owner is not None, "no such user")
            self.as_user = [runuser, "-u", "postgres", "--"]
        self.directory = Path(tempfile.mkdtemp(prefix="lms-failure-pg-"))
        if owner is not None:
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.data = self.directory / "data"
        self.log_path = self.directory / "postgresql.log"
        self.port = free_port()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603
            [*self.as_user, str(self.bindir / args[0]), *args[1:]],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def _options(self) -> str:
        # Durability is not under test here (a fast stop checkpoints anyway).
        return (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def _ctl(self, action: str, *extra: str) -> None:
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.log_path),
            "-w",
            "-t",
            "30",
            *extra,
        )

    def start(self) -> None:
        self._ctl("start", "-o", self._options())

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, then it comes back."""
        self._ctl("restart", "-m", "fast", "-o", self._options())

    def copy_database(self, source_url: str, name: str) -> None:
        """Create `name` here as a copy (schema and rows) of the database at
        `source_url`, with pg_dump piped into psql."""
        self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-qc",
            f'CREATE DATABASE "{name}"',
        )
        dump = subprocess.Popen(  # noqa: S603
            [str(self.bindir / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        load = subprocess.run(  # noqa: S603
            [
                str(self.bindir / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                self.url(name),
            ],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
        dump.stdout.close()
        if dump.wait(timeout=60) != 0 or load.returncode != 0:
            raise AssertionError(f"copying the database failed: {load.stderr!r}")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""
