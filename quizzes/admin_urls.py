"""Admin URLs under /admin/kuis/ (registered by wagtail_hooks)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("impor/", admin_views.bank_import_view, name="import"),
    path("ekspor/", admin_views.bank_export_view, name="export"),
    path("analisis/", admin_views.analysis_index, name="analysis_index"),
    path("analisis/<int:pk>/", admin_views.analysis_detail, name="analysis"),
    path("analisis/<int:pk>/csv/", admin_views.analysis_csv, name="analysis_csv"),
]
