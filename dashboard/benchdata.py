"""Synthetic learner records at the scale of the whole KPU, for benchmarks.

Used by `manage.py bench_seed`. Everything written here is marked as synthetic:
e-mail addresses end in @synthetic.invalid (a reserved domain: nothing is ever
delivered), names and titles start with SYNTHETIC. Rows are written with
bulk_create in batches, one batch of learners at a time, so memory stays flat and
50,000 learners × 20 courses take a few minutes on PostgreSQL.

Shape (deterministic for a given seed): learners spread over every active office
(regencies and cities get most, as in KPU); 55 % PNS, 20 % PPPK, 10 % PPNPN, 10 %
magang, 5 % PKL. The first quarter of the courses are assigned nationally (with
include_suboffices) with due dates from months ago to weeks ahead; each learner
also self-enrols in a fifth of the others. About 60 % of enrolments are completed,
on a date after enrolment; each completion has a passed quiz attempt and an issued
certificate when those apps are installed.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from courses.models import (
    CourseAssignment,
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
)
from lms.offices.models import Office
from lms.offices.services import offices_load

from .selectors import certificate_model, quiz_attempt_model

DOMAIN = "synthetic.invalid"
MARK = "SYNTHETIC"
TYPES = [("pns", 55), ("pppk", 20), ("ppnpn", 10), ("magang", 10), ("pkl", 5)]
LEVEL_WEIGHT = {"national": 40, "province": 12, "regency": 9, "city": 9}


@dataclass
class SeedReport:
    learners: int = 0
    courses_created: int = 0
    assignments: int = 0
    enrolments: int = 0
    completions: int = 0
    attempts: int = 0
    certificates: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def _bulk(model, objs: list, *, batch: int, need_ids: bool = False) -> list:
    """Insert `objs`: bulk_create in batches, or COPY on PostgreSQL (several times
    faster at this size). The COPY path takes its columns and values from the
    model's own fields (defaults and auto_now_add included), so it follows model
    changes; `need_ids` reserves primary keys first for rows that others point at.
    """
    if connection.vendor != "postgresql" or not objs:
        return model.objects.bulk_create(objs, batch_size=batch)
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if need_ids or not f.primary_key]
    with connection.cursor() as cursor:
        if need_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s)",
                [table, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        quoted = connection.ops.quote_name(table)
        with cursor.cursor.copy(f"COPY {quoted} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        f.get_db_prep_save(f.pre_save(obj, True), connection)
                        for f in fields
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def synthetic_users():
    return get_user_model().objects.filter(email__endswith=f"@{DOMAIN}")


def _courses(count: int, report: SeedReport) -> list[CoursePage]:
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        raise RuntimeError("There is no course catalogue page: run migrate first.")
    existing = list(CoursePage.objects.live().order_by("path")[:count])
    for number in range(len(existing) + 1, count + 1):
        page = CoursePage(
            title=f"{MARK} Kursus {number:02d}",
            slug=f"synthetic-kursus-{number:02d}",
            summary=f"{MARK}: a course page made by bench_seed.",
            objectives=f"{MARK} objective",
            regulations="UU 14/2008",
            hours=2,
            passing_score=70,
            live=True,
        )
        CourseIndexPage.objects.get(pk=catalogue.pk).add_child(instance=page)
        existing.append(page)
        report.courses_created += 1
    return existing


def _quizzes(courses: list[CoursePage]) -> dict[int, int]:
    """course id → quiz page id, adding a synthetic quiz to courses without one."""
    attempt = quiz_attempt_model()
    if attempt is None:
        return {}
    from quizzes.models import QuizPage

    quizzes: dict[int, int] = {}
    for course in courses:
        quiz = QuizPage.objects.descendant_of(course).order_by("path").first()
        if quiz is None:
            quiz = QuizPage(title=f"{MARK} Kuis", slug="synthetic-kuis", live=True)
            CoursePage.objects.get(pk=course.pk).add_child(instance=quiz)
        quizzes[course.pk] = quiz.pk
    return quizzes


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed(
    *,
    learners: int,
    courses: int,
    seed: int = 2026,
    batch: int = 5000,
    now: datetime.datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not secrets
    report = SeedReport()
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A benchmark database: a crash may lose the last batches, no more.
            cursor.execute("SET synchronous_commit TO off")
    if Office.objects.filter(is_active=True).count() < 553:
        offices_load()
    offices = list(
        Office.objects.filter(is_active=True).values_list("pk", "level", "code")
    )
    office_weights = [(pk, LEVEL_WEIGHT.get(level, 9)) for pk, level, _code in offices]
    course_pages = _courses(courses, report)
    quizzes = _quizzes(course_pages)
    report.seconds["setup"] = time.monotonic() - started

    national = Office.objects.filter(parent__isnull=True).order_by("code").first()
    assigned_count = max(1, len(course_pages) // 4)
    assignments = []
    for index, course in enumerate(course_pages[:assigned_count]):
        created = now - datetime.timedelta(days=270 - 60 * index)
        due = (created + datetime.timedelta(days=90)).date()
        assignment, _ = CourseAssignment.objects.get_or_create(
            course=course,
            office=national,
            employment_type="",
            include_suboffices=True,
            defaults={"due_on": due, "created_at": created},
        )
        assignments.append(assignment)
    report.assignments = len(assignments)
    self_courses = course_pages[assigned_count:]

    Certificate = certificate_model()
    Attempt = quiz_attempt_model()
    serials: dict[tuple[int, int], int] = defaultdict(int)
    if Certificate is not None:
        from certificates import codes

        for office_id, year, last in (
            Certificate.objects.filter(serial__isnull=False)
            .values("office_id", "year")
            .annotate(last=Max("serial"))
            .values_list("office_id", "year", "last")
            .order_by()
        ):
            serials[(office_id, year)] = last
    office_names = dict(Office.objects.values_list("pk", "name"))
    titles = {c.pk: c.title for c in course_pages}
    first_number = synthetic_users().count() + 1
    User = get_user_model()

    for start in range(0, learners, batch):
        size = min(batch, learners - start)
        tick = time.monotonic()
        users = []
        for offset in range(size):
            number = first_number + start + offset
            kind = _weighted(rng, TYPES)
            intern = kind in ("magang", "pkl")
            begin = (now - datetime.timedelta(days=rng.randint(10, 170))).date()
            users.append(
                User(
                    email=f"peserta{number:06d}@{DOMAIN}",
                    full_name=f"{MARK} Peserta {number:06d}",
                    office_id=_weighted(rng, office_weights),
                    employment_type=kind,
                    intern_start=begin if intern else None,
                    intern_end=begin + datetime.timedelta(days=180) if intern else None,
                    password=UNUSABLE_PASSWORD_PREFIX,  # nobody signs in as them
                    is_active=True,
                )
            )
        with transaction.atomic():
            users = _bulk(User, users, batch=batch, need_ids=True)
        report.seconds["users"] += time.monotonic() - tick

        tick = time.monotonic()
        enrolments = []
        for user in users:
            for assignment in assignments:
                enrolled = assignment.created_at + datetime.timedelta(
                    minutes=rng.randint(0, 600)
                )
                enrolments.append(
                    Enrolment(
                        user_id=user.pk,
                        course_id=assignment.course_id,
                        source=Enrolment.Source.ASSIGNED,
                        assignment=assignment,
                        due_on=assignment.due_on,
                        enrolled_at=enrolled,
                        attempt_started_at=enrolled,
                    )
                )
            for course in self_courses:
                if rng.random() < 0.2:
                    enrolled = now - datetime.timedelta(
                        days=rng.randint(1, 360), minutes=rng.randint(0, 1440)
                    )
                    enrolments.append(
                        Enrolment(
                            user_id=user.pk,
                            course_id=course.pk,
                            source=Enrolment.Source.SELF,
                            enrolled_at=enrolled,
                            attempt_started_at=enrolled,
                        )
                    )
        with transaction.atomic():
            enrolments = _bulk(Enrolment, enrolments, batch=batch, need_ids=True)
        report.seconds["enrolments"] += time.monotonic() - tick

        tick = time.monotonic()
        completions = []
        for enrolment in enrolments:
            if rng.random() >= 0.6:
                continue
            span = max((now - enrolment.enrolled_at).days, 1)
            done = enrolment.enrolled_at + datetime.timedelta(
                days=rng.randint(0, min(span, 120)), minutes=rng.randint(1, 600)
            )
            completions.append(
                CourseCompletion(
                    enrolment=enrolment,
                    attempt=1,
                    completed_at=min(done, now),
                    score=rng.randint(60, 100),
                )
            )
        with transaction.atomic():
            completions = _bulk(
                CourseCompletion, completions, batch=batch, need_ids=True
            )
        report.seconds["completions"] += time.monotonic() - tick

        by_user = {u.pk: u for u in users}
        if Attempt is not None and quizzes:
            tick = time.monotonic()
            attempts = []
            for completion in completions:
                enrolment = completion.enrolment
                quiz = quizzes.get(enrolment.course_id)
                if quiz is None:
                    continue
                finished = completion.completed_at
                attempts.append(
                    Attempt(
                        user_id=enrolment.user_id,
                        quiz_id=quiz,
                        number=1,
                        course_attempt=1,
                        state=Attempt.State.FINISHED,
                        layout=[],
                        pass_mark=70,
                        started_at=finished - datetime.timedelta(minutes=25),
                        finished_at=finished,
                        finished_by=Attempt.FinishedBy.LEARNER,
                        score=completion.score,
                        passed=True,
                        times_graded=1,
                    )
                )
            with transaction.atomic():
                _bulk(Attempt, attempts, batch=batch)
            report.attempts += len(attempts)
            report.seconds["quiz attempts"] += time.monotonic() - tick

        if Certificate is not None:
            tick = time.monotonic()
            certificates = []
            for completion in completions:
                enrolment = completion.enrolment
                user = by_user[enrolment.user_id]
                issued_at = completion.completed_at + datetime.timedelta(minutes=2)
                issued_on = timezone.localdate(issued_at)
                key = (user.office_id, issued_on.year)
                serials[key] += 1
                certificates.append(
                    Certificate(
                        completion=completion,
                        user_id=user.pk,
                        status=Certificate.Status.ISSUED,
                        office_id=user.office_id,
                        office_name=office_names[user.office_id],
                        course_id=enrolment.course_id,
                        course_title=titles[enrolment.course_id],
                        holder_name=user.full_name,
                        hours=2,
                        completed_on=timezone.localdate(completion.completed_at),
                        score=completion.score,
                        year=issued_on.year,
                        serial=serials[key],
                        number=f"{serials[key]:04d}/{MARK}/{issued_on.year}",
                        code=codes.generate(),
                        issued_on=issued_on,
                        issued_at=issued_at,
                    )
                )
            with transaction.atomic():
                _bulk(Certificate, certificates, batch=batch)
            report.certificates += len(certificates)
            report.seconds["certificates"] += time.monotonic() - tick

        report.learners += len(users)
        report.enrolments += len(enrolments)
        report.completions += len(completions)
        progress(
            f"{report.learners:,} learners, {report.enrolments:,} enrolments, "
            f"{report.completions:,} completions"
        )

    if Certificate is not None and serials:
        from certificates.models import CertificateCounter

        tick = time.monotonic()
        for (office_id, year), last in serials.items():
            CertificateCounter.objects.update_or_create(
                office_id=office_id, year=year, defaults={"last_serial": last}
            )
        report.seconds["certificate counters"] += time.monotonic() - tick
    return report
