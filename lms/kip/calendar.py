"""Working-day calendar for KIP deadlines (standard library and `holidays` only).

Closed days: Saturday and Sunday; national holidays, including Keppres voting days
(`holidays.Indonesia`, category "public"); cuti bersama (category "government")
unless `cuti_bersama_working=True`; and the caller's `extra_closed` days. The
caller's `extra_open` days are working days whatever else applies (a holiday moved
by the government, a Saturday service day).

Counting rule (kip-law.md §6.1, as KI Pusat computes it): a period of N working days
after an event starts on the first working day strictly after the event date and
ends on the N-th working day, inclusive. The event day is never counted, also when
it is itself a closed day.

Known years: `FIRST_YEAR` (2010; UU 14/2008 is in force from 30 April 2010) through
`LAST_YEAR`, the last year for which the pinned `holidays` package carries cuti
bersama, found at import. Outside them every function raises `KipError` instead of
guessing (docs/decisions/0001-working-day-counting.md).

Extra days may be given as `date` objects or as their proleptic Gregorian ordinals
(`date.toordinal()`), a stable integer form for closures stored in a database.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import holidays

from lms.kip.common import KipError, Text

FIRST_YEAR = 2010
# kip-law.md §6.3 reports gaps in the package's cuti bersama data before 2021.
CUTI_BERSAMA_VERIFIED_FROM = 2021


def _last_cuti_bersama_year() -> int:
    """The last year for which the installed `holidays` has cuti bersama data.

    Scanned a decade at a time: building far-future years is slow (lunar calendars),
    and the data, published every year since 2002, has no decade-long gap.
    """
    last, decade = FIRST_YEAR, FIRST_YEAR
    while True:
        found = holidays.Indonesia(
            years=range(decade, decade + 10), categories=("government",)
        )
        if not found:
            return last
        last, decade = max(day.year for day in found), decade + 10


LAST_YEAR = _last_cuti_bersama_year()
KNOWN_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
_FIRST = date(FIRST_YEAR, 1, 1).toordinal()
_LAST = date(LAST_YEAR, 12, 31).toordinal()


class Source(StrEnum):
    """Why a day is closed; the order is the precedence when several apply."""

    NATIONAL_HOLIDAY = "national_holiday"
    CUTI_BERSAMA = "cuti_bersama"
    EXTRA_CLOSURE = "extra_closure"
    WEEKEND = "weekend"


_PRECEDENCE = {source: rank for rank, source in enumerate(Source)}
_WEEKEND_NAMES = {5: Text("Sabtu", "Saturday"), 6: Text("Minggu", "Sunday")}
_EXTRA_NAME = Text(
    "Penutupan tambahan (ditetapkan administrator)",
    "Additional closure (set by an administrator)",
)


@dataclass(frozen=True)
class ClosedDay:
    """A closed day, its main source and every reason (joined with "; ")."""

    day: date
    source: Source
    reason: Text
    # The package computes some lunar-calendar holidays ("perkiraan"/"estimated")
    # until the Menteri Agama's isbat fixes them.
    estimated: bool = False


@dataclass(frozen=True)
class _Closure:
    source: Source
    name: Text
    estimated: bool = False


@functools.cache
def _holiday_table() -> dict[int, tuple[_Closure, ...]]:
    """Holidays and cuti bersama of every known year, by ordinal, built once."""
    table: dict[int, list[_Closure]] = {}
    for category, source in (
        ("public", Source.NATIONAL_HOLIDAY),
        ("government", Source.CUTI_BERSAMA),
    ):
        names = {
            language: holidays.Indonesia(
                years=KNOWN_YEARS, categories=(category,), language=language
            )
            for language in ("id", "en_US")
        }
        for day, name_id in names["id"].items():
            name_en = names["en_US"][day]
            closure = _Closure(source, Text(name_id, name_en), "(estimated)" in name_en)
            table.setdefault(day.toordinal(), []).append(closure)
    return {ordinal: tuple(found) for ordinal, found in table.items()}


def unknown_year_error(year: int) -> KipError:
    """The error for a computation that needs a year the calendar does not know."""
    return KipError(
        f"calendar for {year} not known; known years {FIRST_YEAR}–{LAST_YEAR}. "
        f"{FIRST_YEAR} is the first year of UU 14/2008 (in force 30 April 2010); "
        f"{LAST_YEAR} is the last year with cuti bersama data in holidays "
        f"{holidays.__version__}. For later years upgrade the pinned holidays "
        "package once it carries that year's SKB; extra_closed and extra_open "
        "correct days inside the known years only."
    )


def check_date(value: object, name: str = "start") -> date:
    """`value` as a date inside the known years, or a KipError saying why not."""
    # A datetime is a date subclass; its time and time zone would be dropped
    # silently, and which local day a receipt falls on is the caller's decision.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise KipError(
            f"{name} must be a datetime.date, not {type(value).__name__}; convert "
            "a datetime to the office's local date (WIB/WITA/WIT) with .date() first"
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise unknown_year_error(value.year)
    return value


def _check_days(days: object) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise KipError(f"days must be a whole number >= 0, not {days!r}")
    return days


@functools.lru_cache(maxsize=256)
def _validated(days: frozenset[object], name: str) -> frozenset[int]:
    ordinals = set()
    for day in days:
        if isinstance(day, datetime):
            raise KipError(f"{name} holds datetime {day!r}; pass dates or ordinals")
        if isinstance(day, date):
            ordinals.add(day.toordinal())
        elif isinstance(day, int) and not isinstance(day, bool) and day >= 1:
            ordinals.add(day)
        else:
            raise KipError(
                f"{name} must hold dates or date ordinals (date.toordinal()), "
                f"not {day!r}"
            )
    return frozenset(ordinals)


def as_ordinals(days: Iterable[date | int], name: str = "days") -> frozenset[int]:
    """Dates (or ordinals) as a frozenset of `date.toordinal()` values.

    Passing the result back as `extra_closed`/`extra_open` is the cheapest form: a
    frozenset is neither copied nor re-validated (both are cached).
    """
    if isinstance(days, str | bytes):
        raise KipError(f"{name} must be an iterable of dates, not {days!r}")
    if not isinstance(days, frozenset):
        days = frozenset(days)
    return _validated(days, name)


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """One configuration of the calendar, with every working day precomputed.

    Build it with `working_calendar()`, which caches one per configuration.
    """

    cuti_bersama_working: bool
    extra_closed: frozenset[int]
    extra_open: frozenset[int]
    # Sorted ordinals of every working day in the known years: counting is a bisect.
    days: tuple[int, ...] = field(repr=False)

    def add(self, start: date, days: int) -> date:
        """The `days`-th working day strictly after `start`; `start` for 0 days."""
        start, days = check_date(start), _check_days(days)
        if days == 0:
            return start
        index = bisect_right(self.days, start.toordinal()) + days - 1
        if index >= len(self.days):
            raise unknown_year_error(LAST_YEAR + 1)
        return date.fromordinal(self.days[index])

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        first, last = check_date(start).toordinal(), check_date(end, "end").toordinal()
        return bisect_right(self.days, last) - bisect_right(self.days, first)

    def is_working(self, day: date) -> bool:
        ordinal = check_date(day, "day").toordinal()
        index = bisect_left(self.days, ordinal)
        return index < len(self.days) and self.days[index] == ordinal

    def working(self, start: date, end: date) -> tuple[date, ...]:
        """The working days in (start, end], in order."""
        lo = bisect_right(self.days, check_date(start).toordinal())
        hi = bisect_right(self.days, check_date(end, "end").toordinal())
        return tuple(date.fromordinal(ordinal) for ordinal in self.days[lo:hi])

    def closed(self, start: date, end: date) -> tuple[ClosedDay, ...]:
        """The closed days in (start, end], each with its reasons."""
        first = check_date(start).toordinal() + 1
        return self._closed(first, check_date(end, "end").toordinal())

    def _closed(self, first: int, last: int) -> tuple[ClosedDay, ...]:
        found = (self.closure(date.fromordinal(o)) for o in range(first, last + 1))
        return tuple(day for day in found if day is not None)

    def closure(self, day: date) -> ClosedDay | None:
        """Why `day` is closed, or None when it is a working day."""
        ordinal = check_date(day, "day").toordinal()
        if ordinal in self.extra_open:
            return None
        found = _closures(ordinal, self.cuti_bersama_working, self.extra_closed)
        if not found:
            return None
        found.sort(key=lambda closure: _PRECEDENCE[closure.source])
        return ClosedDay(
            day=day,
            source=found[0].source,
            reason=Text(
                "; ".join(closure.name.id for closure in found),
                "; ".join(closure.name.en for closure in found),
            ),
            estimated=any(closure.estimated for closure in found),
        )


def _closures(
    ordinal: int, cuti_bersama_working: bool, extra_closed: frozenset[int]
) -> list[_Closure]:
    found = [
        closure
        for closure in _holiday_table().get(ordinal, ())
        if not (cuti_bersama_working and closure.source is Source.CUTI_BERSAMA)
    ]
    if ordinal in extra_closed:
        found.append(_Closure(Source.EXTRA_CLOSURE, _EXTRA_NAME))
    weekday = date.fromordinal(ordinal).weekday()
    if weekday in _WEEKEND_NAMES:
        found.append(_Closure(Source.WEEKEND, _WEEKEND_NAMES[weekday]))
    return found


@functools.lru_cache(maxsize=64)
def _build(
    cuti_bersama_working: bool, extra_closed: frozenset[int], extra_open: frozenset[int]
) -> WorkingCalendar:
    days = tuple(
        ordinal
        for ordinal in range(_FIRST, _LAST + 1)
        if ordinal in extra_open
        or not _closures(ordinal, cuti_bersama_working, extra_closed)
    )
    return WorkingCalendar(cuti_bersama_working, extra_closed, extra_open, days)


def working_calendar(
    *,
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> WorkingCalendar:
    """The cached calendar for one configuration.

    Extra days outside the known years are accepted and have no effect (a database
    may already hold next year's closures); a day both closed and opened is an error.
    """
    if not isinstance(cuti_bersama_working, bool):
        raise KipError(
            f"cuti_bersama_working must be True or False, not {cuti_bersama_working!r}"
        )
    closed = as_ordinals(extra_closed, "extra_closed")
    opened = as_ordinals(extra_open, "extra_open")
    if clash := closed & opened:
        days = ", ".join(sorted(date.fromordinal(o).isoformat() for o in clash))
        raise KipError(f"days both in extra_closed and extra_open: {days}")
    return _build(cuti_bersama_working, closed, opened)


# The module-level functions below are the public API; they take the configuration
# as keyword arguments and use the cached calendar for it.


def add_working_days(
    start: date,
    days: int,
    *,
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> date:
    """The `days`-th working day strictly after `start` (`start` itself for 0)."""
    return working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    ).add(start, days)


def working_days_between(
    start: date,
    end: date,
    *,
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> int:
    """Working days in (start, end], so `between(s, add(s, n)) == n`."""
    return working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    ).between(start, end)


def is_working_day(
    day: date,
    *,
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> bool:
    return working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    ).is_working(day)


def closed_days(
    year: int,
    *,
    cuti_bersama_working: bool = False,
    extra_closed: Iterable[date | int] = (),
    extra_open: Iterable[date | int] = (),
) -> tuple[ClosedDay, ...]:
    """Every closed day of `year`, in date order, with its reasons and source."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise KipError(f"year must be a whole number, not {year!r}")
    if year not in KNOWN_YEARS:
        raise unknown_year_error(year)
    calendar = working_calendar(
        cuti_bersama_working=cuti_bersama_working,
        extra_closed=extra_closed,
        extra_open=extra_open,
    )
    return calendar._closed(
        date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    )
