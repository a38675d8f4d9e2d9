from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    """The Django and Wagtail side of the scenario engine (`quizzes.scenarios`)."""

    name = "quizzes.practice"
    label = "practice"
    verbose_name = _("Scenario exercises")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A required scenario is part of its course's completion rule.
        from courses.completion import register_requirement_provider

        from .selectors import scenario_requirements

        register_requirement_provider("scenarios", scenario_requirements, order=30)
