"""URL map. Public paths named in the issues (/kursus/, /belajar/, /koordinator/,
/alat/tenggat/, /sertifikat/verifikasi/<code>/) are contracts: keep them stable."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("bahasa/", views.switch_language, name="switch_language"),
    path("akun/", include("allauth.urls")),
    path("akun/", include("lms.accounts.urls")),
    path("koordinator/", include("lms.offices.urls")),
    path("koordinator/", include("dashboard.urls")),
    path("alat/", include("lms.deadlines.urls")),
    path("kuis/", include("quizzes.urls")),
    path("sertifikat/", include("certificates.urls")),
    path("latihan/", include("quizzes.practice.urls")),
    path("", include("courses.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
