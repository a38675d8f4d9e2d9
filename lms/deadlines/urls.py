"""Public tools under /alat/. /alat/tenggat/ and /alat/tenggat/json/ are contracts."""

from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("tenggat/", views.calculator, name="calculator"),
    path("tenggat/json/", views.calculator_json, name="calculator_json"),
]
