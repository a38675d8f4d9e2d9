"""Settings for the Celery workers the failure tests start (tests/failure/processes.py).

Test settings, but a real broker (the test's private redis-server), PDFs written to
files, and pauses a test can switch on to kill a worker at a known stage. The test
passes the database, broker, media directory and pauses in the environment.
"""

import json
import os

from lms.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["FAILURE_TEST_BROKER_URL"]
# A killed worker's unacknowledged message is handed out again after 5 s; kombu
# looks for such messages every second instead of every 100 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
MEDIA_ROOT = os.environ["FAILURE_TEST_MEDIA"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# {"issue": seconds, "render": seconds}: certificates.services._test_delay.
CERTIFICATES_TEST_DELAY = json.loads(os.environ.get("FAILURE_TEST_DELAYS", "{}"))
