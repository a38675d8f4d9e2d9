"""Verification codes: enough randomness, and a check symbol that catches typos."""

import random

import pytest

from certificates import codes


def test_a_new_code_has_28_crockford_symbols_and_passes_its_own_check():
    code = codes.generate()
    assert len(code) == codes.LENGTH == 28
    assert set(code) <= set(codes.ALPHABET)
    assert codes.diagnose(code) is codes.CodeProblem.OK


def test_codes_carry_at_least_128_random_bits_and_do_not_repeat():
    assert codes.DATA_LENGTH * 5 >= 128
    sample = {codes.generate() for _ in range(2000)}
    assert len(sample) == 2000
    # Every data position uses the whole alphabet (no fixed or biased symbol).
    for position in range(codes.DATA_LENGTH):
        assert len({c[position] for c in sample}) == 32


@pytest.mark.parametrize("seed", range(5))
def test_every_single_symbol_substitution_is_caught(seed):
    code = random.Random(seed).choice([codes.generate() for _ in range(3)])
    for position in range(codes.LENGTH):
        for symbol in codes.ALPHABET:
            if symbol == code[position]:
                continue
            typo = code[:position] + symbol + code[position + 1 :]
            assert codes.diagnose(typo) is codes.CodeProblem.CHECK_FAILED


@pytest.mark.parametrize("seed", range(5))
def test_every_swap_of_two_neighbouring_symbols_is_caught(seed):
    code = codes.generate()
    for position in range(codes.LENGTH - 1):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert codes.diagnose(swapped) is codes.CodeProblem.CHECK_FAILED


def test_what_a_person_types_is_normalised_before_checking():
    code = codes.generate()
    shown = codes.display(code)
    assert shown.count("-") == 6
    typed = " " + shown.lower().replace("-", " - ") + " "
    assert codes.normalise(typed) == code
    # Crockford: I and L read as 1, O as 0.
    assert codes.normalise("il-o") == "110"


@pytest.mark.parametrize(
    "text",
    ["", "ABC", "0" * 27, "0" * 29, "U" * 28, "!" * 28],
)
def test_wrong_lengths_and_foreign_symbols_are_malformed(text):
    assert codes.diagnose(codes.normalise(text)) is codes.CodeProblem.MALFORMED
