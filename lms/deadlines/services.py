"""Writes of calendar overrides: validated, audited, and the cached copy cleared.

Every change goes through these two functions, because they are what keeps the
cached overrides (selectors.calendar_overrides) in step with the database.
"""

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from wagtail.log_actions import log

from .models import CalendarOverride
from .selectors import calendar_overrides_cache_clear


def _forget_cached() -> None:
    # Cleared now, for this process, and again after commit: a page rendered by
    # another process between the two could otherwise re-cache the old rows.
    calendar_overrides_cache_clear()
    transaction.on_commit(calendar_overrides_cache_clear)


def _taken_message(existing: CalendarOverride) -> str:
    return gettext(
        "%(date)s already has an administrator %(kind)s (“%(reason)s”). Remove it "
        "first if it is wrong."
    ) % {
        "date": existing.date.isoformat(),
        "kind": (
            gettext("closure")
            if existing.kind == CalendarOverride.Kind.CLOSED
            else gettext("opening")
        ),
        "reason": existing.reason,
    }


def calendar_override_add(
    *, date: Date, kind: str, reason: str, user
) -> CalendarOverride:
    """Close or open one day; ValidationError (by field) when that is not allowed."""
    override = CalendarOverride(
        date=date, kind=kind, reason=(reason or "").strip(), created_by=user
    )
    existing = CalendarOverride.objects.filter(date=date).first() if date else None
    if existing is not None:
        raise ValidationError({"date": _taken_message(existing)})
    override.full_clean()
    try:
        with transaction.atomic():
            override.save()
            log(override, "wagtail.create", user=user)
    except IntegrityError as exc:  # another administrator added the day meanwhile
        existing = CalendarOverride.objects.filter(date=date).first()
        if existing is None:
            raise
        raise ValidationError({"date": _taken_message(existing)}) from exc
    _forget_cached()
    return override


def calendar_override_remove(*, override: CalendarOverride, user) -> None:
    with transaction.atomic():
        log(override, "wagtail.delete", user=user)
        override.delete()
    _forget_cached()
