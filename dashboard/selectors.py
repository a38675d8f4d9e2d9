"""Reads for the coordinator pages, the exports, the reminder sweep and the digest.

The dashboard reads the aggregates (`CompletionStat`, `ActivityStat`), whose rows are
subtree totals: the focused office and its children are a handful of rows each, so
the page costs the same handful of queries for KPU RI as for one regency. The learner
list, the transcript and the exports read the learner records themselves, so they
are always current; each runs a fixed number of queries (a count and a page).

Definitions shared by the aggregates and the lists, so that a number and the list
behind it agree: an enrolment counts when its learner is active and belongs to an
office; it is *completed* when any of its attempts was completed, on the local date
of its first completion; *overdue* when it has a due date before today and is not
completed.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from courses.models import CourseAssignment, CourseCompletion, CoursePage, Enrolment
from lms.offices.models import CoordinatorScope
from lms.offices.permissions import offices_visible_to

from .filters import INTERN_TYPES, STAFF_TYPES, Filters, week_start
from .models import (
    ActivityStat,
    CompletionStat,
    DigestSubscription,
    ReminderSent,
    StatsState,
)

LEVEL_DEPTH = {"national": 0, "province": 1, "regency": 2, "city": 2}
EMPLOYMENT_LABELS = {
    "pns": "PNS",
    "pppk": "PPPK",
    "ppnpn": "PPNPN",
    "magang": "Magang",
    "pkl": "PKL",
}


def certificate_model():
    """The Certificate model when the certificates app is installed, else None."""
    if not apps.is_installed("certificates"):
        return None
    return apps.get_model("certificates", "Certificate")


def quiz_attempt_model():
    if not apps.is_installed("quizzes"):
        return None
    return apps.get_model("quizzes", "Attempt")


# Where scenario plays are stored (quizzes.practice); the first model found is used.
SCENARIO_PLAY_MODELS = (("practice", "ScenarioPlay"),)


def scenario_play_model():
    """Scenario plays, when the app that stores them is installed, else None."""
    for label, name in SCENARIO_PLAY_MODELS:
        try:
            return apps.get_model(label, name)
        except LookupError:
            continue
    return None


# --- Scope ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeOffice:
    pk: int
    code: str
    name: str
    level: str
    parent_id: int | None

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH.get(self.level, 2)


@dataclass
class Scope:
    """The active offices a user may coordinate, loaded once per request."""

    offices: dict[int, ScopeOffice]

    @property
    def roots(self) -> list[ScopeOffice]:
        return [o for o in self.offices.values() if o.parent_id not in self.offices]

    @property
    def is_empty(self) -> bool:
        return not self.offices

    def children(self, office: ScopeOffice | None) -> list[ScopeOffice]:
        if office is None:
            return self.roots
        return [o for o in self.offices.values() if o.parent_id == office.pk]

    def get_or_404(self, pk: int | None) -> ScopeOffice | None:
        """The office to focus on; None for "all my offices" when there are several
        roots. 404 for an office that is missing or out of scope, alike."""
        if pk is None:
            roots = self.roots
            return roots[0] if len(roots) == 1 else None
        office = self.offices.get(pk)
        if office is None:
            raise Http404
        return office

    def ancestors(self, office: ScopeOffice | None) -> list[ScopeOffice]:
        """The office's ancestors inside the scope, top first."""
        chain = []
        while office is not None and office.parent_id in self.offices:
            office = self.offices[office.parent_id]
            chain.append(office)
        return chain[::-1]

    def subtree_ids(self, office: ScopeOffice | None) -> list[int]:
        if office is None:
            return list(self.offices)
        ids = {office.pk}
        for _depth in range(2):
            ids |= {o.pk for o in self.offices.values() if o.parent_id in ids}
        return sorted(ids)

    def choices(self) -> list[tuple[int, str]]:
        """Every office for the filter's select, indented as a tree (code order)."""
        top = min((o.depth for o in self.offices.values()), default=0)
        return [
            (o.pk, "\u2003" * (o.depth - top) + o.name) for o in self.offices.values()
        ]


def scope_for(user) -> Scope:
    """One query: the active offices in the user's scope, in code order."""
    rows = (
        offices_visible_to(user)
        .filter(is_active=True)
        .order_by("code")
        .values_list("pk", "code", "name", "level", "parent_id")
    )
    return Scope({row[0]: ScopeOffice(*row) for row in rows})


