"""Settings for a real Celery worker started by test_worker_kill.py.

Test settings, but a real broker, a real queue and files on disk; the test passes
the database, broker, queue and media directory in the environment.
"""

import os

from lms.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CERT_TEST_QUEUE"]
# An unacknowledged message (its worker was killed) is handed out again after this.
# kombu scans for such messages every interval × throttle seconds (100 s by
# default); scan every second so the test does not wait on the scan.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
MEDIA_ROOT = os.environ["CERT_TEST_MEDIA"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Pause inside the issuing transaction (after the number is taken, before the
# commit), so the test can kill the worker at exactly that point.
CERTIFICATES_TEST_DELAY = {"issue": float(os.environ.get("CERT_TEST_DELAY", "0"))}
