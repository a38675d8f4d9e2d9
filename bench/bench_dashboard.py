"""Coordinator dashboard at the scale of the whole KPU, beside the raw SQL floor.

Run against a PostgreSQL database filled by `manage.py bench_seed` (see
bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_dash_bench \\
        .venv/bin/python bench/bench_dashboard.py --runs 25

In one process and one run it measures, warm, the median and 90th percentile of:
- the national dashboard (/koordinator/, an administrator) and a provincial one
  (the coordinator of the province with the most learners), server time through
  the Django test client: middleware, session, queries, template;
- the single raw SQL statement that computes the same numbers from the learner
  records (enrolments ⋈ users ⋈ offices ⋈ first completions, GROUPING SETS), which
  is what the page would cost without the aggregate tables;
- the same numbers in raw SQL over the aggregate tables (the floor the page builds
  on);
and, once, a full rebuild of the aggregates. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "False")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import Enrolment  # noqa: E402
from dashboard.filters import parse_filters  # noqa: E402
from dashboard.services import stats_refresh  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.offices.models import CoordinatorScope, Office  # noqa: E402

BASE_SQL = """
WITH fc AS (
    SELECT enrolment_id, MIN(completed_at) AS first_done
    FROM courses_coursecompletion GROUP BY enrolment_id
), base AS (
    SELECT {child} AS child, e.course_id, u.employment_type, e.source,
           fc.first_done IS NOT NULL AS done,
           fc.first_done IS NULL AND e.due_on < %(today)s AS overdue,
           (fc.first_done AT TIME ZONE %(tz)s)::date AS done_day,
           (e.enrolled_at AT TIME ZONE %(tz)s)::date AS enrolled_day
    FROM courses_enrolment e
    JOIN accounts_user u ON u.id = e.user_id AND u.is_active AND u.office_id IS NOT NULL
    JOIN offices_office o ON o.id = u.office_id
    LEFT JOIN offices_office p ON p.id = o.parent_id
    LEFT JOIN fc ON fc.enrolment_id = e.id
    WHERE {where}
)
SELECT child, course_id, employment_type, source,
       date_trunc('week', done_day) AS week,
       COUNT(*) AS enrolled,
       COUNT(*) FILTER (WHERE done) AS completed,
       COUNT(*) FILTER (WHERE overdue) AS overdue,
       COUNT(*) FILTER (WHERE done_day BETWEEN %(start)s AND %(end)s) AS done,
       COUNT(*) FILTER (WHERE enrolled_day BETWEEN %(start)s AND %(end)s) AS new,
       (SELECT COUNT(*) FROM certificates_certificate k
          JOIN accounts_user ku ON ku.id = k.user_id AND ku.is_active
          JOIN offices_office ko ON ko.id = ku.office_id
          LEFT JOIN offices_office kp ON kp.id = ko.parent_id
          WHERE k.status = 'issued' AND k.issued_on BETWEEN %(start)s AND %(end)s
            AND {cert_where}) AS certificates
FROM base
GROUP BY GROUPING SETS ((child), (course_id), (employment_type), (source), (week), ())
"""

ROLLUP_SQL = """
SELECT office_id, NULL::bigint, '', '', SUM(enrolled), SUM(completed),
       SUM(enrolled - completed) FILTER (WHERE due_on < %(today)s)
FROM dashboard_completionstat
WHERE office_id = ANY(%(ids)s) AND course_id IS NULL AND employment_type = ''
GROUP BY office_id
UNION ALL
SELECT NULL, course_id, employment_type, source, SUM(enrolled), SUM(completed),
       SUM(enrolled - completed) FILTER (WHERE due_on < %(today)s)
FROM dashboard_completionstat
WHERE office_id = %(focus)s
  AND (course_id IS NULL OR employment_type = '')
GROUP BY course_id, employment_type, source
UNION ALL
SELECT office_id, NULL, '', '', SUM(enrolled), SUM(completed), SUM(certificates)
FROM dashboard_activitystat
WHERE office_id = ANY(%(ids)s) AND course_id IS NULL AND employment_type = ''
  AND day BETWEEN %(start)s AND %(end)s
GROUP BY office_id
UNION ALL
SELECT NULL, course_id, employment_type, date_trunc('week', day)::date::text,
       SUM(enrolled), SUM(completed), SUM(certificates)
FROM dashboard_activitystat
WHERE office_id = %(focus)s AND (course_id IS NULL OR employment_type = '')
  AND day BETWEEN %(start)s AND %(end)s