def course_choices() -> list[tuple[int, str]]:
    """Every course (published or not: unpublished ones keep their records)."""
    return [
        (pk, title if live else _("%(title)s (unpublished)") % {"title": title})
        for pk, title, live in CoursePage.objects.order_by("title", "pk").values_list(
            "pk", "title", "live"
        )
    ]


def stats_state() -> StatsState | None:
    return StatsState.objects.filter(pk=1).first()


# --- Dashboard numbers ---------------------------------------------------------------


@dataclass
class Counts:
    enrolled: int = 0
    completed: int = 0
    assigned: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.enrolled - self.completed

    @property
    def rate(self) -> float | None:
        return 100 * self.completed / self.enrolled if self.enrolled else None

    @property
    def rate_label(self) -> str:
        """The completion rate as shown: "59 %", or "–" when nobody is enrolled."""
        rate = self.rate
        return "–" if rate is None else f"{rate:.0f} %"

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            *(
                getattr(self, f) + getattr(other, f)
                for f in ("enrolled", "completed", "assigned", "overdue")
            )
        )

    def __sub__(self, other: Counts) -> Counts:
        return Counts(
            *(
                max(getattr(self, f) - getattr(other, f), 0)
                for f in ("enrolled", "completed", "assigned", "overdue")
            )
        )


@dataclass
class Activity:
    enrolled: int = 0
    completed: int = 0
    certificates: int = 0

    def __add__(self, other: Activity) -> Activity:
        return Activity(
            self.enrolled + other.enrolled,
            self.completed + other.completed,
            self.certificates + other.certificates,
        )

    def __sub__(self, other: Activity) -> Activity:
        return Activity(
            max(self.enrolled - other.enrolled, 0),
            max(self.completed - other.completed, 0),
            max(self.certificates - other.certificates, 0),
        )


def _grain(filters: Filters, *, by_course: bool = False, by_type: bool = False) -> Q:
    """The aggregate rows that answer `filters`, optionally split by course or by
    employment type (see models: a NULL course and an empty type mean "all")."""
    course = by_course or filters.course_id is not None
    types = filters.employment_types
    q = Q(course_id__isnull=not course)
    q &= ~Q(employment_type="") if (by_type or types) else Q(employment_type="")
    if filters.course_id is not None:
        q &= Q(course_id=filters.course_id)
    if types:
        q &= Q(employment_type__in=types)
    return q


def _breakdown_grains(filters: Filters) -> Q:
    return (
        _grain(filters)
        | _grain(filters, by_course=True)
        | _grain(filters, by_type=True)
    )


def _row_grains(row: dict, filters: Filters) -> tuple[bool, bool, bool]:
    """Whether a breakdown row is (the filtered total, a per-course, a per-type) row."""
    has_course = filters.course_id is not None
    has_type = bool(filters.employment_types)
    row_course = row["course_id"] is not None
    row_type = row["employment_type"] != ""
    return (
        row_course == has_course and row_type == has_type,
        row_course and row_type == has_type,
        row_type and row_course == has_course,
    )


def _status_sums(today: datetime.date) -> dict:
    return {
        "n_enrolled": Sum("enrolled"),
        "n_completed": Sum("completed"),
        "n_assigned": Sum("enrolled", filter=Q(source=Enrolment.Source.ASSIGNED)),
        "n_overdue": Sum(F("enrolled") - F("completed"), filter=Q(due_on__lt=today)),
    }


def _counts(row: dict) -> Counts:
    return Counts(
        row["n_enrolled"] or 0,
        row["n_completed"] or 0,
        row["n_assigned"] or 0,
        row["n_overdue"] or 0,
    )


def _activity_sums() -> dict:
    return {
        "n_enrolled": Sum("enrolled"),
        "n_completed": Sum("completed"),
        "n_certificates": Sum("certificates"),
    }


def _activity(row: dict) -> Activity:
    return Activity(
        row["n_enrolled"] or 0, row["n_completed"] or 0, row["n_certificates"] or 0
    )


def status_by_office(
    office_ids: Iterable[int], *, filters: Filters, today: datetime.date
) -> dict[int, Counts]:
    """Subtree counts of each office, as of today. One query."""
    rows = (
        CompletionStat.objects.filter(office_id__in=list(office_ids))
        .filter(_grain(filters))
        .values("office_id")
        .annotate(**_status_sums(today))
        .order_by()
    )
    return {row["office_id"]: _counts(row) for row in rows}


