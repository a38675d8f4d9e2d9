"""Personal data in the courses app: enrolments, lesson progress, knowledge-check
answers and completions (lms/accounts/personal_data.py, docs/privacy.md)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import F

from lms.accounts.personal_data import PersonalData, deleted_counts, without_protected

from .models import CheckAnswer, CourseCompletion, Enrolment, LessonProgress


def _by_enrolment(rows) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("enrolment_id")].append(row)
    return grouped


def export(user) -> dict:
    progress = _by_enrolment(
        LessonProgress.objects.filter(enrolment__user=user)
        .order_by("enrolment_id", "attempt", "completed_at", "pk")
        .values(
            "enrolment_id",
            "attempt",
            "lesson_id",
            "completed_at",
            lesson_title=F("lesson__title"),
        )
    )
    answers = _by_enrolment(
        CheckAnswer.objects.filter(enrolment__user=user)
        .order_by("enrolment_id", "attempt", "answered_at", "pk")
        .values(
            "enrolment_id",
            "attempt",
            "lesson_id",
            "block_id",
            "selected",
            "correct",
            "answered_at",
            lesson_title=F("lesson__title"),
        )
    )
    completions = _by_enrolment(
        CourseCompletion.objects.filter(enrolment__user=user)
        .order_by("enrolment_id", "attempt")
        .values("enrolment_id", "attempt", "completed_at", "score")
    )
    enrolments = (
        Enrolment.objects.filter(user=user)
        .order_by("enrolled_at", "pk")
        .values(
            "pk",
            "course_id",
            "course__title",
            "attempt",
            "source",
            "due_on",
            "enrolled_at",
            "attempt_started_at",
            "assignment__office__code",
            "assignment__due_on",
        )
    )
    return {
        "enrolments": [
            {
                "course": {"id": e["course_id"], "title": e["course__title"]},
                "attempt": e["attempt"],
                "source": e["source"],
                "due_on": e["due_on"],
                "enrolled_at": e["enrolled_at"],
                "attempt_started_at": e["attempt_started_at"],
                "assignment": (
                    {
                        "office": e["assignment__office__code"],
                        "due_on": e["assignment__due_on"],
                    }
                    if e["assignment__office__code"]
                    else None
                ),
                "lessons_completed": progress.get(e["pk"], []),
                "knowledge_check_answers": answers.get(e["pk"], []),
                "completions": completions.get(e["pk"], []),
            }
            for e in enrolments
        ]
    }


def erase(user) -> dict[str, int]:
    """Progress and answers go; a completion stays only where a certificate was
    issued for it (it PROTECTs it), and with it its enrolment."""
    counts: Counter[str] = Counter()
    counts.update(
        deleted_counts(LessonProgress.objects.filter(enrolment__user=user).delete())
    )
    counts.update(
        deleted_counts(CheckAnswer.objects.filter(enrolment__user=user).delete())
    )
    completions = CourseCompletion.objects.filter(enrolment__user=user)
    counts.update(deleted_counts(without_protected(completions).delete()))
    enrolments = Enrolment.objects.filter(user=user)
    counts.update(deleted_counts(without_protected(enrolments).delete()))
    kept = enrolments.count()
    if kept:
        counts["courses.Enrolment kept"] = kept
    return dict(counts)


PERSONAL_DATA = PersonalData(
    section="courses",
    export=export,
    erase=erase,
    exported=("courses.Enrolment.user",),
    excluded={
        "courses.CourseAssignment.assigned_by": (
            "assigned_by names the coordinator who set an office's assignment: "
            "an office record, not data about the coordinator as a learner; it "
            "keeps pointing at the anonymised account"
        ),
    },
)
