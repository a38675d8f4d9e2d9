"""State changes on the office tree: loading the KPU list and merging offices."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import CoordinatorScope, Office

DEFAULT_OFFICES_CSV = Path(__file__).resolve().parent / "data" / "kpu-offices.csv"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def offices_load(*, path: Path = DEFAULT_OFFICES_CSV, update_names: bool = False) -> LoadResult:
    """Create or update offices from the CSV, parents before children.

    Idempotent. Names an administrator corrected are kept unless `update_names`,
    because the file's names follow a pattern, not a list published by KPU.
    """
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {o.code: o for o in Office.objects.all()}
    created = updated = unchanged = 0
    # Rows are ordered national → province → regency/city in the file, but sort to be safe.
    level_rank = {"national": 0, "province": 1, "regency": 2, "city": 2}
    for row in sorted(rows, key=lambda r: (level_rank[r["level"]], r["code"])):
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        office = existing.get(row["code"])
        if office is None:
            office = Office.objects.create(
                code=row["code"],
                level=row["level"],
                parent=parent,
                region_name=row["region_name"],
                name=row["office_name"],
            )
            existing[office.code] = office
            created += 1
            continue
        changes = {"level": row["level"], "parent_id": parent.pk if parent else None,
                   "region_name": row["region_name"]}
        if update_names:
            changes["name"] = row["office_name"]
        dirty = {k: v for k, v in changes.items() if getattr(office, k) != v}
        if dirty:
            for key, value in dirty.items():
                setattr(office, key, value)
            office.save(update_fields=[k.removesuffix("_id") for k in dirty])
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


@transaction.atomic
def office_merge(*, source: Office, target: Office) -> None:
    """Fold `source` into `target`: members, child offices and coordinator scopes move.

    The source stays in the database, inactive and pointing at its successor, so
    records that name it (certificates, history) keep their meaning.
    """
    if source.pk == target.pk:
        raise ValueError("An office cannot be merged into itself.")
    if Office.objects.subtree(source).filter(pk=target.pk).exists():
        raise ValueError("An office cannot be merged into one of its own sub-offices.")
    get_user_model().objects.filter(office=source).update(office=target)
    Office.objects.filter(parent=source).update(parent=target)
    for scope in CoordinatorScope.objects.filter(office=source):
        CoordinatorScope.objects.get_or_create(user=scope.user, office=target)
        scope.delete()
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into"])
