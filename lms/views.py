"""Platform-wide views: health check, language switch, CSRF refusal."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language

from lms.celery import app as celery_app


def _database_ok() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}"
    return None


def _broker_ok() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER or settings.CELERY_BROKER_URL.startswith(
        "memory"
    ):
        return None  # embedded mode: tasks run in-process, there is no broker
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


@never_cache
def healthz(request):
    """200 when the database and the broker answer; 503 naming what does not."""
    problems = {
        name: err
        for name, err in (("database", _database_ok()), ("broker", _broker_ok()))
        if err
    }
    body = {
        "status": "unavailable" if problems else "ok",
        "database": problems.get("database", "ok"),
        "broker": problems.get("broker", "ok"),
    }
    return JsonResponse(body, status=503 if problems else 200)


def switch_language(request):
    """Django's set_language, remembering the choice on the signed-in user too."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


def csrf_failure(request, reason=""):
    """A refused form (CSRF_FAILURE_VIEW): in the site's layout and language.

    Django's own page is English and styled inline, which the CSP blocks. Rendering
    with the request also sets a fresh CSRF cookie, so reloading the form works.
    """
    context = {"reason": reason if settings.DEBUG else ""}
    return render(request, "403_csrf.html", context, status=403)

