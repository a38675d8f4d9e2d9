"""NIP and password rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from lms.accounts.validators import normalise_nip, validate_nip


@pytest.mark.parametrize(
    "value",
    ["198503152010121002", "199003122015032002"],
)
def test_an_18_digit_nip_is_valid(value):
    validate_nip(value)


@pytest.mark.parametrize(
    "value",
    [
        "19850315201012100",  # 17 digits
        "1985031520101210021",  # 19 digits
        "19850315201012100A",  # a letter
        "NIP198503152010121",
        "1985 0315 2010 1210",  # spaces are not valid until normalised
        "",
    ],
)
def test_anything_but_18_digits_is_refused(value):
    with pytest.raises(ValidationError) as info:
        validate_nip(value)
    assert info.value.code == "invalid_nip"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("19850315 201012 1 002", "198503152010121002"),
        ("19850315.201012.1.002", "198503152010121002"),
        (" 198503152010121002 ", "198503152010121002"),
        ("", ""),
        (None, ""),
    ],
)
def test_spaces_and_dots_people_type_are_removed(typed, normalised):
    assert normalise_nip(typed) == normalised
    if normalised:
        validate_nip(normalise_nip(typed))


@pytest.mark.parametrize(
    "password",
    [
        "Rinjani-Senja-77",
        "kopi tubruk di pagi hari",
    ],
)
def test_a_long_uncommon_password_is_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Senja-77", "password_too_short"),
        ("qwerty123456", "password_too_common"),
        ("kpu-bali-2026-aman", "password_context_word"),
        ("Jadi-PPID-Hebat-2026", "password_context_word"),
        ("sandi-rahasia-sekali", "password_context_word"),
        ("849201736458", "password_entirely_numeric"),
    ],
)
def test_short_common_and_context_word_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert code in {e.code for e in info.value.error_list}


@pytest.mark.django_db
def test_a_password_like_the_users_own_details_is_refused():
    from tests.factories import UserFactory

    user = UserFactory(
        full_name="Wayan Sudarsana Putra", email="wayan.sudarsana@kpu.go.id"
    )
    with pytest.raises(ValidationError) as info:
        validate_password("wayan.sudarsana", user=user)
    assert "password_too_similar" in {e.code for e in info.value.error_list}