def activity_by_office(
    office_ids: Iterable[int], *, filters: Filters
) -> dict[int, Activity]:
    """Subtree activity of each office in the period. One query."""
    rows = (
        ActivityStat.objects.filter(
            office_id__in=list(office_ids),
            day__gte=filters.date_from,
            day__lte=filters.date_to,
        )
        .filter(_grain(filters))
        .values("office_id")
        .annotate(**_activity_sums())
        .order_by()
    )
    return {row["office_id"]: _activity(row) for row in rows}


def _status_breakdown(office_ids, *, filters, today) -> list[dict]:
    """Counts per source (filtered total), per course and per employment type,
    over the given subtrees; tell them apart with _row_grains."""
    return list(
        CompletionStat.objects.filter(office_id__in=office_ids)
        .filter(_breakdown_grains(filters))
        .values("course_id", "employment_type", "source")
        .annotate(**_status_sums(today))
        .order_by()
    )


def _activity_breakdown(office_ids, *, filters) -> list[dict]:
    """Activity per week (filtered total), per course and per employment type in
    the period, over the subtrees; tell them apart with _row_grains."""
    return list(
        ActivityStat.objects.filter(
            office_id__in=office_ids,
            day__gte=filters.date_from,
            day__lte=filters.date_to,
        )
        .filter(_breakdown_grains(filters))
        .annotate(week=TruncWeek("day"))
        .values("week", "course_id", "employment_type")
        .annotate(**_activity_sums())
        .order_by()
    )


@functools.cache
def _learners_path() -> str:
    return reverse("dashboard:learners")


@dataclass
class Links:
    """Learner-list URLs behind each number of a row."""

    base: dict[str, str]

    def url(self, status: str = "", **extra) -> str:
        params = {**self.base, **{k: v for k, v in extra.items() if v}}
        if status:
            params["status"] = status
        return _learners_path() + ("?" + urlencode(params) if params else "")

    @property
    def enrolled(self) -> str:
        return self.url()

    @property
    def completed(self) -> str:
        return self.url("completed")

    @property
    def open(self) -> str:
        return self.url("open")

    @property
    def overdue(self) -> str:
        return self.url("overdue")

    @property
    def assigned(self) -> str:
        return self.url(source="assigned")

    @property
    def enrolled_in_period(self) -> str:
        return self.url("enrolled_in_period")

    @property
    def completed_in_period(self) -> str:
        return self.url("completed_in_period")

    @property
    def certified_in_period(self) -> str:
        return self.url("certified_in_period")


@dataclass
class Row:
    label: str
    counts: Counts
    activity: Activity
    links: Links | None  # None: the filters exclude the row, nothing to list
    kind: str = "child"  # "total", "own", "child"
    office: ScopeOffice | None = None
    drill_url: str | None = None


@dataclass
class WeekRow:
    week: datetime.date
    activity: Activity

    @property
    def week_end(self) -> datetime.date:
        return self.week + datetime.timedelta(days=6)


@dataclass
class Dashboard:
    scope: Scope
    focus: ScopeOffice | None
    filters: Filters
    total: Row
    offices: list[Row]
    courses: list[Row]
    employment: list[Row]
    groups: list[Row]
    sources: list[Row]
    weeks: list[WeekRow]
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def period_total(self) -> Activity:
        return self.total.activity

    @property
    def chart_rows(self) -> list[Row]:
        return [row for row in self.offices if row.counts.enrolled]


def _link_base(filters: Filters, **overrides) -> dict[str, str]:
    params = {}
    if filters.course_id is not None:
        params["course"] = str(filters.course_id)
    if filters.employment:
        params["employment"] = filters.employment
    params.update(filters.period_params())
    params.update({k: str(v) for k, v in overrides.items() if v not in (None, "")})
    return params


def dashboard_url(filters: Filters, **overrides) -> str:
    query = filters.query(**overrides)
    return reverse("dashboard:home") + (f"?{query}" if query else "")


