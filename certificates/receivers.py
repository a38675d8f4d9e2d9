"""Signal receivers: they only hand the completion to `certificate_request`."""

from django.utils import timezone

from .services import certificate_request


def completion_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        certificate_request(completion=instance, now=timezone.now())


def course_completed_received(sender, completion, **kwargs):
    certificate_request(completion=completion, now=timezone.now())
