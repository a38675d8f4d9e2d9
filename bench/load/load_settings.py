"""Production settings served over plain HTTP on loopback, for the load test.

Everything of lms.settings.production (PostgreSQL with persistent connections,
Redis cache and cached_db sessions, a Redis broker, DEBUG off) except what needs
TLS: the load generator talks HTTP to 127.0.0.1. bench/bench_load.py sets the
environment production requires (throwaway secret and signing key, console e-mail).
"""

from lms.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic for a benchmark: WhiteNoise serves from the finders (the load
# generator fetches no static files; browsers cache them).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
