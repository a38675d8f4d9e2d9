"""The SQL that rebuilds the aggregate tables.

See docs/decisions/0004-dashboard-aggregates.md.

Two INSERT … SELECT statements, one per table. Each first groups the learner
records by the learner's own office ("leaf" rows), then joins the office→ancestor
pairs (every office with itself, its parent and its grandparent: the tree has three
levels) and groups again, so that every office gets the total of its subtree: the
regencies' rows sum into their province and the provinces' into KPU RI. Those rows
are then summed again at three coarser grains (all courses, all employment types,
both), marked by a NULL course and an empty employment type.

Only table names taken from the models' metadata are interpolated into the SQL
(hence the S608 exemptions); every value is a query parameter. Dates are local
(settings.TIME_ZONE), converted by the backend's own SQL.
"""

# Table names from model metadata are interpolated; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from courses.models import CourseCompletion, Enrolment
from lms.offices.models import Office

from .models import ActivityStat, CompletionStat


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _ancestors_sql() -> str:
    """(office_id, ancestor_id) for every office and each office above it, itself
    included. The tree has at most three levels, so two self-joins are enough."""
    office = _table(Office)
    return (
        f"SELECT id AS office_id, id AS ancestor_id FROM {office} "
        f"UNION ALL SELECT id, parent_id FROM {office} WHERE parent_id IS NOT NULL "
        f"UNION ALL SELECT o.id, p.parent_id FROM {office} o "
        f"JOIN {office} p ON p.id = o.parent_id WHERE p.parent_id IS NOT NULL"
    )


def _first_completion_sql() -> str:
    completion = _table(CourseCompletion)
    return (
        f"SELECT enrolment_id, MIN(completed_at) AS first_done FROM {completion} "
        "GROUP BY enrolment_id"
    )


def _learners_sql() -> tuple[str, str]:
    """FROM and WHERE for enrolments of active learners who belong to an office."""
    enrolment, user = (
        _table(Enrolment),
        _table(apps.get_model(settings.AUTH_USER_MODEL)),
    )
    return (
        f"{enrolment} e JOIN {user} u ON u.id = e.user_id",
        "u.is_active = %s AND u.office_id IS NOT NULL",
    )


def _local_date(column: str) -> tuple[str, tuple]:
    """SQL for the local calendar date (settings.TIME_ZONE) of a timestamp column."""
    return connection.ops.datetime_cast_date_sql(
        column, (), timezone.get_current_timezone_name()
    )


def _certificates_available() -> bool:
    if not apps.is_installed("certificates"):
        return False
    from certificates.models import Certificate

    return Certificate._meta.db_table in connection.introspection.table_names()


def _cube_insert(table: str, leaf: str, dims: list[str], measures: list[str]) -> str:
    """INSERT … SELECT of the subtree totals of `leaf`, at four grains.

    `leaf` has office_id, course_id, employment_type, `dims` and `measures`. Its
    rows are summed into every ancestor office (`full`), then `full` is summed
    again without the course, without the employment type, and without both
    (course NULL, employment type ''), so that a dashboard without a course or
    employment filter reads a few hundred rows, not a few hundred thousand.
    """
    keys = ", ".join(f"l.{d}" for d in dims)
    sums = ", ".join(f"SUM(l.{m}) AS {m}" for m in measures)
    full = (
        f"SELECT a.ancestor_id AS office_id, l.course_id, l.employment_type, {keys}, "
        f"{sums} FROM leaf l JOIN ({_ancestors_sql()}) a ON a.office_id = l.office_id "
        f"GROUP BY a.ancestor_id, l.course_id, l.employment_type, {keys}"
    )
    dim_list = ", ".join(f"f.{d}" for d in dims)
    total = ", ".join(f"SUM(f.{m})" for m in measures)
    coarser = [
        f"SELECT f.office_id, f.course_id, '', {dim_list}, {total} FROM full_grain f "
        f"GROUP BY f.office_id, f.course_id, {dim_list}",
        f"SELECT f.office_id, NULL, f.employment_type, {dim_list}, {total} "
        f"FROM full_grain f GROUP BY f.office_id, f.employment_type, {dim_list}",
        f"SELECT f.office_id, NULL, '', {dim_list}, {total} FROM full_grain f "
        f"GROUP BY f.office_id, {dim_list}",
    ]
    columns = ", ".join(["office_id", "course_id", "employment_type", *dims, *measures])
    # INSERT first, WITH inside: drivers count the rows of a statement that
    # starts with INSERT (Python's sqlite3 does not for one starting with WITH).
    return (
        f"INSERT INTO {table} ({columns}) "
        f"WITH leaf AS ({leaf}), full_grain AS ({full}) "
        "SELECT * FROM full_grain UNION ALL "
        + " UNION ALL ".join(coarser)
        # Stored office by office, so that one office's rows share a few pages.
        + " ORDER BY 1"
    )


def status_insert() -> tuple[str, list]:
    joins, where = _learners_sql()
    leaf = (
        "SELECT u.office_id AS office_id, e.course_id AS course_id, "
        "u.employment_type AS employment_type, e.source AS source, e.due_on AS due_on, "
        "COUNT(*) AS enrolled, COUNT(c.enrolment_id) AS completed "
        f"FROM {joins} LEFT JOIN ({_first_completion_sql()}) c "
        "ON c.enrolment_id = e.id "
        f"WHERE {where} GROUP BY u.office_id, e.course_id, u.employment_type, "
        "e.source, e.due_on"
    )
    sql = _cube_insert(
        _table(CompletionStat), leaf, ["source", "due_on"], ["enrolled", "completed"]
    )
    return sql, [True]


def activity_insert() -> tuple[str, list]:
    joins, where = _learners_sql()
    enrolled_day, enrolled_params = _local_date("e.enrolled_at")
    done_day, done_params = _local_date("c.first_done")
    parts = [
        f"SELECT u.office_id, e.course_id, u.employment_type, {enrolled_day} AS day, "
        f"1 AS enrolled, 0 AS completed, 0 AS certificates FROM {joins} WHERE {where}",
        f"SELECT u.office_id, e.course_id, u.employment_type, {done_day}, 0, 1, 0 "
        f"FROM {joins} JOIN ({_first_completion_sql()}) c ON c.enrolment_id = e.id "
        f"WHERE {where}",
    ]
    params: list = [*enrolled_params, True, *done_params, True]
    if _certificates_available():
        from certificates.models import Certificate

        user = _table(apps.get_model(settings.AUTH_USER_MODEL))
        parts.append(
            "SELECT u.office_id, k.course_id, u.employment_type, k.issued_on, 0, 0, 1 "
            f"FROM {_table(Certificate)} k JOIN {user} u ON u.id = k.user_id "
            "WHERE k.status = %s AND k.issued_on IS NOT NULL "
            "AND k.course_id IS NOT NULL AND u.is_active = %s "
            "AND u.office_id IS NOT NULL"
        )
        params += [Certificate.Status.ISSUED, True]
    events = " UNION ALL ".join(parts)
    leaf = (
        "SELECT office_id, course_id, employment_type, day, SUM(enrolled) AS enrolled, "
        "SUM(completed) AS completed, SUM(certificates) AS certificates "
        f"FROM ({events}) ev GROUP BY office_id, course_id, employment_type, day"
    )
    sql = _cube_insert(
        _table(ActivityStat), leaf, ["day"], ["enrolled", "completed", "certificates"]
    )
    return sql, params


def analyze_sql() -> list[str]:
    """Fresh planner statistics for the rebuilt tables (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return []
    return [f"ANALYZE {_table(CompletionStat)}, {_table(ActivityStat)}"]
