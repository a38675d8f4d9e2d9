from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        # A quiz is a requirement of its course's completion rule.
        from courses.completion import register_requirement_provider

        from .selectors import quiz_requirements

        register_requirement_provider("quizzes", quiz_requirements, order=20)
