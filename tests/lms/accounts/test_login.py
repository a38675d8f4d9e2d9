"""Signing in with allauth: e-mail login, verification, rate limits, the Wagtail
admin's sign-in, and allauth's pages inside the site layout."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


def test_a_verified_user_signs_in_with_e_mail_and_password(client):
    user = UserFactory(email="ayu@example.org")
    response = client.post(
        LOGIN, {"login": "AYU@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_unverified_address_must_be_verified_first(client, mailoutbox):
    UserFactory(email="ayu@example.org", verified_email=False)
    response = client.post(
        LOGIN, {"login": "ayu@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(english):
    UserFactory(email="ayu@example.org")
    wrong = english.post(
        LOGIN, {"login": "ayu@example.org", "password": "salah-sekali-123"}
    )
    unknown = english.post(
        LOGIN, {"login": "siapa@example.org", "password": "salah-sekali-123"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/5m/key"})
def test_sign_in_is_refused_after_repeated_failures_even_with_the_right_password(
    english,
):
    UserFactory(email="ayu@example.org")
    for _ in range(3):
        response = english.post(
            LOGIN, {"login": "ayu@example.org", "password": "salah-123456"}
        )
        assert "Too many failed login attempts" not in response.content.decode()
    blocked = english.post(
        LOGIN, {"login": "ayu@example.org", "password": TEST_PASSWORD}
    )
    assert blocked.status_code == 200
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in english.session


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_too_many_sign_in_attempts_from_one_address_get_429(client):
    for _ in range(2):
        assert (
            client.post(LOGIN, {"login": "x@example.org", "password": "x"}).status_code
            == 200
        )
    assert (
        client.post(LOGIN, {"login": "x@example.org", "password": "x"}).status_code
        == 429
    )


def test_the_wagtail_admin_signs_in_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/akun/login/?next=/admin/"


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_allauth_entrance_pages_use_the_site_layout(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="skip-link"' in page  # from templates/base.html
    assert 'class="allauth allauth-entrance"' in page
    assert "<label" in page or url_name == "account_email_verification_sent"


@pytest.mark.parametrize(
    "url_name", ["account_email", "account_change_password", "mfa_index"]
)
def test_allauth_account_pages_use_the_site_layout(client, url_name):
    client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert 'class="skip-link"' in response.content.decode()
    assert "allauth-manage" in response.content.decode()


def test_login_errors_are_tied_to_the_form(english):
    response = english.post(LOGIN, {"login": "", "password": ""})
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'id="id_login_error"' in page


def test_the_totp_activation_page_renders_in_the_layout(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert 'class="skip-link"' in response.content.decode()
