"""Learner and coordinator URLs. /belajar/ and /kursus/ are public contracts.

Mounted at "" before Wagtail's catch-all; /koordinator/penugasan/ is reached because
lms.offices.urls (mounted at koordinator/ first) matches only its own paths.
/kursus/cari/ shadows a course with the slug "cari": do not use that slug.
"""

from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("belajar/", views.my_learning, name="my_learning"),
    path("belajar/kursus/<int:course_id>/daftar/", views.enrol, name="enrol"),
    path("belajar/kursus/<int:course_id>/ulang/", views.retake, name="retake"),
    path(
        "belajar/pelajaran/<int:lesson_id>/selesai/",
        views.lesson_done,
        name="lesson_done",
    ),
    path(
        "belajar/pelajaran/<int:lesson_id>/cek/<str:block_id>/",
        views.check_answer,
        name="check_answer",
    ),
    path("kursus/cari/", views.search, name="search"),
    path("koordinator/penugasan/", views.assignments, name="assignments"),
    path(
        "koordinator/penugasan/<int:pk>/terapkan/",
        views.assignment_reapply,
        name="assignment_reapply",
    ),
]
