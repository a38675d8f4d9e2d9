"""Coordinator pages, mounted at /koordinator/ after lms.offices.urls.

/koordinator/ itself is the dashboard (a public contract). The offices app owns
staf/…, the courses app penugasan/…: nothing here may start with those.
"""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("peserta/", views.learners, name="learners"),
    path("peserta/<int:user_id>/", views.transcript, name="transcript"),
    path("ringkasan/", views.summary, name="summary"),
    path("ekspor/peserta.<str:fmt>", views.export_learners, name="export_learners"),
    path("ekspor/kantor.<str:fmt>", views.export_offices, name="export_offices"),
    path("segarkan/", views.refresh, name="refresh"),
    path(
        "berhenti-langganan/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
