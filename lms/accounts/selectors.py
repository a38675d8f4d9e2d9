"""Reads for the coordinator pages: the staff list and an import's preview."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lms.offices.models import Office

from .models import StaffImport, User
from .permissions import staff_visible_to
from .staff_import import Action, Problem, RowCheck, check_rows


def staff_for_listing(
    user, *, office: Office | None = None, query: str = ""
) -> QuerySet[User]:
    """Members the user may see, optionally in one office's subtree, matching
    `query` in name, e-mail or NIP; with the office joined, in a stable order."""
    members = staff_visible_to(user).select_related("office")
    if office is not None:
        members = members.filter(office__in=Office.objects.subtree(office))
    query = query.strip()
    if query:
        members = members.filter(
            Q(full_name__icontains=query)
            | Q(email__icontains=query)
            | Q(nip__icontains=query.replace(" ", "").replace(".", ""))
        )
    return members.order_by("office__code", "full_name", "pk")


@dataclass(frozen=True)
class ImportPreview:
    checks: list[RowCheck]
    counts: dict[str, int]

    @property
    def importable(self) -> int:
        return self.counts[Action.CREATE] + self.counts[Action.UPDATE]

    @property
    def problems(self) -> list[RowCheck]:
        return [c for c in self.checks if c.action == Action.SKIP]


def staff_import_preview(*, staff_import: StaffImport, actor) -> ImportPreview:
    """What confirming would do now, row by row."""
    checks = check_rows(rows=staff_import.rows, actor=actor)
    counts = Counter(c.action for c in checks)
    return ImportPreview(
        checks=checks,
        counts={
            a: counts.get(a, 0)
            for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED, Action.SKIP)
        },
    )


def skipped_rows(staff_import: StaffImport) -> list[dict]:
    """A confirmed import's skipped rows, with their problems as text."""
    return [
        {**row, "problems": [Problem.from_json(p).message for p in row["problems"]]}
        for row in staff_import.result.get("skipped", [])
    ]
