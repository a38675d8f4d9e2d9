"""Production: PostgreSQL, Redis, real e-mail, strict security.

Every secret and address comes from the environment; a missing one stops the
process at start-up with a message naming it, instead of running half-configured.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

REQUIRED = {
    "DJANGO_SECRET_KEY": "a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to, comma-separated",
    "DATABASE_URL": "postgres://USER:PASSWORD@HOST:5432/NAME",
    "CELERY_BROKER_URL": "redis://HOST:6379/0",
    "DJANGO_EMAIL_URL": "smtp+tls://USER:PASSWORD@HOST:587",
    "DJANGO_DEFAULT_FROM_EMAIL": "Akademi PPID <ppid@example.go.id>",
    "LMS_CREDENTIAL_PRIVATE_KEY": "the output of `manage.py credential_keygen`",
}
missing = [name for name in REQUIRED if not env(name, default="")]
if missing:
    raise ImproperlyConfigured(
        "Missing required environment variables for production: "
        + "; ".join(f"{name} (e.g. {REQUIRED[name]})" for name in missing)
    )

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS]
)

DATABASES = {"default": env.db("DATABASE_URL")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# Redelivery of a task whose worker died (acks_late) waits for the visibility
# timeout; Redis's default of an hour would hold certificates back that long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
# Shared cache (rate limits, sessions) on Redis.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env("CACHE_URL", default=CELERY_BROKER_URL),
        "KEY_PREFIX": "lms",
    }
}
# Every request reads the session: from Redis, kept in PostgreSQL too (written
# through), so a Redis restart logs nobody out. This makes Redis needed for
# every signed-in page (bench/README.md, quizzes: about 1 ms less per request).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

_email = env.email_url("DJANGO_EMAIL_URL")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LMS_REQUIRE_ADMIN_MFA = env.bool("LMS_REQUIRE_ADMIN_MFA", default=True)

# --- HTTPS and security headers (docs/security.md) ------------------------------
# The site runs behind a reverse proxy that terminates TLS and sets
# X-Forwarded-Proto and X-Forwarded-For; DJANGO_TRUSTED_PROXY_COUNT=0 when gunicorn
# faces clients directly.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The proxy's or orchestrator's health probe may speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Browsers that know CSP obey its frame-ancestors 'self' instead; Wagtail's preview
# views set SAMEORIGIN for themselves.
X_FRAME_OPTIONS = "DENY"
# Rate limits count per client address: take it from the X-Forwarded-For entry the
# trusted proxy added (the last one), not from REMOTE_ADDR, which is the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
