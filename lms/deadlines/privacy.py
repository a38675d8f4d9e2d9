"""Personal data in the deadlines app: none about learners. An administrator's
closures and openings of the working calendar name who added them
(lms/accounts/personal_data.py, docs/privacy.md)."""

from __future__ import annotations

from lms.accounts.personal_data import PersonalData


def export(user) -> dict:
    return {}


def erase(user) -> dict[str, int]:
    return {}


PERSONAL_DATA = PersonalData(
    section="deadlines",
    export=export,
    erase=erase,
    excluded={
        "deadlines.CalendarOverride.created_by": (
            "names the administrator who changed the working calendar for "
            "everyone: an administrative record, kept pointing at the "
            "anonymised account"
        ),
    },
)
