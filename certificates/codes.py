"""Verification codes: 135 random bits in Crockford base32, plus a check character.

Standard library only. A code is 27 random symbols and one Damm check symbol,
shown in seven groups of four (``7K3Q-X9M2-A4TZ-0P8R-JW5C-1VN6-HDEF``) and stored
without dashes. The check symbol lets the verification page tell a mistyped code
("check it") from a well-formed one that simply does not exist ("not found").

The check is Damm's algorithm over the quasigroup ``x ∘ y = 2·x + y`` in GF(32)
(polynomial x⁵ + x² + 1). That operation is totally anti-symmetric, so the check
catches every single-symbol substitution and every swap of two adjacent symbols,
the two commonest copying mistakes.
"""

from __future__ import annotations

import secrets
from enum import Enum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
DATA_LENGTH = 27  # 27 × 5 = 135 random bits (≥ 128 required)
LENGTH = DATA_LENGTH + 1
GROUP = 4
_INDEX = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's decoding rules: letters easily confused with digits read as those digits.
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_IGNORED = str.maketrans("", "", " -_.\t\r\n\u00a0")
_GF32_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


class CodeProblem(Enum):
    OK = "ok"
    MALFORMED = "malformed"  # wrong length or a symbol outside the alphabet
    CHECK_FAILED = "check_failed"  # well-formed, but the check symbol does not match


def _times_two(x: int) -> int:
    x <<= 1
    return x ^ _GF32_POLY if x & 0b100000 else x


def _damm(values: list[int]) -> int:
    interim = 0
    for value in values:
        interim = _times_two(interim) ^ value
    return interim


def check_symbol(data: str) -> str:
    """The symbol that brings the Damm interim of `data` + symbol to zero."""
    interim = _damm([_INDEX[s] for s in data])
    # interim ∘ c = 2·interim + c = 0 in characteristic 2  ⇔  c = 2·interim.
    return ALPHABET[_times_two(interim)]


def generate() -> str:
    """A new code (28 symbols, no dashes) from the operating system's CSPRNG."""
    number = secrets.randbits(DATA_LENGTH * 5)
    data = "".join(
        ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(DATA_LENGTH))
    )
    return data + check_symbol(data)


def normalise(text: str) -> str:
    """Upper-case, drop spaces and dashes, read I/L as 1 and O as 0."""
    return (text or "").upper().translate(_IGNORED).translate(_ALIASES)


def diagnose(normalised: str) -> CodeProblem:
    if len(normalised) != LENGTH or any(s not in _INDEX for s in normalised):
        return CodeProblem.MALFORMED
    if _damm([_INDEX[s] for s in normalised]) != 0:
        return CodeProblem.CHECK_FAILED
    return CodeProblem.OK


def display(code: str) -> str:
    """Dashes every four symbols, for people and for URLs."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
