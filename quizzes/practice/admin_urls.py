"""Admin URLs under /admin/latihan/ (registered by wagtail_hooks)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.OverviewView.as_view(), name="index"),
    path("<int:page_id>/diagram/", admin_views.DiagramView.as_view(), name="diagram"),
    path(
        "<int:page_id>/analitik/", admin_views.AnalyticsView.as_view(), name="analytics"
    ),
    path("<int:page_id>/analitik.csv", admin_views.analytics_csv, name="analytics_csv"),
    path(
        "<int:page_id>/pratinjau/",
        admin_views.PreviewAnswerView.as_view(),
        name="preview_answer",
    ),
]
