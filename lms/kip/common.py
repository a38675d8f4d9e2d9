"""Small values shared by the KIP engine: bilingual text and the engine's error type."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A user-facing string in Indonesian (`id`, shown first) and English (`en`)."""

    id: str
    en: str

    def format(self, **values: object) -> Text:
        return Text(self.id.format(**values), self.en.format(**values))


class KipError(ValueError):
    """Invalid input: the message says what is wrong and what is allowed.

    Every rejection (unknown step or regime, a date outside the known years, a
    `datetime` where a `date` is expected) is this one `ValueError` subclass, so an
    adapter such as the calculator form needs a single `except` to show it.
    """
