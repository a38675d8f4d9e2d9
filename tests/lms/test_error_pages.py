"""Error pages speak the site's language in the site's layout: 404, 403, a refused
form (CSRF) and 500."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_explained_in_indonesian_with_the_site_around_it(client):
    response = client.get("/kursus/tidak-ada-kursus-ini/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert 'class="site-header"' in body
    assert "/akun/login/?next=/kursus/tidak-ada-kursus-ini/" in body


def test_the_missing_page_follows_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_page_for_another_role_says_so(client):
    client.force_login(UserFactory())
    response = client.get("/koordinator/staf/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Tidak diizinkan" in body
    assert 'href="/belajar/"' in body


def test_a_refused_form_says_nothing_was_saved_and_how_to_send_it_again():
    client = Client(enforce_csrf_checks=True)
    user = UserFactory(full_name="Nama Lama")
    client.force_login(user)
    response = client.post("/akun/profil/", {"full_name": "Nama Baru"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulir tidak terkirim" in body
    assert "Tidak ada yang disimpan" in body
    assert "<style" not in body  # Django's own page styles inline; the CSP blocks it
    # A fresh token comes with the page, so the reloaded form goes through.
    assert "csrftoken" in response.cookies
    user.refresh_from_db()
    assert user.full_name == "Nama Lama"


def test_the_server_error_page_needs_no_request_and_no_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0), translation.override("id"):
        html = render_to_string("500.html")
    assert "Terjadi kesalahan" in html
    assert "/static/css/site.css" in html
