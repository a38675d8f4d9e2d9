"""Mounted at /sertifikat/ by lms/urls.py."""

from django.urls import path, re_path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<str:code>/", views.verify_code, name="verify_code"),
    path("saya/", views.mine, name="mine"),
    path("saya/<int:pk>/pdf/", views.mine_pdf, name="mine_pdf"),
    path(
        "saya/<int:pk>/kredensial.json", views.mine_credential, name="mine_credential"
    ),
    path("register/", views.register, name="register"),
    re_path(
        r"^register/ekspor\.(?P<fmt>csv|xlsx)$",
        views.register_export,
        name="register_export",
    ),
    path("register/<int:pk>/", views.register_detail, name="register_detail"),
    path("register/<int:pk>/pdf/", views.register_pdf, name="register_pdf"),
    path("register/<int:pk>/cabut/", views.register_revoke, name="register_revoke"),
    path(
        "register/<int:pk>/terbitkan-ulang/",
        views.register_reissue,
        name="register_reissue",
    ),
    path("bundel/", views.bundle_create, name="bundle_create"),
    path("bundel/<int:pk>/", views.bundle, name="bundle"),
    path("bundel/<int:pk>/unduh/", views.bundle_download, name="bundle_download"),
    path("issuer.json", views.issuer, name="issuer"),
    path("keys/<str:key_id>.json", views.credential_key, name="credential_key"),
    path("revocations.json", views.revocations, name="revocations"),
]
