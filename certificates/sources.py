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


def completions_facts(completion_ids: list[int]) -> dict[int, CertificateFacts]:
    """The facts of each completion by id, in one query of plain values: this
    runs for every certificate issued, and building users and (multi-table)
    course pages would cost more than the SQL."""
    rows = CourseCompletion.objects.filter(pk__in=completion_ids).values(
        "pk",
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
    )
    return {
        row["pk"]: CertificateFacts(
            user_id=row["enrolment__user_id"],
            holder_name=row["enrolment__user__full_name"]
            or row["enrolment__user__email"],
            nip=row["enrolment__user__nip"] or "",
            office_id=row["enrolment__user__office_id"],
            course_id=row["enrolment__course_id"],
            course_title=row["enrolment__course__title"],
            hours=row["enrolment__course__hours"],
            completed_on=timezone.localdate(row["completed_at"]),
            score=row["score"],
            validity_months=row["enrolment__course__certificate_validity_months"],
        )
        for row in rows
    }


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
