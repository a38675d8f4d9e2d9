"""The Celery application.

Tasks run eagerly in the embedded default (no broker needed); production points
`CELERY_BROKER_URL` at Redis. Settings come from Django settings prefixed `CELERY_`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
