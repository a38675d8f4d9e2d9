"""The one place that reads course data: a completion in, CertificateFacts out.

Everything else in this app works on `CertificateFacts` and ids, so a change in
the courses app touches this module only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.models import CourseCompletion


@dataclass(frozen=True)
class CertificateFacts:
    user_id: int
    holder_name: str
    nip: str
    office_id: int | None
    course_id: int
    course_title: str
    hours: int
    completed_on: datetime.date
    score: int | None
    validity_months: int | None


def facts_from_completion(completion: CourseCompletion) -> CertificateFacts:
    """Needs `enrolment__user` and `enrolment__course` loaded (`completion_facts`)."""
    enrolment = completion.enrolment
    user, course = enrolment.user, enrolment.course
    return CertificateFacts(
        user_id=user.pk,
        holder_name=user.full_name or user.email,
        nip=user.nip or "",
        office_id=user.office_id,
        course_id=course.pk,
        course_title=course.title,
        hours=course.hours,
        completed_on=timezone.localdate(completion.completed_at),
        score=completion.score,
        validity_months=course.certificate_validity_months,
    )


def completion_facts(completion_id: int) -> CertificateFacts:
    """One query, plain values: this runs for every certificate issued, and
    building a user and a (multi-table) course page costs more than the SQL."""
    row = CourseCompletion.objects.values(
        "completed_at",
        "score",
        "enrolment__user_id",
        "enrolment__user__full_name",
        "enrolment__user__email",
        "enrolment__user__nip",
        "enrolment__user__office_id",
        "enrolment__course_id",
        "enrolment__course__title",
        "enrolment__course__hours",
        "enrolment__course__certificate_validity_months",
    ).get(pk=completion_id)
    return CertificateFacts(
        user_id=row["enrolment__user_id"],
        holder_name=row["enrolment__user__full_name"] or row["enrolment__user__email"],
        nip=row["enrolment__user__nip"] or "",
        office_id=row["enrolment__user__office_id"],
        course_id=row["enrolment__course_id"],
        course_title=row["enrolment__course__title"],
        hours=row["enrolment__course__hours"],
        completed_on=timezone.localdate(row["completed_at"]),
        score=row["score"],
        validity_months=row["enrolment__course__certificate_validity_months"],
    )


def completion_user_id(completion: CourseCompletion) -> int:
    return completion.enrolment.user_id


def completions_without_certificate(
    *, completed_before: datetime.datetime
) -> QuerySet[CourseCompletion]:
    """Completions that never got a certificate row (the sweep's safety net)."""
    from .models import Certificate

    return (
        CourseCompletion.objects.filter(completed_at__lt=completed_before)
        .annotate(
            has_certificate=Exists(
                Certificate.objects.filter(completion=OuterRef("pk"))
            )
        )
        .filter(has_certificate=False)
        .select_related("enrolment")
        .order_by("pk")
    )
