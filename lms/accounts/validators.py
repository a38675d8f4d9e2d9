"""Validators for NIP and passwords."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NIP_RE = re.compile(r"^\d{18}$")


def validate_nip(value: str) -> None:
    """NIP (Nomor Induk Pegawai) is exactly 18 digits, e.g. 198503152010121002."""
    if not NIP_RE.match(value or ""):
        raise ValidationError(
            gettext_lazy(
                "NIP must be exactly 18 digits, without spaces or dots "
                "(for example 198503152010121002)."
            ),
            code="invalid_nip",
        )


def normalise_nip(value: str) -> str:
    """Strip the spaces and dots people type between NIP groups."""
    return re.sub(r"[\s.]", "", value or "")


class ContextWordValidator:
    """Refuse passwords built on words anyone would guess at a KPU office."""

    WORDS = ("kpu", "ppid", "pemilu", "akademi", "password", "sandi", "indonesia")

    def validate(self, password, user=None):
        lowered = password.lower()
        found = [w for w in self.WORDS if w in lowered]
        if found:
            raise ValidationError(
                _(
                    "The password must not contain easily guessed words such as "
                    "“%(word)s”."
                )
                % {"word": found[0]},
                code="password_context_word",
            )

    def get_help_text(self):
        return _("Your password must not contain words such as “kpu” or “ppid”.")
