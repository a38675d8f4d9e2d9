"""Learner URLs under /latihan/: start a play, play it, read its debrief."""

from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("<int:page_id>/mulai/", views.play_start, name="start"),
    path("main/<int:pk>/", views.play, name="play"),
    path("hasil/<int:pk>/", views.play_result, name="result"),
]