def dashboard_for(
    *,
    scope: Scope,
    focus: ScopeOffice | None,
    filters: Filters,
    today: datetime.date,
    course_names: dict[int, str],
) -> Dashboard:
    """Everything the dashboard shows. Five queries, whatever the scope's size."""
    children = scope.children(focus)
    top_ids = [focus.pk] if focus else [o.pk for o in children]
    ids = sorted({*top_ids, *(o.pk for o in children)})
    status = status_by_office(ids, filters=filters, today=today)
    activity = activity_by_office(ids, filters=filters)
    breakdown = _status_breakdown(top_ids, filters=filters, today=today)
    weekly = _activity_breakdown(top_ids, filters=filters)

    def office_row(office: ScopeOffice, kind: str) -> Row:
        has_children = office.depth < 2 and kind == "child"
        return Row(
            label=office.name,
            counts=status.get(office.pk, Counts()),
            activity=activity.get(office.pk, Activity()),
            links=Links(_link_base(filters, office=office.pk)),
            kind=kind,
            office=office,
            drill_url=dashboard_url(filters, office_id=office.pk, own=False)
            if has_children
            else None,
        )

    rows = [office_row(o, "child") for o in children]
    if focus is not None:
        total = office_row(focus, "total")
    else:
        total = Row(
            label=_("All your offices"),
            counts=sum((r.counts for r in rows), Counts()),
            activity=sum((r.activity for r in rows), Activity()),
            links=Links(_link_base(filters)),
            kind="total",
        )
    if focus is not None and children:
        own = Row(
            label=_("%(office)s (own staff)") % {"office": focus.name},
            counts=total.counts - sum((r.counts for r in rows), Counts()),
            activity=total.activity - sum((r.activity for r in rows), Activity()),
            links=Links(_link_base(filters, office=focus.pk, own=1)),
            kind="own",
            office=focus,
        )
        rows.insert(0, own)

    office_base = {"office": focus.pk} if focus else {}
    by_course: dict[int, Counts] = defaultdict(Counts)
    by_type: dict[str, Counts] = defaultdict(Counts)
    by_source: dict[str, Counts] = defaultdict(Counts)
    for row in breakdown:
        counts = _counts(row)
        is_total, is_course, is_type = _row_grains(row, filters)
        if is_total:
            by_source[row["source"]] += counts
        if is_course:
            by_course[row["course_id"]] += counts
        if is_type:
            by_type[row["employment_type"]] += counts
    act_course: dict[int, Activity] = defaultdict(Activity)
    act_type: dict[str, Activity] = defaultdict(Activity)
    act_week: dict[datetime.date, Activity] = defaultdict(Activity)
    for row in weekly:
        value = _activity(row)
        is_total, is_course, is_type = _row_grains(row, filters)
        if is_course:
            act_course[row["course_id"]] += value
        if is_type:
            act_type[row["employment_type"]] += value
        if is_total:
            week = row["week"]
            if isinstance(week, datetime.datetime):
                week = week.date()
            act_week[week] += value

    course_rows = [
        Row(
            label=course_names.get(pk, str(pk)),
            counts=counts,
            activity=act_course.get(pk, Activity()),
            links=Links(_link_base(filters, **office_base, course=pk)),
        )
        for pk, counts in by_course.items()
    ]
    course_rows.sort(key=lambda r: r.label.lower())
    type_rows = [
        Row(
            label=EMPLOYMENT_LABELS.get(code, code),
            counts=by_type[code],
            activity=act_type.get(code, Activity()),
            links=Links(_link_base(filters, **office_base, employment=code)),
        )
        for code in EMPLOYMENT_LABELS
        if code in by_type or code in act_type
    ]
    groups = []
    for code, label, members in (
        ("staff", _("Staff (PNS, PPPK, PPNPN)"), STAFF_TYPES),
        ("intern", _("Interns (magang, PKL)"), INTERN_TYPES),
    ):
        # Within the employment filter, the group's list is the narrower of the
        # two; a group the filter excludes has nothing to list.
        selected = filters.employment_types
        if selected is None or set(members) <= set(selected):
            employment = code
        elif set(selected) <= set(members):
            employment = filters.employment
        else:
            employment = None
        groups.append(
            Row(
                label=label,
                counts=sum((by_type.get(m, Counts()) for m in members), Counts()),
                activity=sum(
                    (act_type.get(m, Activity()) for m in members), Activity()
                ),
                links=Links(_link_base(filters, **office_base, employment=employment))
                if employment
                else None,
            )
        )
    source_rows = [
        Row(
            label=str(label),
            counts=by_source.get(code, Counts()),
            activity=Activity(),
            links=Links(_link_base(filters, **office_base, source=code)),
        )
        for code, label in Enrolment.Source.choices
    ]
    first = week_start(filters.date_from)
    weeks = []
    day = first
    while day <= filters.date_to:
        weeks.append(WeekRow(day, act_week.get(day, Activity())))
        day += datetime.timedelta(weeks=1)

    crumbs = []
    roots = scope.roots
    if len(roots) > 1:
        crumbs.append((_("All your offices"), dashboard_url(filters, office_id=None)))
    for office in [*scope.ancestors(focus), *([focus] if focus else [])]:
        crumbs.append(
            (office.name, dashboard_url(filters, office_id=office.pk, own=False))
        )
    return Dashboard(
        scope=scope,
        focus=focus,
        filters=filters,
        total=total,
        offices=rows,
        courses=course_rows,
        employment=type_rows,
        groups=groups,
        sources=source_rows,
        weeks=weeks,
        breadcrumbs=crumbs,
    )


