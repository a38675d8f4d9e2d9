"""Learner URLs under /kuis/: start, answer, autosave, review."""

from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("<int:quiz_id>/mulai/", views.attempt_start, name="start"),
    path("percobaan/<int:pk>/", views.attempt_view, name="attempt"),
    path("percobaan/<int:pk>/simpan/", views.attempt_autosave, name="autosave"),
    path("percobaan/<int:pk>/ulasan/", views.attempt_review, name="review"),
]