GROUP BY course_id, employment_type, date_trunc('week', day)
"""


def raw_base(focus: Office) -> tuple[str, str, str]:
    """SQL pieces: the child of `focus` a learner's office rolls up into; the
    subtree filter, for enrolments and for certificates."""
    if focus.parent_id is None:
        child = (
            "CASE WHEN o.parent_id IS NULL THEN NULL "
            "WHEN p.parent_id IS NULL THEN o.id ELSE o.parent_id END"
        )
        return child, "TRUE", "TRUE"
    child = f"CASE WHEN o.id = {focus.pk} THEN NULL ELSE o.id END"
    where = f"(o.id = {focus.pk} OR o.parent_id = {focus.pk})"
    return child, where, where.replace("o.", "ko.")


def timed(fn, runs: int) -> list[float]:
    fn()
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def bench_user(email: str, *, superuser: bool = False, office=None, scope=None) -> User:
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": "SYNTHETIC bench account",
            "is_superuser": superuser,
            "is_staff": superuser,
            "office": office,
            "password": "!",  # unusable: the bench signs in with force_login
        },
    )
    if scope is not None:
        CoordinatorScope.objects.get_or_create(user=user, office=scope)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--skip-refresh", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL=postgres://…).")
    learners = User.objects.filter(email__endswith="@synthetic.invalid").count()
    enrolments = Enrolment.objects.count()
    national = Office.objects.get(parent__isnull=True)
    province = max(
        Office.objects.filter(level=Office.Level.PROVINCE),
        key=lambda o: User.objects.filter(office__in=Office.objects.subtree(o)).count(),
    )
    admin = bench_user("bench-admin@synthetic.invalid", superuser=True, office=national)
    coordinator = bench_user(
        "bench-koordinator@synthetic.invalid", office=province, scope=province
    )
    today = timezone.localdate()
    filters = parse_filters({}, today=today)
    print(f"# Dashboard bench — {timezone.localtime():%Y-%m-%d %H:%M}")
    print(
        f"{learners:,} synthetic learners, {enrolments:,} enrolments; "
        f"province: {province.name}; period {filters.date_from} – {filters.date_to}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if not args.skip_refresh:
        start = time.perf_counter()
        state = stats_refresh(now=timezone.now())
        print(
            f"Full rebuild of the aggregates: {time.perf_counter() - start:.1f} s "
            f"({state.status_rows:,} + {state.activity_rows:,} rows)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dashboard_completionstat, dashboard_activitystat")

    rows = []
    for label, user, focus in (
        ("national (KPU RI, administrator)", admin, national),
        (f"provincial ({province.name})", coordinator, province),
    ):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)

        def page(client=client):
            response = client.get("/koordinator/")
            assert response.status_code == 200, response.status_code

        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            page()
        cpu_start = time.process_time()
        page_ms = timed(page, args.runs)
        cpu_ms = (time.process_time() - cpu_start) * 1000 / (args.runs + 2)
        child, where, cert_where = raw_base(focus)
        sql = BASE_SQL.format(child=child, where=where, cert_where=cert_where)
        params = {
            "today": today,
            "tz": "Asia/Jakarta",
            "start": filters.date_from,
            "end": filters.date_to,
        }

        def raw(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        raw_ms = timed(raw, max(5, args.runs // 3))
        ids = [
            focus.pk,
            *Office.objects.filter(parent=focus).values_list("pk", flat=True),
        ]

        def floor(ids=ids, params=params):
            with connection.cursor() as cursor:
                cursor.execute(ROLLUP_SQL, {**params, "ids": ids, "focus": ids[0]})
                cursor.fetchall()

        floor_ms = timed(floor, args.runs)
        rows.append((label, page_ms, cpu_ms, len(executed), raw_ms, floor_ms))

    print()
    print(
        "| view | page, median | page, p90 | page, CPU of this process | queries "
        "| raw SQL on the records, median | page / raw | raw SQL on the aggregates, "
        "median |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, page_ms, cpu_ms, queries, raw_ms, floor_ms in rows:
        page_median, raw_median = statistics.median(page_ms), statistics.median(raw_ms)
        print(
            f"| {label} | {page_median:.1f} ms | {p90(page_ms):.1f} ms | "
            f"{cpu_ms:.1f} ms | {queries} | {raw_median:.1f} ms | "
            f"{page_median / raw_median:.2f} | {statistics.median(floor_ms):.1f} ms |"
        )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