@dataclass
class OfficeExportRow:
    office: ScopeOffice
    parent_name: str
    counts: Counts
    activity: Activity


def office_table(
    *, scope: Scope, focus: ScopeOffice | None, filters: Filters, today: datetime.date
) -> list[OfficeExportRow]:
    """Every office of the focused subtree with its subtree totals. Two queries."""
    ids = scope.subtree_ids(focus)
    status = status_by_office(ids, filters=filters, today=today)
    activity = activity_by_office(ids, filters=filters)
    return [
        OfficeExportRow(
            office=scope.offices[pk],
            parent_name=scope.offices[scope.offices[pk].parent_id].name
            if scope.offices[pk].parent_id in scope.offices
            else "",
            counts=status.get(pk, Counts()),
            activity=activity.get(pk, Activity()),
        )
        for pk in ids
    ]


# --- Learner list -------------------------------------------------------------------


def _first_completion(field_name: str):
    return Subquery(
        CourseCompletion.objects.filter(enrolment=OuterRef("pk"))
        .order_by("completed_at", "pk")
        .values(field_name)[:1]
    )


def _has_completion():
    return Exists(CourseCompletion.objects.filter(enrolment=OuterRef("pk")))


def enrolments_for(
    *,
    scope: Scope,
    focus: ScopeOffice | None,
    filters: Filters,
    today: datetime.date,
) -> QuerySet[Enrolment]:
    """Enrolments behind a dashboard number, with what a list row shows.

    Annotated: `first_completed_at` and `first_score` (the first completed attempt).
    """
    if focus is not None and filters.own:
        office_q = Q(user__office_id=focus.pk)
    else:
        office_q = Q(user__office_id__in=scope.subtree_ids(focus))
    qs = Enrolment.objects.filter(office_q, user__is_active=True)
    if filters.course_id is not None:
        qs = qs.filter(course_id=filters.course_id)
    if filters.employment_types:
        qs = qs.filter(user__employment_type__in=filters.employment_types)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.q:
        qs = qs.filter(
            Q(user__full_name__icontains=filters.q)
            | Q(user__email__icontains=filters.q)
            | Q(user__nip=filters.q)
        )
    qs = qs.annotate(
        first_completed_at=_first_completion("completed_at"),
        first_score=_first_completion("score"),
    )
    status = filters.status
    if status == "completed":
        qs = qs.filter(_has_completion())
    elif status == "open":
        qs = qs.filter(~_has_completion())
    elif status == "overdue":
        qs = qs.filter(~_has_completion(), due_on__lt=today)
    elif status == "enrolled_in_period":
        qs = qs.filter(
            enrolled_at__date__gte=filters.date_from,
            enrolled_at__date__lte=filters.date_to,
        )
    elif status == "completed_in_period":
        qs = qs.filter(
            first_completed_at__date__gte=filters.date_from,
            first_completed_at__date__lte=filters.date_to,
        )
    elif status == "certified_in_period":
        certificate = certificate_model()
        if certificate is None:
            return qs.none()
        qs = qs.filter(
            Exists(
                certificate.objects.filter(
                    completion__enrolment=OuterRef("pk"),
                    status=certificate.Status.ISSUED,
                    issued_on__gte=filters.date_from,
                    issued_on__lte=filters.date_to,
                )
            )
        )
    return qs.select_related("user", "user__office", "course").order_by(
        "user__full_name", "user_id", "course_id"
    )


EXPORT_FIELDS = (
    "user__full_name",
    "user__email",
    "user__nip",
    "user__employment_type",
    "user__office__code",
    "user__office__name",
    "course__title",
    "source",
    "enrolled_at",
    "due_on",
    "attempt",
    "first_completed_at",
    "first_score",
)


