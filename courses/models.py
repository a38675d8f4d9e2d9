"""Wagtail pages for the site and its courses, and the learner records around them.

Page tree: HomePage → CourseIndexPage (/kursus/) → CoursePage → ModulePage →
LessonPage. Learner records hang off a course page and its lessons by id:

- Enrolment: one per (user, course), whether self-enrolled or assigned. `attempt`
  counts retakes; progress, answers and completions carry the attempt they belong
  to, so a retake starts fresh while the history stays queryable.
- CourseAssignment: a coordinator's "office X (optionally only employment type Y)
  must take course C by date D". Expanded into Enrolments when made (and again on
  request); the (user, course) constraint makes a repeat a no-op.
- LessonProgress, CheckAnswer: per attempt, keyed by lesson page id, so re-importing
  a course (which updates pages in place) keeps them.
- CourseCompletion: unique per (enrolment, attempt); the idempotency key of the
  "course completed" event.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import LessonBodyBlock
from .serving import CachedViewRestrictionsMixin, PathRoutingMixin


class HomePage(PathRoutingMixin, CachedViewRestrictionsMixin, Page):
    """The site's front page: what Akademi PPID is and where to start."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CourseIndexPage(CachedViewRestrictionsMixin, Page):
    """The catalogue at /kursus/: every published course, in tree order."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_for_user

        context = super().get_context(request, *args, **kwargs)
        context["entries"] = catalogue_for_user(catalogue=self, user=request.user)
        return context


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff")
    INTERNS = "interns", _("Interns")
    BOTH = "both", _("Staff and interns")


class CoursePage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(_("summary"), max_length=500)
    intro = models.TextField(
        _("introduction (Markdown)"), blank=True, help_text=_("Headings from ## down.")
    )
    objectives = models.TextField(
        _("learning objectives"), help_text=_("One objective per line.")
    )
    regulations = models.TextField(
        _("regulations covered"),
        help_text=_("One per line, short names such as UU 14/2008."),
    )
    audience = models.CharField(
        _("audience"), max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    hours = models.PositiveSmallIntegerField(
        _("hours (jam pelajaran)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    passing_score = models.PositiveSmallIntegerField(
        _("passing score (%)"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Minimum score on graded requirements (quizzes, scenarios)."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the certificate does not expire."),
    )
    allow_retake = models.BooleanField(_("allow retake"), default=True)
    search_keywords = models.TextField(
        _("search keywords"), blank=True, help_text=_("One per line.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("objectives"),
                FieldPanel("regulations"),
                FieldPanel("audience"),
                FieldPanel("hours"),
            ],
            heading=_("About the course"),
        ),
        InlinePanel("prerequisite_links", label=_("Prerequisites")),
        MultiFieldPanel(
            [
                FieldPanel("passing_score"),
                FieldPanel("certificate_validity_months"),
                FieldPanel("allow_retake"),
            ],
            heading=_("Completion rule"),
            help_text=_(
                "The course is complete when every required lesson (and, later, every "
                "required quiz and scenario at the passing score) is done."
            ),
        ),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("search_keywords")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("intro"),
        index.SearchField("objectives"),
        index.SearchField("search_keywords"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "practice.ScenarioPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def objectives_list(self) -> list[str]:
        return _lines(self.objectives)

    @property
    def regulations_list(self) -> list[str]:
        return _lines(self.regulations)

    @property
    def search_keywords_list(self) -> list[str]:
        return _lines(self.search_keywords)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_state(course=self, user=request.user))
        return context


class CoursePrerequisite(Orderable):
    """Course `course` may only be self-enrolled once `required_course` is completed."""

    course = ParentalKey(
        CoursePage, on_delete=models.CASCADE, related_name="prerequisite_links"
    )
    required_course = models.ForeignKey(
        CoursePage,
        verbose_name=_("required course"),
        on_delete=models.CASCADE,
        related_name="required_by_links",
    )

    panels = [FieldPanel("required_course")]

    class Meta(Orderable.Meta):
        verbose_name = _("prerequisite")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "required_course"], name="unique_course_prerequisite"
            )
        ]


class ModulePage(CachedViewRestrictionsMixin, Page):
    intro = models.TextField(_("introduction (Markdown)"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "practice.ScenarioPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(module_page_state(module=self, user=request.user))
        return context


class LessonPage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(_("summary"), max_length=500)
    minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Untick for optional enrichment: it never blocks completion."),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_page_state(lesson=self, request=request))
        return context


# --- Learner records ---------------------------------------------------------


class CourseAssignment(models.Model):
    """A coordinator's instruction: an office's members take a course by a date."""

    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="course_assignments",
    )
    include_suboffices = models.BooleanField(
        _("include offices below"),
        default=False,
        help_text=_("Also assign members of every office under this one."),
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=8,
        blank=True,
        help_text=_("Empty: everyone in the office."),
    )
    due_on = models.DateField(_("due date"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        # One assignment per target: assigning it again re-applies the same one.
        constraints = [
            models.UniqueConstraint(
                fields=["course", "office", "employment_type", "include_suboffices"],
                name="unique_course_assignment_target",
            )
        ]

    def __str__(self):
        return f"{self.course_id} → {self.office_id} ({self.due_on})"


class EnrolmentQuerySet(models.QuerySet):
    def with_completion(self):
        """Annotate the current attempt's completion (`completed_at`, None while in
        progress) and the latest completion of any attempt (`last_completed_at`,
        `last_completion_id`, `last_completed_attempt`), which a retake leaves in place.
        """
        current = CourseCompletion.objects.filter(
            enrolment=models.OuterRef("pk"), attempt=models.OuterRef("attempt")
        )
        latest = CourseCompletion.objects.filter(
            enrolment=models.OuterRef("pk")
        ).order_by("-attempt")
        return self.annotate(
            completed_at=models.Subquery(current.values("completed_at")[:1]),
            completion_id=models.Subquery(current.values("pk")[:1]),
            last_completed_at=models.Subquery(latest.values("completed_at")[:1]),
            last_completion_id=models.Subquery(latest.values("pk")[:1]),
            last_completed_attempt=models.Subquery(latest.values("attempt")[:1]),
        )


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    # PROTECT: a course that learners took is unpublished, never deleted, so their
    # records (and later certificates) keep pointing at it.
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.SELF
    )
    assignment = models.ForeignKey(
        CourseAssignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    attempt_started_at = models.DateTimeField(
        _("attempt started at"), default=timezone.now
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="unique_enrolment_per_course"
            )
        ]

    def __str__(self):
        return f"{self.user_id} in {self.course_id} (attempt {self.attempt})"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "attempt", "lesson"], name="unique_lesson_progress"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}/{self.attempt}: lesson {self.lesson_id}"


class CheckAnswer(models.Model):
    """A learner's latest answer to one knowledge check (a block of a lesson body)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="check_answers"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="check_answers"
    )
    block_id = models.CharField(_("block id"), max_length=64)
    selected = models.JSONField(_("selected options"), default=list)
    correct = models.BooleanField(_("correct"))
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("knowledge-check answer")
        verbose_name_plural = _("knowledge-check answers")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "attempt", "lesson", "block_id"],
                name="unique_check_answer",
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}/{self.attempt}: {self.block_id}"


class CourseCompletion(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="completions",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    completed_at = models.DateTimeField(_("completed at"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "attempt"], name="unique_completion_per_attempt"
            )
        ]

    def __str__(self):
        return f"{self.enrolment_id}/{self.attempt} on {self.completed_at:%Y-%m-%d}"
