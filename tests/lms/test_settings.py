"""Settings: embedded defaults; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "x" * 30 + "-a-long-random-production-secret-0123456789",
    "DJANGO_ALLOWED_HOSTS": "ppid.example.go.id",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_EMAIL_URL": "smtp+tls://user:pass@smtp.example.go.id:587",
    "DJANGO_DEFAULT_FROM_EMAIL": "Akademi PPID <ppid@example.go.id>",
    # A throwaway Ed25519 seed for the credential signer (not used anywhere real).
    "LMS_CREDENTIAL_PRIVATE_KEY": "0HeVvgLMz3ulj0jhyS0rThWsMSQ9eIjP4aYSaKMnB68=",
}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "LMS_", "CACHE_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_is_sqlite_with_wal_and_immediate_transactions():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "db = s.DATABASES['default'];"
        "print(db['ENGINE'], db['OPTIONS']['transaction_mode'],"
        " 'journal_mode=WAL' in db['OPTIONS']['init_command'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND.rsplit('.', 2)[-2])",
        {"DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "IMMEDIATE",
        "True",
        "True",
        "console",
    ]


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "DJANGO_EMAIL_URL",
    ],
)
def test_production_names_the_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "Missing required environment variables" in result.stderr
    assert missing in result.stderr


def test_production_refuses_sqlite():
    result = run_python(
        "import django; django.setup()",
        {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"},
    )
    assert result.returncode != 0
    assert "must point at PostgreSQL" in result.stderr


def test_production_settings_are_strict_and_shared():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.CACHES['default']['BACKEND'].split('.')[0],"
        " s.LMS_REQUIRE_ADMIN_MFA, s.CELERY_TASK_SERIALIZER,"
        " s.CELERY_WORKER_PREFETCH_MULTIPLIER)",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "False",
        "True",
        "True",
        "django_redis",
        "True",
        "json",
        "1",
    ]


def test_check_deploy_prints_no_warning_under_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
