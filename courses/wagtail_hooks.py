"""Wagtail admin: the course package upload (menu item and URL)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .models import CourseIndexPage
from .permissions import user_can_import_courses


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [
        path(
            "kursus/impor/",
            admin_views.course_import_view,
            name="courses_admin_import",
        )
    ]


class CourseImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import_courses(request.user, CourseIndexPage.objects.first())


@hooks.register("register_admin_menu_item")
def register_course_import_menu_item():
    return CourseImportMenuItem(
        _("Import course"),
        reverse("courses_admin_import"),
        icon_name="upload",
        name="course-import",
        order=150,
    )
