from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_unpublished, post_page_move

        from .completion import register_requirement_provider
        from .models import CoursePage, LessonPage, ModulePage
        from .selectors import lesson_requirements, outline_cache_bump
        from .serving import forget_view_restrictions

        # Lessons come first in a course; quizzes and scenarios register after them.
        register_requirement_provider("lessons", lesson_requirements, order=10)

        # The lesson page's cached outline follows every change of the course tree.
        for model in (CoursePage, ModulePage, LessonPage):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    outline_cache_bump,
                    sender=model,
                    dispatch_uid=f"courses-outline-{name}-{model.__name__}",
                )
        post_page_move.connect(outline_cache_bump, dispatch_uid="courses-outline-move")
        # Serving skips the view-restriction queries while none exist.
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                forget_view_restrictions,
                sender=PageViewRestriction,
                dispatch_uid=f"courses-view-restrictions-{name}",
            )
        # Unpublishing may update the rows without saving the instances.
        page_unpublished.connect(
            outline_cache_bump, dispatch_uid="courses-outline-unpublish"
        )
