from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from django.db.models.signals import post_save

        from courses.models import CourseCompletion
        from courses.signals import course_completed

        from . import checks  # noqa: F401  (registers the deploy check)
        from .receivers import completion_recorded, course_completed_received

        # Inside the completion's transaction: the pending row (the outbox) commits
        # or rolls back with the completion itself.
        post_save.connect(
            completion_recorded,
            sender=CourseCompletion,
            dispatch_uid="certificates.completion_recorded",
        )
        # After the commit: a no-op when the row exists; a safety net for
        # completions written without post_save (bulk imports).
        course_completed.connect(
            course_completed_received, dispatch_uid="certificates.course_completed"
        )
