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
