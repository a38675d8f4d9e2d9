"""Rate limits on sign-in, password reset and certificate verification, at the
values the settings ship with (lms/settings/base.py; the test settings switch
allauth's off, so each test here switches them back on).

Each test hits an endpoint from one client address until the limit, checks the
refusal (a 429 page, or allauth's form error for failed sign-ins) and its
Indonesian message, and checks that another address or account still gets through.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lms.settings import base
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
RESET = reverse("account_reset_password")
VERIFY = reverse("certificates:verify")
ATTACKER = "203.0.113.9"
OTHER = "198.51.100.7"
rate_limits_on = override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)


def limit(action: str, per: str) -> int:
    """The number of requests the shipped settings allow for `action` per `per`
    ("ip" or "key"), e.g. 30 for "login": "30/m/ip"."""
    for rate in base.ACCOUNT_RATE_LIMITS[action].split(","):
        amount, _period, *kind = rate.split("/")
        if (kind[0] if kind else "ip") == per:
            return int(amount)
    raise AssertionError(f"no {per} rate for {action}")


def indonesian(msgid: str) -> str:
    with translation.override("id"):
        return gettext(msgid)


def sign_in(client: Client, email: str, password: str, ip: str):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


TOO_MANY_FAILED = "Too many failed login attempts. Try again later."
WAIT_A_MINUTE = (
    "There were too many attempts from your connection in a short time, so this one "
    "was not processed. Please wait a minute and try again."
)


# --- Sign-in ----------------------------------------------------------------------


@rate_limits_on
def test_repeated_wrong_passwords_lock_the_account_not_its_owner_elsewhere():
    victim = UserFactory(email="ayu@example.org")
    other = UserFactory(email="budi@example.org")
    attacker = Client()
    for _ in range(limit("login_failed", "key")):
        response = sign_in(attacker, victim.email, "salah-sekali-123", ATTACKER)
        assert response.status_code == 200
        assert indonesian(TOO_MANY_FAILED) not in response.content.decode()
    # Even the right password is refused now, with allauth's Indonesian message.
    blocked = sign_in(attacker, victim.email, TEST_PASSWORD, ATTACKER)
    assert blocked.status_code == 200
    assert indonesian(TOO_MANY_FAILED) == (
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."
    )
    assert indonesian(TOO_MANY_FAILED) in blocked.content.decode()
    assert not signed_in(attacker)
    # Another account signs in from the same address.
    colleague = Client()
    assert sign_in(colleague, other.email, TEST_PASSWORD, ATTACKER).status_code == 302
    assert signed_in(colleague)


@rate_limits_on
def test_failures_across_many_accounts_from_one_address_are_stopped():
    user = UserFactory(email="citra@example.org")
    attacker = Client()
    for n in range(limit("login_failed", "ip")):
        sign_in(attacker, f"tebak{n}@example.org", "salah-sekali-123", ATTACKER)
    blocked = sign_in(attacker, user.email, TEST_PASSWORD, ATTACKER)
    assert indonesian(TOO_MANY_FAILED) in blocked.content.decode()
    assert not signed_in(attacker)
    elsewhere = Client()
    assert sign_in(elsewhere, user.email, TEST_PASSWORD, OTHER).status_code == 302
    assert signed_in(elsewhere)


@rate_limits_on
def test_a_flood_of_sign_in_posts_from_one_address_gets_429_in_indonesian():
    user = UserFactory(email="dewi@example.org")
    flood = Client()
    allowed = limit("login", "ip")
    statuses = [
        sign_in(flood, f"banjir{n}@example.org", "x", ATTACKER).status_code
        for n in range(allowed + 1)
    ]
    assert statuses == [200] * allowed + [429]
    refused = sign_in(flood, user.email, TEST_PASSWORD, ATTACKER)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'lang="id"' in page
    assert indonesian("Too many attempts") in page
    assert indonesian(WAIT_A_MINUTE) in page
    assert 'class="skip-link"' in page  # our 429.html, in the site layout
    elsewhere = Client()
    assert sign_in(elsewhere, user.email, TEST_PASSWORD, OTHER).status_code == 302


# --- Password reset ---------------------------------------------------------------


@rate_limits_on
def test_password_reset_for_one_address_is_limited_and_another_still_works(
    mailoutbox,
):
    user = UserFactory(email="eka@example.org")
    other = UserFactory(email="fajar@example.org")
    client = Client()
    allowed = limit("reset_password", "key")
    statuses = [
        client.post(RESET, {"email": user.email}, REMOTE_ADDR=ATTACKER).status_code
        for _ in range(allowed + 1)
    ]
    assert statuses == [302] * allowed + [429]
    assert len(mailoutbox) == allowed  # the refused request sent nothing
    refused = client.post(RESET, {"email": user.email}, REMOTE_ADDR=OTHER)
    assert refused.status_code == 429  # the address is limited, wherever from
    assert indonesian("Too many attempts") in refused.content.decode()
    fine = Client().post(RESET, {"email": other.email}, REMOTE_ADDR=OTHER)
    assert fine.status_code == 302
    assert mailoutbox[-1].to == [other.email]


@rate_limits_on
def test_password_reset_requests_from_one_address_are_limited(mailoutbox):
    client = Client()
    allowed = limit("reset_password", "ip")
    statuses = [
        client.post(
            RESET, {"email": f"orang{n}@example.org"}, REMOTE_ADDR=ATTACKER
        ).status_code
        for n in range(allowed + 1)
    ]
    assert statuses == [302] * allowed + [429]
    other = Client().post(RESET, {"email": "gita@example.org"}, REMOTE_ADDR=OTHER)
    assert other.status_code == 302


# --- Certificate verification -----------------------------------------------------


def test_certificate_lookups_from_one_address_are_limited_with_an_indonesian_page():
    allowed, period = base.CERTIFICATES_VERIFY_RATE_LIMIT
    client = Client()
    statuses = [
        client.get(VERIFY, {"code": f"X{n}"}, REMOTE_ADDR=ATTACKER).status_code
        for n in range(allowed)
    ]
    assert 429 not in statuses
    # The form and the printed-code URL share the counter.
    for refused in (
        client.get(VERIFY, {"code": "X"}, REMOTE_ADDR=ATTACKER),
        client.get(f"{VERIFY}ABCD-EFGH/", REMOTE_ADDR=ATTACKER),
    ):
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(period)
        page = refused.content.decode()
        assert indonesian("Too many verification requests.") in page
        assert "Terlalu banyak permintaan verifikasi." in page
    other = Client().get(VERIFY, {"code": "X"}, REMOTE_ADDR=OTHER)
    assert other.status_code == 400  # looked up (a typo), not refused
