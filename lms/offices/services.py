"""State changes on the office tree and on roles: loading the KPU list, merging
offices, coordinator scopes and the instructor group."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.log_actions import log

from .models import CoordinatorScope, Office
from .permissions import INSTRUCTOR_GROUP
from .signals import office_merged

DEFAULT_OFFICES_CSV = Path(__file__).resolve().parent / "data" / "kpu-offices.csv"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _successor(office: Office | None, by_pk: dict[int, Office]) -> Office | None:
    """Follow `merged_into` to the office that now stands for `office`."""
    seen = set()
    while office is not None and office.merged_into_id and office.pk not in seen:
        seen.add(office.pk)
        office = by_pk.get(office.merged_into_id, office)
    return office


@transaction.atomic
def offices_load(
    *, path: Path = DEFAULT_OFFICES_CSV, update_names: bool = False
) -> LoadResult:
    """Create or update offices from the CSV, parents before children.

    Idempotent. Names an administrator corrected are kept unless `update_names`,
    because the file's names follow a pattern, not a list published by KPU.
    Merges are respected: a merged office is left alone, and its former
    sub-offices stay under the office it was merged into.
    """
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {o.code: o for o in Office.objects.all()}
    by_pk = {o.pk: o for o in existing.values()}
    created = updated = unchanged = 0
    # Rows are ordered national → province → regency/city in the file; sort anyway.
    level_rank = {"national": 0, "province": 1, "regency": 2, "city": 2}
    for row in sorted(rows, key=lambda r: (level_rank[r["level"]], r["code"])):
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        parent = _successor(parent, by_pk)
        office = existing.get(row["code"])
        if office is None:
            office = Office.objects.create(
                code=row["code"],
                level=row["level"],
                parent=parent,
                region_name=row["region_name"],
                name=row["office_name"],
            )
            existing[office.code] = by_pk[office.pk] = office
            created += 1
            continue
        if office.merged_into_id:
            unchanged += 1
            continue
        changes = {
            "level": row["level"],
            "parent_id": parent.pk if parent else None,
            "region_name": row["region_name"],
        }
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


@dataclass(frozen=True)
class MergeResult:
    members: int
    children: int
    scopes: int


@transaction.atomic
def office_merge(*, source: Office, target: Office, actor=None) -> MergeResult:
    """Fold `source` into `target`: members, child offices and coordinator scopes move.

    The source stays in the database, inactive and pointing at its successor, so
    records that name it (certificates, history) keep their meaning. Both offices'
    admin history records the merge.
    """
    if source.pk == target.pk:
        raise ValueError("An office cannot be merged into itself.")
    if not source.is_active or source.merged_into_id:
        raise ValueError("This office has already been merged or closed.")
    if not target.is_active:
        raise ValueError("An office cannot be merged into a closed office.")
    if Office.objects.subtree(source).filter(pk=target.pk).exists():
        raise ValueError("An office cannot be merged into one of its own sub-offices.")
    members = get_user_model().objects.filter(office=source).update(office=target)
    children = Office.objects.filter(parent=source).update(parent=target)
    scopes = 0
    for scope in CoordinatorScope.objects.filter(office=source):
        CoordinatorScope.objects.get_or_create(user_id=scope.user_id, office=target)
        scope.delete()
        scopes += 1
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into"])
    data = {
        "source": {"id": source.pk, "code": source.code, "name": source.name},
        "target": {"id": target.pk, "code": target.code, "name": target.name},
        "members": members,
        "children": children,
    }
    log(instance=source, action="offices.merge", user=actor, data=data)
    log(instance=target, action="offices.absorb", user=actor, data=data)
    office_merged.send(sender=Office, source=source, target=target, actor=actor)
    return MergeResult(members=members, children=children, scopes=scopes)


@transaction.atomic
def coordinator_scopes_set(*, user, offices: Iterable[Office]) -> None:
    """Make `user` coordinator of exactly `offices` (and what lies under them)."""
    wanted = {o.pk for o in offices}
    CoordinatorScope.objects.filter(user=user).exclude(office__in=wanted).delete()
    have = set(
        CoordinatorScope.objects.filter(user=user).values_list("office_id", flat=True)
    )
    CoordinatorScope.objects.bulk_create(
        CoordinatorScope(user=user, office_id=pk) for pk in sorted(wanted - have)
    )


# What an instructor may do in the Wagtail admin: open it, write and publish
# pages (courses), use images and documents, and edit every snippet (question
# banks and the like, whichever apps register them).
INSTRUCTOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
INSTRUCTOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)
SNIPPET_ACTIONS = ("add", "change", "delete", "view")


def _snippet_models():
    from wagtail import hooks
    from wagtail.snippets.models import get_snippet_models

    hooks.search_for_hooks()  # snippets register themselves in wagtail_hooks modules
    return get_snippet_models()


@transaction.atomic
def instructor_group_sync() -> Group:
    """Create or refresh the "Instruktur" group and its permissions. Idempotent.

    A service rather than a data migration: the snippet models it grants are
    registered by other apps at run time, which a migration cannot see. It runs
    after every `migrate` (post_migrate, see OfficesConfig) and in `seed_demo`.
    It only adds permissions, so an administrator's additions survive.
    """
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    group, _created = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    perms = [
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    ]
    for model in _snippet_models():
        ct = ContentType.objects.get_for_model(model)
        perms += Permission.objects.filter(
            content_type=ct,
            codename__in=[f"{a}_{model._meta.model_name}" for a in SNIPPET_ACTIONS],
        )
    group.permissions.add(*perms)

    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in INSTRUCTOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, model_name, actions in INSTRUCTOR_COLLECTION_PERMISSIONS:
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename=f"{action}_{model_name}",
                ).first()
                if permission is None:
                    continue
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    return group
