"""Security headers and cookie flags, under the production settings and the defaults.

The production module is imported here with the environment CI gives it (the same
variables as `check --deploy` in .ci/run), and its security settings — headers,
cookies, HTTPS, CSP, middleware, hosts — are applied to the test settings, so real
requests through the whole middleware stack show what production sends: a page
fetched through the TLS-terminating proxy, a real sign-in with its session cookie,
the CSRF and language cookies. The database, cache and storage stay the tests'.
"""

from __future__ import annotations

import importlib
import os
import sys
from unittest import mock

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory
from tests.lms.test_settings import PRODUCTION_ENV, run_python

pytestmark = pytest.mark.django_db

HOST = "ppid.example.go.id"
SECURITY_PREFIXES = (
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_",
    "LANGUAGE_COOKIE_",
    "LMS_CSP_",
    "ALLAUTH_TRUSTED_",
)
SECURITY_NAMES = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "SESSION_ENGINE",
)


def production_security_settings() -> dict:
    """The security settings of lms.settings.production, imported under CI's env."""
    name = "lms.settings.production"
    with mock.patch.dict(os.environ, PRODUCTION_ENV):
        sys.modules.pop(name, None)
        try:
            module = importlib.import_module(name)
        finally:
            sys.modules.pop(name, None)
    return {
        key: getattr(module, key)
        for key in dir(module)
        if key.startswith(SECURITY_PREFIXES) or key in SECURITY_NAMES
    }


PRODUCTION = production_security_settings()


@pytest.fixture
def production(settings):
    for key, value in PRODUCTION.items():
        setattr(settings, key, value)
    return settings


def behind_proxy(**kwargs) -> Client:
    """A browser reaching the site over HTTPS through the reverse proxy."""
    return Client(
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"},
        HTTP_HOST=HOST,
        **kwargs,
    )


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def sign_in_over_https(client: Client, user):
    """The real sign-in: the form's CSRF token, the Origin the browser sends."""
    client.get("/akun/login/")
    token = client.cookies["csrftoken"].value
    return client.post(
        "/akun/login/",
        {"login": user.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Origin": f"https://{HOST}"},
    )


# --- Production -----------------------------------------------------------------


def test_production_sends_every_security_header(production):
    response = behind_proxy().get("/akun/login/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_production_csp_allows_no_inline_or_eval_script(production):
    csp = directives(behind_proxy().get("/akun/login/")["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]


def test_only_the_admin_gets_inline_styles_and_none_gets_inline_script(production):
    client = behind_proxy()
    client.force_login(UserFactory(admin=True))
    admin = directives(client.get("/admin/")["Content-Security-Policy"])
    assert admin["script-src"] == ["'self'"]
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    public = client.get("/kursus/")["Content-Security-Policy"]
    assert "unsafe" not in public
    for header in (public, client.get("/admin/")["Content-Security-Policy"]):
        assert "unsafe-eval" not in header


def test_a_real_sign_in_sets_secure_http_only_same_site_cookies(production):
    client = behind_proxy(enforce_csrf_checks=True)
    response = sign_in_over_https(client, UserFactory())
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    # The language choice is remembered in a cookie with the same flags.
    token = csrf.value
    switched = client.post(
        "/bahasa/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token},
        headers={"Origin": f"https://{HOST}"},
    )
    language = switched.cookies["django_language"]
    assert language["secure"] is True
    assert language["httponly"] is True
    assert language["samesite"] == "Lax"


def test_a_post_from_another_origin_is_refused_in_production(production):
    client = behind_proxy(enforce_csrf_checks=True)
    client.get("/akun/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/akun/login/",
        {"login": "x@example.org", "password": "x", "csrfmiddlewaretoken": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


def test_plain_http_is_redirected_to_https_but_the_health_probe_is_not(production):
    plain = Client(HTTP_HOST=HOST)
    response = plain.get("/kursus/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/kursus/"
    assert plain.get("/healthz").status_code == 200


def test_production_settings_module_is_strict():
    """The module itself, loaded as the server loads it (a fresh process)."""
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SAMESITE, s.SECURE_PROXY_SSL_HEADER[0],"
        " s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "Lax",
        "Lax",
        "HTTP_X_FORWARDED_PROTO",
        "1",
    ]


# --- Development and test defaults ------------------------------------------------


def test_default_cookies_are_http_only_and_same_site_lax(client):
    user = UserFactory()
    response = client.post(
        "/akun/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP on a laptop
    csrf = Client().get("/akun/login/").cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"


def test_the_same_csp_and_headers_apply_outside_production(client):
    response = client.get("/kursus/")
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_development_settings_keep_the_cookie_defaults():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SAMESITE, 'csp.middleware' in str(s.MIDDLEWARE) or"
        " 'lms.middleware.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE)",
        {"DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "Lax", "True"]