def enrolment_export_rows(qs: QuerySet[Enrolment]) -> Iterable[tuple]:
    """The list's rows as plain tuples, fetched in chunks. One query."""
    return qs.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000)


# --- Transcript -----------------------------------------------------------------------


def transcript_enrolments(learner) -> list[Enrolment]:
    """Every course of the learner with all completed attempts. Two queries."""
    from django.db.models import Prefetch

    return list(
        Enrolment.objects.filter(user=learner)
        .select_related("course", "assignment")
        .annotate(first_completed_at=_first_completion("completed_at"))
        .prefetch_related(
            Prefetch(
                "completions",
                queryset=CourseCompletion.objects.order_by("attempt", "completed_at"),
            )
        )
        .order_by("course__title", "pk")
    )


def transcript_quiz_attempts(learner) -> list | None:
    model = quiz_attempt_model()
    if model is None:
        return None
    return list(
        model.objects.filter(user=learner)
        .select_related("quiz")
        .order_by("-started_at", "-pk")
    )


def transcript_scenario_plays(learner) -> list | None:
    model = scenario_play_model()
    if model is None:
        return None
    return list(
        model.objects.filter(user=learner)
        .select_related("page")
        .order_by("-started_at", "-pk")
    )


def transcript_certificates(learner) -> list | None:
    model = certificate_model()
    if model is None:
        return None
    return list(
        model.objects.filter(user=learner)
        .exclude(status=model.Status.PENDING)
        .order_by("-issued_at", "-pk")
    )


# Sections of a transcript, in page order. A section whose app is missing returns
# None and is left out: adding an app means adding one function here.
TRANSCRIPT_SECTIONS = (
    ("courses", transcript_enrolments),
    ("quiz_attempts", transcript_quiz_attempts),
    ("scenario_plays", transcript_scenario_plays),
    ("certificates", transcript_certificates),
)


def transcript_for(learner) -> dict[str, list | None]:
    return {name: reader(learner) for name, reader in TRANSCRIPT_SECTIONS}


# --- Reminders and digests ---------------------------------------------------------

DUE_WINDOW_DAYS = 7
# A first deployment must not mail everyone who was ever late: overdue reminders
# cover due dates in the last 30 days only.
OVERDUE_WINDOW_DAYS = 30
INTERN_HORIZON_DAYS = 14


def enrolment_completed(enrolment: Enrolment) -> bool:
    return CourseCompletion.objects.filter(enrolment=enrolment).exists()


def due_reminder_candidates(
    *, today: datetime.date
) -> list[tuple[int, str, datetime.date]]:
    """(enrolment id, kind, due date) of every reminder due today and not yet sent.

    One query. The kind follows the days left: 4–7 → due_7, 2–3 → due_3, 0–1 →
    due_1, past → overdue; a sweep that missed a day still sends the right one.
    """
    from django.db.models import Case, CharField, Value, When

    kind = Case(
        When(due_on__lt=today, then=Value(ReminderSent.Kind.OVERDUE)),
        When(
            due_on__lte=today + datetime.timedelta(days=1),
            then=Value(ReminderSent.Kind.DUE_1),
        ),
        When(
            due_on__lte=today + datetime.timedelta(days=3),
            then=Value(ReminderSent.Kind.DUE_3),
        ),
        default=Value(ReminderSent.Kind.DUE_7),
        output_field=CharField(),
    )
    sent = ReminderSent.objects.filter(
        enrolment=OuterRef("pk"),
        kind=OuterRef("reminder_kind"),
        due_on=OuterRef("due_on"),
    )
    return list(
        Enrolment.objects.filter(
            source=Enrolment.Source.ASSIGNED,
            due_on__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
            due_on__lte=today + datetime.timedelta(days=DUE_WINDOW_DAYS),
            user__is_active=True,
            course__live=True,
        )
        .exclude(_has_completion())
        .annotate(reminder_kind=kind)
        .exclude(Exists(sent))
        .order_by("pk")
        .values_list("pk", "reminder_kind", "due_on")
    )


def _open_assigned(user_ref) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        user=user_ref, source=Enrolment.Source.ASSIGNED, course__live=True
    ).exclude(_has_completion())


