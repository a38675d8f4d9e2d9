"""Public pages open in a real browser and pass axe-core without serious violations."""

import pytest

from tests.browser.conftest import axe_violations, describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("path", ["/", "/akun/login/", "/alat/tenggat/"])
def test_public_page_has_no_serious_accessibility_violations(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_home_page_is_indonesian_by_default(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id", page.content()[:300]


def test_the_error_pages_are_accessible_and_in_the_site_layout(page, live_server):
    response = page.goto(live_server.url + "/kursus/tidak-ada-kursus-ini/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    assert not (violations := axe_violations(page)), describe(violations)
    # A form whose token went stale (another tab signed out, say): the refusal page.
    page.goto(live_server.url + "/akun/login/")
    page.context.clear_cookies()
    page.fill("input[name=login]", "pegawai@kpu.go.id")
    page.fill("input[name=password]", "bukan-sandi-yang-benar")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("main form button[type=submit]")
    assert posted.value.status == 403
    assert page.locator("h1").inner_text() == "Formulir tidak terkirim"
    assert not (violations := axe_violations(page)), describe(violations)
