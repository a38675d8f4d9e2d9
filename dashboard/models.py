"""The dashboard's own tables: materialised aggregates, sent reminders, digest opt-outs.

Aggregates (docs/decisions/0004-dashboard-aggregates.md): `CompletionStat` and
`ActivityStat` are derived tables, rebuilt as a whole by `services.stats_refresh`
(a Celery task on a schedule and on request). Every row holds the *subtree total* of
one office: the office's own members plus everyone under it, so a dashboard reads
the focused office and its children and never sums the tree at request time.
Each table holds four grains of the same figures: per course and employment type,
per course (employment type ''), per employment type (course NULL), and in total
(both): a page reads the grain its filters ask for, a few hundred rows at most.
`StatsState` is a single row: when the tables were last rebuilt, and the lock that
serialises two rebuilds.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StatsState(models.Model):
    """The one row (pk=1) that says how fresh the aggregates are."""

    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_rows = models.PositiveIntegerField(default=0)
    activity_rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("aggregate state")
        verbose_name_plural = _("aggregate state")

    def __str__(self):
        return f"{self.refreshed_at} ({self.duration_ms} ms)"


class CompletionStat(models.Model):
    """Enrolments of an office's subtree, by course, employment type, source, due date.

    `completed` counts enrolments with at least one completed attempt. Keeping the
    due date as a dimension makes "overdue today" exact whatever day it is:
    enrolled − completed over the rows whose due date has passed.
    """

    # A derived table rebuilt in bulk: no database constraint or index per key
    # (the composite index serves the reads); deletions cascade in Django.
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # NULL: all courses. An empty employment type: all types (see GRAINS).
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        db_constraint=False,
        db_index=False,
    )
    employment_type = models.CharField(max_length=8)
    source = models.CharField(max_length=8)
    due_on = models.DateField(null=True, blank=True)
    enrolled = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("completion aggregate")
        verbose_name_plural = _("completion aggregates")
        indexes = [
            models.Index(
                fields=["office", "employment_type", "course"], name="dash_status_grain"
            )
        ]

    def __str__(self):
        return f"{self.office_id}/{self.course_id}: {self.completed}/{self.enrolled}"


class ActivityStat(models.Model):
    """What happened in an office's subtree on one day: new enrolments, first
    completions, certificates issued; by course and employment type."""

    # A derived table rebuilt in bulk: no database constraint or index per key
    # (the composite index serves the reads); deletions cascade in Django.
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # NULL: all courses. An empty employment type: all types (see GRAINS).
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        db_constraint=False,
        db_index=False,
    )
    employment_type = models.CharField(max_length=8)
    day = models.DateField()
    enrolled = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    certificates = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("activity aggregate")
        verbose_name_plural = _("activity aggregates")
        indexes = [
            models.Index(
                fields=["office", "employment_type", "course", "day"],
                name="dash_activity_grain_day",
            )
        ]

    def __str__(self):
        return f"{self.office_id}/{self.course_id} {self.day}"


class ReminderSent(models.Model):
    """One row per reminder or digest e-mail: the idempotency key of sending it.

    A task inserts the row first and sends only if the insert succeeded, so a
    second run of the sweep or of a task sends nothing.
    """

    class Kind(models.TextChoices):
        DUE_7 = "due_7", _("Due in 7 days")
        DUE_3 = "due_3", _("Due in 3 days")
        DUE_1 = "due_1", _("Due tomorrow")
        OVERDUE = "overdue", _("Overdue")
        INTERN_END = "intern_end", _("Internship ends before courses are done")
        DIGEST = "digest", _("Weekly digest")

    PER_ENROLMENT = (Kind.DUE_7, Kind.DUE_3, Kind.DUE_1, Kind.OVERDUE)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The due date reminded about; the internship's last day; the digest's week.
    due_on = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "due_on"],
                condition=Q(enrolment__isnull=False),
                name="unique_reminder_per_enrolment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "due_on"],
                condition=Q(enrolment__isnull=True),
                name="unique_reminder_per_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.due_on})"


class DigestSubscription(models.Model):
    """A coordinator's choice about the weekly digest; no row means subscribed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    active = models.BooleanField(_("receives the weekly digest"), default=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return f"{self.user_id}: {'on' if self.active else 'off'}"
