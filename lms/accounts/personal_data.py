"""The registry of personal data: what each app holds about a user, how it is
exported and how it is erased (docs/privacy.md).

Every installed app whose models point at the user declares it in a `privacy`
module, as `PERSONAL_DATA = PersonalData(...)`, found the way `seed_demo` finds
the apps' `demo` modules. A declaration names each foreign key to the user either
as exported (the rows it links go into the download) or as excluded, with the
reason; tests/lms/accounts/test_personal_data.py fails when a foreign key to the
user is neither, so a new app cannot forget its part.

Exports run in INSTALLED_APPS order; erasure runs in the reverse order, so an
app's records go before those of the apps it builds on (certificates before the
course completions they rest on, the account itself last).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

Exporter = Callable[[Any], Any]
# Returns what it did as counts by name ({"quizzes.Attempt": 3}): it goes into
# the audit log, so never anything that identifies the person.
Eraser = Callable[[Any], Mapping[str, int]]

MODULE_NAME = "privacy"


@dataclass(frozen=True)
class PersonalData:
    """One app's part: `section` is its key in the download.

    `exported` and `excluded` name foreign keys to the user as
    "app_label.Model.field"; an exclusion says why the rows are not exported.
    """

    section: str
    export: Exporter
    erase: Eraser
    exported: tuple[str, ...] = ()
    excluded: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def registered() -> list[PersonalData]:
    """Every installed app's declaration, in INSTALLED_APPS order."""
    found = []
    for app in apps.get_app_configs():
        name = f"{app.name}.{MODULE_NAME}"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        declaration = getattr(importlib.import_module(name), "PERSONAL_DATA", None)
        if isinstance(declaration, PersonalData):
            found.append(declaration)
    return found


def user_foreign_keys() -> set[str]:
    """ "app_label.Model.field" for every foreign key or one-to-one field, declared
    on the model itself, that points at the user model."""
    user_model = get_user_model()
    return {
        f"{model._meta.label}.{model_field.name}"
        for model in apps.get_models()
        for model_field in model._meta.local_fields
        if isinstance(model_field, models.ForeignKey)
        and model_field.related_model is user_model
    }


def declared_foreign_keys() -> set[str]:
    declared: set[str] = set()
    for part in registered():
        declared.update(part.exported)
        declared.update(part.excluded)
    return declared


def undeclared_foreign_keys() -> set[str]:
    """Foreign keys to the user that no app exports or excludes."""
    return user_foreign_keys() - declared_foreign_keys()


def without_protected(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` less the rows another model keeps with a PROTECT or RESTRICT
    foreign key: records an app holds on to (an issued certificate keeps the
    course completion it was issued for) are not erased with the person."""
    for relation in queryset.model._meta.related_objects:
        if relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        referenced = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__isnull": False}
        ).values(relation.field.attname)
        queryset = queryset.exclude(pk__in=referenced)
    return queryset


def deleted_counts(result: tuple[int, dict[str, int]]) -> dict[str, int]:
    """The per-model counts of a QuerySet.delete(), without the zeros."""
    return {label: count for label, count in result[1].items() if count}
