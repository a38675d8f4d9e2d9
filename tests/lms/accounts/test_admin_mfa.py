"""With LMS_REQUIRE_ADMIN_MFA on, nobody opens the Wagtail admin without TOTP."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.LMS_REQUIRE_ADMIN_MFA = True


def with_totp(user):
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "unused-in-tests"}
    )
    return user


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_an_admin_user_without_totp_is_sent_to_set_it_up(client, mfa_required, role):
    user = UserFactory(**{role: True})
    client.force_login(user)
    for path in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_an_admin_user_with_totp_gets_through(client, mfa_required, role):
    client.force_login(with_totp(UserFactory(**{role: True})))
    assert client.get("/admin/").status_code == 200


def test_a_learner_is_not_asked_for_totp(client, mfa_required):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.url != reverse("mfa_activate_totp")


def test_the_rule_is_off_unless_configured(client, settings):
    settings.LMS_REQUIRE_ADMIN_MFA = False
    client.force_login(UserFactory(admin=True))
    assert client.get("/admin/").status_code == 200


def test_pages_outside_the_admin_are_not_affected(client, mfa_required):
    client.force_login(UserFactory(admin=True))
    assert client.get(reverse("accounts:profile")).status_code == 200
