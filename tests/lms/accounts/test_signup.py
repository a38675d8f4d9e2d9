"""Self sign-up through allauth: open only to the configured e-mail domains."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from lms.accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_signup")


def form(office, email, **extra):
    return {
        "full_name": "Nyoman Suarta",
        "email": email,
        "nip": "",
        "employment_type": "pns",
        "office": office.pk,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **extra,
    }


@pytest.fixture
def domains(settings):
    settings.LMS_SIGNUP_EMAIL_DOMAINS = ["kpu.go.id"]


@pytest.mark.parametrize("email", ["nyoman@kpu.go.id", "nyoman@bali.kpu.go.id"])
def test_an_address_at_an_allowed_domain_signs_up_and_must_verify(
    english, office_tree, domains, mailoutbox, email
):
    response = english.post(
        URL, form(office_tree.badung, email, nip="1980 0101 2005 01 1 001")
    )
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert user.full_name == "Nyoman Suarta"
    assert user.office == office_tree.badung
    assert user.nip == "198001012005011001"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [email]
    assert "_auth_user_id" not in english.session  # mandatory verification


@pytest.mark.parametrize(
    "email", ["nyoman@gmail.com", "nyoman@kpu.go.id.example.com", "nyoman@notkpu.go.id"]
)
def test_any_other_address_is_refused_with_a_pointer_to_the_coordinator(
    english, office_tree, domains, mailoutbox, email
):
    response = english.post(URL, form(office_tree.badung, email))
    assert response.status_code == 200
    assert "Self sign-up is only open to addresses at kpu.go.id" in (
        response.content.decode()
    )
    assert not User.objects.filter(email=email).exists()
    assert mailoutbox == []


def test_signing_up_again_with_a_registered_address_reveals_nothing(
    english, office_tree, domains, mailoutbox
):
    UserFactory(email="nyoman@kpu.go.id")
    response = english.post(URL, form(office_tree.badung, "nyoman@kpu.go.id"))
    # The same "check your e-mail" answer as a new sign-up…
    assert response.status_code == 302
    assert User.objects.filter(email="nyoman@kpu.go.id").count() == 1
    # …and the owner is told by e-mail instead.
    assert len(mailoutbox) == 1


def test_a_bad_or_taken_nip_is_refused(english, office_tree, domains):
    UserFactory(nip="198001012005011001")
    bad = english.post(URL, form(office_tree.badung, "a@kpu.go.id", nip="12345"))
    assert "NIP must be exactly 18 digits" in bad.content.decode()
    taken = english.post(
        URL, form(office_tree.badung, "b@kpu.go.id", nip="198001012005011001")
    )
    assert "This NIP is already registered." in taken.content.decode()
    assert not User.objects.filter(email__in=["a@kpu.go.id", "b@kpu.go.id"]).exists()


def test_a_weak_password_is_refused(english, office_tree, domains):
    response = english.post(
        URL,
        form(
            office_tree.badung,
            "c@kpu.go.id",
            password1="ppid-2026-bali",
            password2="ppid-2026-bali",
        ),
    )
    assert "must not contain easily guessed words" in response.content.decode()
    assert not User.objects.filter(email="c@kpu.go.id").exists()
