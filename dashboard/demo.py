"""Demo data for the coordinator dashboard, then a rebuild of its aggregates.

Called by `seed_demo` after the offices, accounts, courses and quizzes exist.
Idempotent: learners are keyed by e-mail, assignments by their target, completions
by (enrolment, attempt); a second run adds nothing and rebuilds the figures.

What koordinator@example.org (KPU Provinsi Bali) then sees at /koordinator/:
- about forty demo learners (`demo.*@example.org`) across Bali's regencies and
  cities, staff and interns, plus a dozen in Jawa Tengah and DKI Jakarta (visible
  to the administrator only);
- "Standar Layanan Informasi Publik" assigned to Bali and everything under it, due
  a week ago, so some learners are overdue; the basics course assigned to Bali, due
  in five days (reminders go out for it);
- completions spread over the last ten weeks, so the weekly chart has a shape.

Demo shortcut: completions are written directly (as if the learners had passed
each course's quiz), with dates in the past; the certificate flow reacts to them
as it does to real ones.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CourseCompletion, CoursePage, Enrolment
from courses.services import course_assign
from lms.offices.models import Office

from .services import stats_refresh

DEMO_DOMAIN = "example.org"
FIRST = [
    "I Made",
    "Ni Luh",
    "I Wayan",
    "Ni Komang",
    "I Ketut",
    "Ni Nyoman",
    "Putu",
    "Kadek",
    "Gede",
    "Ayu",
    "Agus",
    "Dewi",
    "Budi",
    "Sri",
    "Rizky",
    "Fitri",
]
LAST = [
    "Suardana",
    "Sukmawati",
    "Artawan",
    "Puspitasari",
    "Wirawan",
    "Astuti",
    "Mahendra",
    "Purnami",
    "Santika",
    "Widiastuti",
    "Pratama",
    "Lestari",
]
TYPES = ["pns", "pns", "pns", "pppk", "ppnpn", "magang", "pkl"]
OFFICES = {
    # office code → demo learners there
    "51": 4,
    "51.01": 3,
    "51.02": 3,
    "51.03": 5,
    "51.04": 4,
    "51.05": 3,
    "51.06": 3,
    "51.07": 3,
    "51.08": 3,
    "51.71": 5,
    "33": 3,
    "33.10": 3,
    "31": 3,
    "31.71": 3,
}
BASICS = "dasar-kip"
SERVICE = "standar-layanan"


def _learners(today: datetime.date) -> list:
    User = get_user_model()
    offices = {o.code: o for o in Office.objects.filter(code__in=OFFICES)}
    rng = random.Random(51)  # noqa: S311 — demo names, not secrets
    learners = []
    number = 0
    for code, count in OFFICES.items():
        office = offices.get(code)
        if office is None:
            continue
        for _i in range(count):
            number += 1
            kind = TYPES[number % len(TYPES)]
            intern = kind in ("magang", "pkl")
            # One intern's internship ends within two weeks (the reminder shows).
            end = today + datetime.timedelta(days=10 if number % 14 == 5 else 75)
            user, created = User.objects.get_or_create(
                email=f"demo.peserta{number:02d}@{DEMO_DOMAIN}",
                defaults={
                    "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "office": office,
                    "employment_type": kind,
                    "intern_start": today - datetime.timedelta(days=60)
                    if intern
                    else None,
                    "intern_end": end if intern else None,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            learners.append(user)
    return learners


def seed(stdout) -> None:
    now = timezone.now()
    today = timezone.localdate()
    courses = {
        c.slug: c for c in CoursePage.objects.live().filter(slug__in=[BASICS, SERVICE])
    }
    learners = _learners(today)
    stdout.write(f"dashboard: {len(learners)} demo learners")
    coordinator = (
        get_user_model().objects.filter(email="koordinator@example.org").first()
    )
    bali = Office.objects.filter(code="51").first()
    started = now - datetime.timedelta(weeks=10)
    if bali and SERVICE in courses:
        result = course_assign(
            course=courses[SERVICE],
            office=bali,
            include_suboffices=True,
            due_on=today - datetime.timedelta(days=7),
            assigned_by=coordinator,
            now=started,
        )
        stdout.write(f"dashboard: {courses[SERVICE].title} → {bali}: {result.message}")
    if bali and BASICS in courses:
        result = course_assign(
            course=courses[BASICS],
            office=bali,
            include_suboffices=True,
            due_on=today + datetime.timedelta(days=5),
            assigned_by=coordinator,
            now=started + datetime.timedelta(weeks=2),
        )
        stdout.write(f"dashboard: {courses[BASICS].title} → {bali}: {result.message}")
    for user in learners:
        if user.office.code.startswith("51"):
            continue
        for course in courses.values():
            Enrolment.objects.get_or_create(
                user=user,
                course=course,
                defaults={"enrolled_at": started, "attempt_started_at": started},
            )
    made = 0
    rng = random.Random(2026)  # noqa: S311 — demo dates
    enrolments = Enrolment.objects.filter(
        user__in=learners, course__in=courses.values()
    ).order_by("pk")
    for enrolment in enrolments:
        if rng.random() > 0.6:
            continue
        when = now - datetime.timedelta(
            days=rng.randint(1, 68), hours=rng.randint(0, 8)
        )
        when = max(when, enrolment.enrolled_at + datetime.timedelta(hours=1))
        _completion, created = CourseCompletion.objects.get_or_create(
            enrolment=enrolment,
            attempt=enrolment.attempt,
            defaults={"completed_at": when, "score": rng.randint(70, 100)},
        )
        made += created
    stdout.write(f"dashboard: {made} demo completions")
    state = stats_refresh(now=timezone.now())
    stdout.write(
        f"dashboard: aggregates rebuilt ({state.status_rows} + {state.activity_rows} "
        f"rows, {state.duration_ms} ms)"
    )
