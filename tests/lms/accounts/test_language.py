"""/bahasa/: switching the interface language, remembered for signed-in users."""

import pytest
from django.conf import settings
from django.urls import reverse

from lms.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("switch_language")


def test_an_anonymous_switch_sets_the_language_cookie(client):
    response = client.post(URL, {"language": "en", "next": "/akun/login/"})
    assert response.status_code == 302
    assert response.url == "/akun/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("account_login"))
    assert '<html lang="en">' in page.content.decode()


def test_indonesian_is_the_default(client):
    page = client.get(reverse("account_login"))
    assert '<html lang="id">' in page.content.decode()


def test_a_signed_in_switch_is_remembered_on_the_user(client):
    user = UserFactory()
    client.force_login(user)
    client.post(URL, {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_the_remembered_language_follows_the_user_to_another_device(client):
    user = UserFactory(language="en")
    client.force_login(user)  # a fresh client: no language cookie
    page = client.get(reverse("accounts:profile"))
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_is_ignored(client):
    user = UserFactory()
    client.force_login(user)
    client.post(URL, {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).language == ""


def test_only_post_switches(client):
    assert client.get(URL).status_code == 405
