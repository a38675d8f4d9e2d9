"""Settings for the real Celery workers that tests start in a subprocess
(tests/failure/processes.py, tests/certificates/test_worker_kill.py).

Test settings, but a real broker, PDFs written to files, and pauses a test can
switch on to kill a worker at a known stage. The test passes the database
(DATABASE_URL) and the rest in the environment: TEST_WORKER_BROKER_URL,
TEST_WORKER_MEDIA, TEST_WORKER_QUEUE (optional) and TEST_WORKER_DELAYS, JSON
`{"issue": seconds, "render": seconds}` (certificates.services._test_delay).
"""

import json
import os

from lms.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["TEST_WORKER_BROKER_URL"]
if os.environ.get("TEST_WORKER_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_WORKER_QUEUE"]
# A killed worker's unacknowledged message is handed out again after 5 s; kombu
# looks for such messages every second instead of every 100 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
MEDIA_ROOT = os.environ["TEST_WORKER_MEDIA"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CERTIFICATES_TEST_DELAY = json.loads(os.environ.get("TEST_WORKER_DELAYS", "{}"))
