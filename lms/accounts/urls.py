from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("data-saya/", views.my_data, name="my_data"),
    path("data-saya/unduh/", views.my_data_download, name="my_data_download"),
    path("hapus-akun/", views.account_delete, name="account_delete"),
]
