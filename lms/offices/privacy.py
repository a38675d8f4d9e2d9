"""Personal data in the offices app: the offices a person coordinates
(lms/accounts/personal_data.py, docs/privacy.md). The user's own office is part
of the account (lms/accounts/privacy.py)."""

from __future__ import annotations

from django.db.models import F

from lms.accounts.personal_data import PersonalData, deleted_counts

from .models import CoordinatorScope


def export(user) -> dict:
    return {
        "coordinator_of": list(
            CoordinatorScope.objects.filter(user=user)
            .order_by("office__code")
            .values(
                "created_at",
                office_code=F("office__code"),
                office_name=F("office__name"),
            )
        )
    }


def erase(user) -> dict[str, int]:
    return deleted_counts(CoordinatorScope.objects.filter(user=user).delete())


PERSONAL_DATA = PersonalData(
    section="offices",
    export=export,
    erase=erase,
    exported=("offices.CoordinatorScope.user",),
)
