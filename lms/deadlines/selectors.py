"""Reads of the stored calendar overrides.

The calculator and every page that shows a deadline need the overrides, so they are
cached (Django cache, one small entry) and the services clear the entry on every
change. In production the cache is Redis, shared by every process; with the
embedded local-memory cache each process keeps its own copy, so the entry also
expires after `CACHE_TIMEOUT` to bound how long another process can lag behind.
"""

from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet

from .models import CalendarOverride

CACHE_KEY = "deadlines:calendar-overrides:v1"
CACHE_TIMEOUT = 10 * 60

_Row = tuple[date, str, str]


def _override_rows() -> tuple[_Row, ...]:
    rows = cache.get(CACHE_KEY)
    if rows is None:
        rows = tuple(
            CalendarOverride.objects.order_by("date").values_list(
                "date", "kind", "reason"
            )
        )
        cache.set(CACHE_KEY, rows, CACHE_TIMEOUT)
    return rows


def calendar_overrides() -> tuple[frozenset[date], frozenset[date]]:
    """The administrator's (extra_closed, extra_open) days, for the engine."""
    rows = _override_rows()
    closed = frozenset(
        day for day, kind, _ in rows if kind == CalendarOverride.Kind.CLOSED
    )
    opened = frozenset(
        day for day, kind, _ in rows if kind == CalendarOverride.Kind.OPEN
    )
    return closed, opened


def calendar_override_reasons() -> dict[date, str]:
    """The reason an administrator gave for each closed or opened day."""
    return {day: reason for day, _, reason in _override_rows()}


def calendar_overrides_cache_clear() -> None:
    cache.delete(CACHE_KEY)


def calendar_overrides_in_year(*, year: int) -> QuerySet[CalendarOverride]:
    """A year's overrides for the admin screen, with who added them."""
    return (
        CalendarOverride.objects.filter(date__year=year)
        .select_related("created_by")
        .order_by("date")
    )


def calendar_override_get(*, pk: int) -> CalendarOverride:
    """One override; `CalendarOverride.DoesNotExist` when there is none."""
    return CalendarOverride.objects.select_related("created_by").get(pk=pk)