def intern_reminder_candidates(
    *, today: datetime.date
) -> list[tuple[int, datetime.date]]:
    """(user id, internship end) of interns whose internship ends within two weeks
    while assigned courses are still open, not yet reminded. One query."""
    sent = ReminderSent.objects.filter(
        recipient=OuterRef("pk"),
        kind=ReminderSent.Kind.INTERN_END,
        due_on=OuterRef("intern_end"),
        enrolment__isnull=True,
    )
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            employment_type__in=INTERN_TYPES,
            intern_end__gte=today,
            intern_end__lte=today + datetime.timedelta(days=INTERN_HORIZON_DAYS),
        )
        .filter(Exists(_open_assigned(OuterRef("pk"))))
        .exclude(Exists(sent))
        .order_by("pk")
        .values_list("pk", "intern_end")
    )


def open_assigned_enrolments(user) -> list[Enrolment]:
    return list(_open_assigned(user).select_related("course").order_by("due_on", "pk"))


def user_for_unsubscribe(user_id: int | None):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def digest_wanted(user) -> bool:
    return not DigestSubscription.objects.filter(user=user, active=False).exists()


def digest_recipient_ids(*, week_start: datetime.date) -> list[int]:
    """Active coordinators who want the digest and have not had this week's.

    One query."""
    opted_out = DigestSubscription.objects.filter(user=OuterRef("pk"), active=False)
    sent = ReminderSent.objects.filter(
        recipient=OuterRef("pk"),
        kind=ReminderSent.Kind.DIGEST,
        due_on=week_start,
        enrolment__isnull=True,
    )
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=CoordinatorScope.objects.values("user_id"),
        )
        .exclude(Exists(opted_out))
        .exclude(Exists(sent))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class DigestOffice:
    name: str
    counts: Counts
    activity: Activity


@dataclass
class Digest:
    week_start: datetime.date
    week_end: datetime.date
    scope_label: str
    activity: Activity
    counts: Counts
    newly_overdue: int
    offices: list[DigestOffice]
    assignments_due: int

    @property
    def is_empty(self) -> bool:
        return not (
            self.activity.enrolled
            or self.activity.completed
            or self.activity.certificates
            or self.counts.overdue
        )


def digest_for(
    *, user, week_start: datetime.date, today: datetime.date
) -> Digest | None:
    """What changed in the week from `week_start` in the user's offices."""
    scope = scope_for(user)
    if scope.is_empty:
        return None
    week_end = week_start + datetime.timedelta(days=6)
    filters = Filters(date_from=week_start, date_to=week_end, period="custom")
    roots = scope.roots
    root_ids = [o.pk for o in roots]
    focus = roots[0] if len(roots) == 1 else None
    children = scope.children(focus)
    ids = sorted({*root_ids, *(o.pk for o in children)})
    status = status_by_office(ids, filters=filters, today=today)
    activity = activity_by_office(ids, filters=filters)
    newly_overdue = (
        CompletionStat.objects.filter(
            office_id__in=root_ids,
            course_id__isnull=True,
            employment_type="",
            due_on__gte=week_start,
            due_on__lte=week_end,
            due_on__lt=today,
        ).aggregate(n=Sum(F("enrolled") - F("completed")))["n"]
        or 0
    )
    assignments_due = CourseAssignment.objects.filter(
        office_id__in=scope.subtree_ids(None),
        due_on__gt=today,
        due_on__lte=today + datetime.timedelta(days=DUE_WINDOW_DAYS),
    ).count()
    offices = sorted(
        (
            DigestOffice(
                o.name, status.get(o.pk, Counts()), activity.get(o.pk, Activity())
            )
            for o in children
            if o.pk in status or o.pk in activity
        ),
        key=lambda d: (-d.counts.overdue, -d.activity.completed, d.name),
    )[:10]
    return Digest(
        week_start=week_start,
        week_end=week_end,
        scope_label=focus.name if focus else ", ".join(o.name for o in roots),
        activity=sum((activity.get(pk, Activity()) for pk in root_ids), Activity()),
        counts=sum((status.get(pk, Counts()) for pk in root_ids), Counts()),
        newly_overdue=newly_overdue,
        offices=offices,
        assignments_due=assignments_due,
    )


def learner_sent_reminders(learner) -> list[ReminderSent]:
    return list(
        ReminderSent.objects.filter(recipient=learner)
        .exclude(kind=ReminderSent.Kind.DIGEST)
        .order_by("-sent_at")[:20]
    )
