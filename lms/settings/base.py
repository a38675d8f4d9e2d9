"""Settings shared by every environment.

Everything that differs between a laptop and a server is read from the environment
with django-environ; the defaults here are the embedded ones (SQLite, eager Celery,
console e-mail, local media) so that `make demo` runs on a bare machine.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-only-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Project apps first, so their templates override the libraries'.
    "lms.accounts",
    "lms.offices",
    "lms.deadlines",
    "courses",
    "quizzes",
    "quizzes.practice",
    "certificates",
    "dashboard",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's user admin with our User's fields and roles (lms/accounts/apps.py).
    "lms.accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "lms.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.accounts.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.middleware.AdminMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.platform",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default: WAL lets readers and one writer work together, and
# IMMEDIATE transactions make concurrent writers wait for the lock instead of
# failing with "database is locked" half-way through a transaction.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
    ),
}
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# Local memory in the embedded default; production shares Redis between
# processes so that login rate limits hold across gunicorn workers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Accounts (django-allauth) ----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading the signed-in user with their roles.
AUTHENTICATION_BACKENDS = [
    "lms.accounts.backends.ModelBackend",
    "lms.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "nip")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lms.accounts.validators.ContextWordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Akademi PPID] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Public certificate lookups (/sertifikat/verifikasi/): requests per client
# address and window in seconds; the answer past it is a 429 page.
CERTIFICATES_VERIFY_RATE_LIMIT = (30, 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Akademi PPID"
# E-mail domains whose owners may sign up on their own; everyone else joins by
# invitation from a coordinator.
LMS_SIGNUP_EMAIL_DOMAINS = env.list("LMS_SIGNUP_EMAIL_DOMAINS", default=["kpu.go.id"])
# Whether everyone who can reach the Wagtail admin must have TOTP enabled.
LMS_REQUIRE_ADMIN_MFA = env.bool("LMS_REQUIRE_ADMIN_MFA", default=False)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Akademi PPID <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic work (run exactly one `celery beat` per deployment).
CELERY_BEAT_SCHEDULE = {
    # Uploaded staff lists hold names, e-mails and NIPs: keep them 30 days.
    "accounts-purge-staff-imports": {
        "task": "lms.accounts.tasks.purge_staff_imports",
        "schedule": 24 * 60 * 60,
    },
    # Coordinator dashboard aggregates, reminders (daily 07:00) and digests
    # (Mondays 07:30), in CELERY_TIMEZONE.
    "dashboard-stats-refresh": {
        "task": "dashboard.tasks.stats_refresh_task",
        "schedule": 300.0,
    },
    "dashboard-reminders-daily": {
        "task": "dashboard.tasks.reminders_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    "dashboard-digests-weekly": {
        "task": "dashboard.tasks.digests_sweep",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Certificates left pending (a crashed worker, a broker outage) are re-queued.
    "certificates-sweep-pending": {
        "task": "certificates.tasks.certificates_sweep_task",
        "schedule": 300.0,
    },
    # Quiz attempts whose time ran out are graded with what was saved.
    "quizzes-finish-overdue": {
        "task": "quizzes.tasks.finish_overdue_attempts",
        "schedule": 60.0,
    },
}

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Akademi PPID"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/akun/login/"
# Pages made private ("login required") send visitors to the site's sign-in (allauth,
# with its rate limits and TOTP), not to Wagtail's bare /_util/login/ form.
WAGTAIL_FRONTEND_LOGIN_URL = "/akun/login/"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "indonesian",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
# Raster formats only: an SVG can carry script and would run if opened directly.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Decompression bombs: a small file claiming a huge canvas is refused unopened.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 30_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.images.ImageForm"

# --- Uploads (docs/uploads.md); forms refuse larger files -------------------
LMS_STAFF_IMPORT_MAX_BYTES = env.int("LMS_STAFF_IMPORT_MAX_BYTES", default=1024**2)
LMS_QUESTION_IMPORT_MAX_BYTES = env.int(
    "LMS_QUESTION_IMPORT_MAX_BYTES", default=5 * 1024**2
)
# Course packages (.zip or .md) uploaded in the admin, and import_course PATH.
LMS_COURSE_UPLOAD_MAX_BYTES = env.int(
    "LMS_COURSE_UPLOAD_MAX_BYTES", default=5 * 1024**2
)
LMS_COURSE_UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int(
    "LMS_COURSE_UPLOAD_MAX_UNCOMPRESSED_BYTES", default=20 * 1024**2
)
LMS_COURSE_UPLOAD_MAX_FILES = env.int("LMS_COURSE_UPLOAD_MAX_FILES", default=500)
LMS_COURSE_UPLOAD_MAX_RATIO = env.int("LMS_COURSE_UPLOAD_MAX_RATIO", default=100)
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from Gravatar: offline servers show broken images, and it would send
# hashes of staff e-mail addresses to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security defaults (tightened further in production; docs/security.md) ---
SESSION_COOKIE_HTTPONLY = True
# A refused form explains itself in Indonesian, in the site's layout (lms.views).
CSRF_FAILURE_VIEW = "lms.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp), the same in every environment so that a
# page that breaks under it breaks on a laptop first. No inline script, no eval,
# no inline style on the site; lesson videos may frame the providers listed in
# LMS_CSP_FRAME_SRC (Wagtail embeds: YouTube and Vimeo by default).
LMS_CSP_FRAME_SRC = env.list(
    "LMS_CSP_FRAME_SRC",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the QR codes and SVG icons written into pages.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF, *LMS_CSP_FRAME_SRC],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin (and Django's) only: inline styles, which Wagtail's panels use
# and our scenario and analytics admin pages too (small <style> blocks).
# lms.middleware adds these directives under the prefixes. Scripts keep the strict
# script-src there too: Wagtail's inline <script> initialisers (wagtail#12940) are
# replaced by data that static/js/admin-init.js runs (lms/admin_init.py).
LMS_CSP_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
LMS_CSP_ADMIN_EXTRA = {"style-src": [UNSAFE_INLINE]}
# Reads templates/ before the apps' templates for form widgets too, so that
# templates/wagtailadmin/widgets/ replaces Wagtail's inline-script date widgets.
FORM_RENDERER = "lms.admin_init.FormRenderer"
# Browser features the platform never uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# Ed25519 key that signs the Open Badges credentials (base64 seed or PEM, from
# `manage.py credential_keygen`). Empty outside production: a development key
# derived from SECRET_KEY is used, and `check --deploy` refuses that.
LMS_CREDENTIAL_PRIVATE_KEY = env("LMS_CREDENTIAL_PRIVATE_KEY", default="")

# Tests that need a real service (PostgreSQL, Redis, a Celery worker, Chromium)
# skip when it is missing, except when this is set (CI sets it): then they fail.
LMS_REQUIRE_SERVICES = env.bool("LMS_REQUIRE_SERVICES", default=False)
