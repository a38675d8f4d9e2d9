"""The dashboard's filters: parsed from the query string, kept in every link.

Filters live in GET parameters so that a view can be bookmarked and shared. Parsing
never touches the database: the office id is checked against the user's scope by
the view (404 when out of scope), the course id against the known courses passed
in. A malformed value raises `FilterError` with one message per parameter, which
the view shows instead of failing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

STAFF_TYPES = ("pns", "pppk", "ppnpn")
INTERN_TYPES = ("magang", "pkl")
EMPLOYMENT_TYPES = STAFF_TYPES + INTERN_TYPES
EMPLOYMENT_CHOICES = [
    ("", _("Everyone")),
    ("staff", _("Staff (PNS, PPPK, PPNPN)")),
    ("intern", _("Interns (magang, PKL)")),
    ("pns", "PNS"),
    ("pppk", "PPPK"),
    ("ppnpn", "PPNPN"),
    ("magang", _("Magang (intern)")),
    ("pkl", _("PKL (vocational intern)")),
]
PERIOD_CHOICES = [
    ("4w", _("Last 4 weeks")),
    ("12w", _("Last 12 weeks")),
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("last_year", _("Last year")),
    ("custom", _("Custom dates")),
]
DEFAULT_PERIOD = "12w"
# Learner list only: which enrolments a number stands for.
STATUS_CHOICES = [
    ("", _("All enrolments")),
    ("completed", _("Completed")),
    ("open", _("Not completed")),
    ("overdue", _("Overdue")),
    ("enrolled_in_period", _("Enrolled in the period")),
    ("completed_in_period", _("Completed in the period")),
    ("certified_in_period", _("Certificate issued in the period")),
]
SOURCE_CHOICES = [
    ("", _("Assigned and self-enrolled")),
    ("assigned", _("Assigned")),
    ("self", _("Self-enrolled")),
]
FIELD_LABELS = {
    "office": _("Office"),
    "own": _("Own staff only"),
    "course": _("Course"),
    "employment": _("Employment type"),
    "status": _("Show"),
    "source": _("Source"),
    "q": _("Name, e-mail or NIP"),
    "page": _("Page"),
    "period": _("Period"),
    "from": _("From"),
    "to": _("To"),
}
MAX_SPAN_DAYS = 3 * 366
MAX_QUERY_LENGTH = 100


class FilterError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    @property
    def messages(self) -> list[tuple[str, str, str]]:
        """(parameter, its label, message) for the page that explains them."""
        return [(k, FIELD_LABELS.get(k, k), v) for k, v in self.errors.items()]


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def preset_range(
    preset: str, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    if preset == "4w":
        return week_start(today) - datetime.timedelta(weeks=3), today
    if preset == "month":
        return today.replace(day=1), today
    if preset == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if preset == "year":
        return today.replace(month=1, day=1), today
    if preset == "last_year":
        year = today.year - 1
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return week_start(today) - datetime.timedelta(weeks=11), today


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date
    date_to: datetime.date
    period: str = DEFAULT_PERIOD
    office_id: int | None = None
    own: bool = False  # only the office's own members, not the offices below
    course_id: int | None = None
    employment: str = ""
    status: str = ""
    source: str = ""
    q: str = ""
    page: int = 1
    # Names of the filters that are not defaults, for "clear" links.
    given: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def employment_types(self) -> tuple[str, ...] | None:
        """The employment types selected, or None for everyone."""
        if self.employment == "staff":
            return STAFF_TYPES
        if self.employment == "intern":
            return INTERN_TYPES
        return (self.employment,) if self.employment else None

    def params(self, **overrides) -> dict[str, str]:
        """The non-default filters as GET parameters (without the page)."""
        values = replace(self, **overrides) if overrides else self
        params: dict[str, str] = {}
        if values.office_id is not None:
            params["office"] = str(values.office_id)
            if values.own:
                params["own"] = "1"
        if values.course_id is not None:
            params["course"] = str(values.course_id)
        if values.employment:
            params["employment"] = values.employment
        if values.period == "custom":
            params["from"] = values.date_from.isoformat()
            params["to"] = values.date_to.isoformat()
        elif values.period != DEFAULT_PERIOD:
            params["period"] = values.period
        if values.status:
            params["status"] = values.status
        if values.source:
            params["source"] = values.source
        if values.q:
            params["q"] = values.q
        return params

    def query(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def period_params(self) -> dict[str, str]:
        """Only the period, in the form a list link needs to reproduce it."""
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}


def _one(params: Mapping, name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value).strip()


def _int(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise ValueError(value)
    return int(value)


def _date(value: str) -> datetime.date:
    if len(value) != 10:
        raise ValueError(value)
    return datetime.date.fromisoformat(value)


def parse_filters(
    params: Mapping,
    *,
    today: datetime.date,
    course_ids: set[int] | None = None,
) -> Filters:
    """Read the filters from GET parameters; raise FilterError naming each bad one."""
    errors: dict[str, str] = {}
    given: set[str] = set()
    values: dict = {}

    office = _one(params, "office")
    if office:
        given.add("office")
        try:
            values["office_id"] = _int(office)
        except ValueError:
            errors["office"] = _("The office must be chosen from the list.")
    own = _one(params, "own")
    if own not in ("", "0", "1"):
        errors["own"] = _("“own” must be 0 or 1.")
    values["own"] = own == "1" and "office_id" in values

    course = _one(params, "course")
    if course:
        given.add("course")
        try:
            values["course_id"] = _int(course)
        except ValueError:
            errors["course"] = _("The course must be chosen from the list.")
        else:
            if course_ids is not None and values["course_id"] not in course_ids:
                errors["course"] = _("There is no such course.")

    for name, choices in (
        ("employment", EMPLOYMENT_CHOICES),
        ("status", STATUS_CHOICES),
        ("source", SOURCE_CHOICES),
    ):
        value = _one(params, name)
        if value and value not in {key for key, _label in choices}:
            errors[name] = _("Choose a value from the list.")
        elif value:
            given.add(name)
            values[name] = value

    q = _one(params, "q")
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = _("The search text is too long (100 characters at most).")
    elif q:
        given.add("q")
        values["q"] = q

    page = _one(params, "page")
    if page:
        try:
            values["page"] = max(1, _int(page))
        except ValueError:
            errors["page"] = _("The page must be a number.")

    period = _one(params, "period") or DEFAULT_PERIOD
    if period not in {key for key, _label in PERIOD_CHOICES}:
        errors["period"] = _("Choose a period from the list.")
        period = DEFAULT_PERIOD
    raw_from, raw_to = _one(params, "from"), _one(params, "to")
    if raw_from or raw_to:
        # Dates typed in win over the preset: the form leaves them empty otherwise.
        period = "custom"
        date_from = date_to = None
        try:
            date_to = _date(raw_to) if raw_to else today
        except ValueError:
            errors["to"] = _("Enter the end date as YYYY-MM-DD.")
        try:
            date_from = (
                _date(raw_from)
                if raw_from
                else (date_to or today) - datetime.timedelta(weeks=12)
            )
        except ValueError:
            errors["from"] = _("Enter the start date as YYYY-MM-DD.")
        if date_from and date_to:
            if date_from > date_to:
                errors["from"] = _("The start date is after the end date.")
            elif (date_to - date_from).days > MAX_SPAN_DAYS:
                errors["from"] = _("Choose a period of three years at most.")
    elif period == "custom":
        errors["from"] = _("Enter a start or end date for a custom period.")
    else:
        date_from, date_to = preset_range(period, today)
    if period != DEFAULT_PERIOD:
        given.add("period")

    if errors:
        raise FilterError(errors)
    return Filters(
        date_from=date_from,
        date_to=date_to,
        period=period,
        given=frozenset(given),
        **values,
    )
