"""Coordinator pages under /koordinator/: staff list, CSV import, invitations.

The /koordinator/ overview itself belongs to the dashboard app."""

from django.urls import path

from lms.accounts import views as account_views

from . import views

app_name = "offices"
urlpatterns = [
    path("staf/", views.staff_list, name="staff_list"),
    path(
        "staf/<int:pk>/undang-ulang/",
        account_views.staff_invite_again,
        name="staff_invite_again",
    ),
    path("staf/impor/", account_views.staff_import_upload, name="staff_import_upload"),
    path(
        "staf/impor/contoh.csv",
        account_views.staff_import_sample,
        name="staff_import_sample",
    ),
    path(
        "staf/impor/<int:pk>/",
        account_views.staff_import_detail,
        name="staff_import",
    ),
]
