"""Question bank, quizzes and attempts.

- QuestionCategory: flat, by regulation and topic. Question: a snippet with its
  options (Choice rows, ordered); what an option means depends on the kind:
  an option (single/multiple/true-false), a step in the right order (ordering),
  a premise and its answer (matching; a row with no premise is a distractor
  answer), an accepted answer (short text). A date question stores either a typed
  date or a KIP step + start date + regime, computed by lms.kip when graded and
  shown, so a holiday-calendar fix reaches every question.
- QuizPage: a Wagtail page under a course or module: fixed questions or a random
  draw per category, and the attempt rules.
- Attempt: one learner's try. The questions drawn, their order and each option's
  opaque token are fixed in `layout` when it starts and never sent as ids to the
  browser. `deadline` is stored at start; `version` changes when the attempt is
  closed so that a page left open elsewhere is recognised as stale.
  `times_graded` is there to be checked: it must never exceed 1.
- AttemptAnswer: one row per slot, created at start, updated by autosave.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.serving import CachedViewRestrictionsMixin
from lms.kip import REGIMES, STEPS

from . import scoring
from .page_forms import QuizPageForm


class QuestionCategory(models.Model):
    class Regulation(models.TextChoices):
        UU_KIP = "uu-14-2008", "UU 14/2008 (KIP)"
        PP_61 = "pp-61-2010", "PP 61/2010"
        PERKI_2021 = "perki-1-2021", "PerKI 1/2021 (SLIP)"
        PERKI_2013 = "perki-1-2013", "PerKI 1/2013 (PPSIP)"
        PERKI_2019 = "perki-1-2019", "PerKI 1/2019 (Pemilu dan Pemilihan)"
        PKPU_22 = "pkpu-22-2023", "PKPU 22/2023"
        CALENDAR = "hari-kerja", _("Working days and holidays")
        OTHER = "lainnya", _("Other")

    name = models.CharField(_("name"), max_length=160, unique=True)
    regulation = models.CharField(
        _("regulation"), max_length=16, choices=Regulation.choices
    )
    topic = models.CharField(_("topic"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("regulation"),
        FieldPanel("topic"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["regulation", "topic", "name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self):
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


KIP_STEP_CHOICES = [(key, step.label.id) for key, step in STEPS.items()]
KIP_REGIME_CHOICES = [(key, regime.label.id) for key, regime in REGIMES.items()]


class Question(index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = scoring.SINGLE, _("Single choice")
        MULTIPLE = scoring.MULTIPLE, _("Multiple response")
        TRUE_FALSE = scoring.TRUE_FALSE, _("True/false")
        ORDERING = scoring.ORDERING, _("Ordering")
        MATCHING = scoring.MATCHING, _("Matching")
        DATE = scoring.DATE, _("Date answer")
        SHORT = scoring.SHORT, _("Short text")

    class Marker(models.TextChoices):
        VERIFIED = "V", _("[V] verified in a source reproducing the legal text")
        SECONDARY = "S", _("[S] secondary source: re-check before certification")
        RECALLED = "R", _("[R] recalled, unverified: do not present as settled")

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Short title shown in lists.")
    )
    text = models.TextField(
        _("question text (Markdown)"),
        help_text=_("Markdown; HTML is removed except a small safe set of tags."),
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1)]
    )
    explanation = models.TextField(
        _("general explanation (Markdown)"),
        blank=True,
        help_text=_("Shown in the review when feedback may be shown."),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("E.g. UU 14/2008 Pasal 22 ayat (7)."),
    )
    basis_marker = models.CharField(
        _("reliability of the legal basis"),
        max_length=1,
        choices=Marker.choices,
        default=Marker.VERIFIED,
    )
    date_answer = models.DateField(
        _("expected date"),
        null=True,
        blank=True,
        help_text=_("Date questions: type the date, or compute it from a KIP step."),
    )
    kip_step = models.CharField(
        _("KIP step"), max_length=32, blank=True, choices=KIP_STEP_CHOICES
    )
    kip_start = models.DateField(_("start date (event day)"), null=True, blank=True)
    kip_regime = models.CharField(
        _("regime"),
        max_length=16,
        blank=True,
        choices=KIP_REGIME_CHOICES,
        default="general",
    )
    external_id = models.CharField(
        _("ID number"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Stable identifier; Moodle's idnumber on import and export."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("name"),
        FieldPanel("text"),
        InlinePanel(
            "choices",
            label=_("Options"),
            help_text=_(
                "Choice questions: the options, tick the right ones. Ordering: the "
                "steps in the right order. Matching: premise + its answer (an empty "
                "premise adds a distractor answer). Short text: each accepted answer."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("date_answer"),
                FieldRowPanel(
                    [
                        FieldPanel("kip_step"),
                        FieldPanel("kip_start"),
                        FieldPanel("kip_regime"),
                    ]
                ),
            ],
            heading=_("Date answer"),
        ),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("legal_basis"), FieldPanel("basis_marker")]),
        FieldPanel("tags"),
        FieldPanel("external_id"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("text"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("category"),
    ]

    class Meta:
        ordering = ["category__name", "name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == self.Kind.DATE:
            has_kip = bool(self.kip_step and self.kip_start)
            if bool(self.date_answer) == has_kip:
                raise ValidationError(
                    _(
                        "A date question needs either an expected date or a KIP step "
                        "with its start date, not both."
                    )
                )
            if has_kip:
                try:
                    self.expected_date()
                except ValueError as exc:
                    raise ValidationError({"kip_start": str(exc)}) from exc

    def expected_date(self):
        """The right answer of a date question (None for other kinds)."""
        if self.kind != self.Kind.DATE:
            return None
        if self.date_answer:
            return self.date_answer
        from lms.deadlines.adapters import due_date_for

        return due_date_for(
            self.kip_step, self.kip_start, regime=self.kip_regime or "general"
        )


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.TextField(
        _("text"), blank=True, help_text=_("Option, step, premise or accepted answer.")
    )
    is_correct = models.BooleanField(_("correct"), default=False)
    match_text = models.CharField(
        _("matching answer"),
        max_length=255,
        blank=True,
        help_text=_("Matching only: the answer this premise belongs to."),
    )
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("Shown in the review when chosen.")
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("is_correct"), FieldPanel("match_text")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text[:60]


class ReviewWhen(models.TextChoices):
    NEVER = "never", _("Never")
    EACH = "each", _("After each attempt")
    PASSED = "passed", _("After passing")
    LAST = "last", _("After the last allowed attempt")
    PASSED_OR_LAST = "passed_or_last", _("After passing or the last attempt")


class QuizPage(CachedViewRestrictionsMixin, Page):
    class Selection(models.TextChoices):
        FIXED = "fixed", _("Fixed questions")
        RANDOM = "random", _("Random draw per category")

    intro = RichTextField(_("introduction"), blank=True)
    selection = models.CharField(
        _("questions"), max_length=8, choices=Selection.choices, default="fixed"
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the course's passing score."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 = unlimited.")
    )
    wait_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 = no time limit.")
    )
    review_score = models.CharField(
        _("show the score"),
        max_length=16,
        choices=ReviewWhen.choices,
        default=ReviewWhen.EACH,
    )
    review_answers = models.CharField(
        _("show the right answers"),
        max_length=16,
        choices=ReviewWhen.choices,
        default=ReviewWhen.PASSED_OR_LAST,
    )
    # Explanations name the right answer, so by default they wait like the answers.
    review_feedback = models.CharField(
        _("show feedback and explanations"),
        max_length=16,
        choices=ReviewWhen.choices,
        default=ReviewWhen.PASSED_OR_LAST,
    )
    required = models.BooleanField(_("required for course completion"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                InlinePanel("fixed_questions", label=_("Fixed questions")),
                InlinePanel("draws", label=_("Random draw")),
                FieldRowPanel(
                    [FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]
                ),
                FieldPanel("questions_per_page"),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldRowPanel(
                    [
                        FieldPanel("max_attempts"),
                        FieldPanel("wait_minutes"),
                        FieldPanel("time_limit_minutes"),
                    ]
                ),
                FieldPanel("required"),
            ],
            heading=_("Attempts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_score"),
                FieldPanel("review_answers"),
                FieldPanel("review_feedback"),
            ],
            heading=_("Review after an attempt"),
        ),
    ]
    base_form_class = QuizPageForm
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, *args, **kwargs):
        from .views import quiz_landing

        return quiz_landing(request, self)


class QuizQuestion(Orderable):
    quiz = ParentalKey(
        QuizPage, on_delete=models.CASCADE, related_name="fixed_questions"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="quiz_links",
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question"], name="unique_question_per_quiz"
            )
        ]


class QuizDraw(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="draws",
    )
    count = models.PositiveSmallIntegerField(
        _("questions to draw"), default=5, validators=[MinValueValidator(1)]
    )

    panels = [FieldRowPanel([FieldPanel("category"), FieldPanel("count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("random draw")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "category"], name="unique_draw_per_category"
            )
        ]


class AttemptQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(state=Attempt.State.FINISHED)

    def in_progress(self):
        return self.filter(state=Attempt.State.IN_PROGRESS)


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    class FinishedBy(models.TextChoices):
        LEARNER = "learner", _("Submitted by the learner")
        TIME_UP = "time_up", _("Time limit reached")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        QuizPage,
        verbose_name=_("quiz"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    # The course attempt (Enrolment.attempt) this quiz attempt belongs to: a course
    # retake starts a fresh set of quiz attempts.
    course_attempt = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    version = models.PositiveIntegerField(default=1)
    layout = models.JSONField(default=list)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.CharField(max_length=8, choices=FinishedBy.choices, blank=True)
    points_earned = models.DecimalField(
        max_digits=9, decimal_places=4, null=True, blank=True
    )
    points_possible = models.DecimalField(
        max_digits=9, decimal_places=4, null=True, blank=True
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), default=False)
    times_graded = models.PositiveSmallIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["quiz_id", "user_id", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="attempt_number_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="attempt_overdue_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.quiz_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS

    @property
    def slots(self) -> list[dict]:
        return self.layout


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    slot = models.PositiveSmallIntegerField()
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="attempt_answers"
    )
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(
        max_digits=7, decimal_places=6, null=True, blank=True
    )
    points = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "slot"], name="unique_answer_slot"
            )
        ]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot}"
