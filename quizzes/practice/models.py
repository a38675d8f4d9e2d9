"""Scenario pages and the plays of learners.

- ScenarioPage: a case file (page fields, one date field per standard case event)
  and the step graph (StreamField). Lives under a course or a module; no children.
- ScenarioSnapshot: the engine dict of one version of a page, deduplicated by digest.
  A play keeps the version it started with, so edits never break a play in progress.
- ScenarioPlay: one learner's try. `state` is the engine's `PlayState` as JSON;
  `score`, `current_step`, `path`, `status` and `passed` repeat what it says, for
  listings and analytics. `course_attempt` ties the play to the enrolment's attempt,
  so a course retake needs a new pass. At most one play in progress per learner and
  scenario (a conditional unique constraint).
- ScenarioAnswer: one row per accepted answer, in order (`seq`), with its time, the
  engine-normalised value, correctness, points and the step it led to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.serving import CachedViewRestrictionsMixin
from lms.kip import REGIMES
from quizzes.scenarios import STANDARD_EVENTS, Scenario

from .blocks import ScenarioStepsBlock
from .forms import ScenarioPageForm
from .panels import ScenarioCheckPanel

REGIME_CHOICES = [(key, regime.label.id) for key, regime in REGIMES.items()]


def _event_field(name: str) -> models.DateField:
    label = STANDARD_EVENTS[name][0].id
    return models.DateField(label, null=True, blank=True)


class ScenarioPage(CachedViewRestrictionsMixin, Page):
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the learner will practise; shown before the play starts."),
    )
    case_requester = models.TextField(_("requester"))
    case_request = models.TextField(_("what is asked"))
    case_office = models.CharField(_("office"), max_length=255)
    case_regime = models.CharField(
        _("regime"),
        max_length=16,
        choices=REGIME_CHOICES,
        default="general",
        help_text=_("Election: the service standard for election information."),
    )
    case_summary = models.TextField(_("case summary"), blank=True)
    case_documents = models.TextField(
        _("documents involved"), blank=True, help_text=_("One document per line.")
    )
    # One field per standard event (quizzes.scenarios.STANDARD_EVENTS); the debrief
    # computes the statutory periods that start at each.
    received_on = _event_field("received_on")
    objection_ground_on = _event_field("objection_ground_on")
    objection_filed_on = _event_field("objection_filed_on")
    objection_answered_on = _event_field("objection_answered_on")
    dispute_registered_on = _event_field("dispute_registered_on")
    ki_decision_received_on = _event_field("ki_decision_received_on")
    court_judgment_received_on = _event_field("court_judgment_received_on")

    start_step = models.CharField(
        _("first step"),
        max_length=64,
        blank=True,
        help_text=_("The id of the step the play starts at. Empty: the first step."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (points)"),
        help_text=_(
            "Points needed to pass. The maximum is computed from the steps and shown "
            "in the Check tab."
        ),
    )
    allow_replay = models.BooleanField(
        _("allow replays"),
        default=True,
        help_text=_(
            "Untick to allow one finished play per course attempt; every play is kept."
        ),
    )
    required = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("A passed play is then needed to complete the course."),
    )
    steps = StreamField(ScenarioStepsBlock(), verbose_name=_("steps"))

    case_panels = [
        # TitleFieldPanel, as in Page.content_panels: it fills in the slug (Promote
        # tab) from the title; a plain FieldPanel left it empty and "required".
        TitleFieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("case_requester"),
                FieldPanel("case_request"),
                FieldPanel("case_office"),
                FieldPanel("case_regime"),
                FieldPanel("case_summary"),
                FieldPanel("case_documents"),
            ],
            heading=_("Case file"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("received_on"), FieldPanel("objection_ground_on")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("objection_filed_on"),
                        FieldPanel("objection_answered_on"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("dispute_registered_on"),
                        FieldPanel("ki_decision_received_on"),
                    ]
                ),
                FieldPanel("court_judgment_received_on"),
            ],
            heading=_("Event dates"),
            help_text=_(
                "Leave empty what did not happen. Deadlines are never typed: the legal "
                "engine computes them from these dates."
            ),
        ),
    ]
    step_panels = [
        FieldRowPanel([FieldPanel("start_step"), FieldPanel("pass_mark")]),
        FieldRowPanel([FieldPanel("allow_replay"), FieldPanel("required")]),
        FieldPanel("steps"),
    ]
    content_panels = case_panels  # Wagtail's checks and copy views read this name
    edit_handler = TabbedInterface(
        [
            ObjectList(case_panels, heading=_("Case")),
            ObjectList(step_panels, heading=_("Steps")),
            ObjectList([ScenarioCheckPanel()], heading=_("Check and diagram")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ],
        base_form_class=ScenarioPageForm,
    )
    base_form_class = ScenarioPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("case_request"),
    ]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types: list[str] = []
    preview_modes = [("play", _("Play")), ("", _("Case overview"))]
    default_preview_mode = "play"

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    # --- the engine's view of the page ----------------------------------------------

    def course_slug(self) -> str:
        from .selectors import scenario_course

        course = scenario_course(self)
        return course.slug if course else ""

    def scenario_check(self, *, course_slug: str | None = None, oracle=None):
        """The engine's parse and problems for this page's current field values."""
        from .adapters import check_scenario, scenario_data

        slug = self.course_slug() if course_slug is None else course_slug
        return check_scenario(scenario_data(self, course_slug=slug), oracle=oracle)

    def clean(self):
        super().clean()
        # The edit form validates (deferring problems for drafts) and marks the
        # instance; any other way of going live (workflow approval, scheduled
        # publishing, `revision.publish()` in code) is checked here.
        if self.live and not getattr(self, "_practice_checked_by_form", False):
            check = self.scenario_check()
            if not check.ok:
                from .forms import problem_lines

                raise ValidationError(
                    {
                        "steps": [
                            _("The scenario cannot be published: %(problem)s")
                            % {"problem": line}
                            for line in problem_lines(check)
                        ]
                    }
                )

    def serve_preview(self, request, mode_name):
        if mode_name == "play":
            from .views import preview_play

            return preview_play(request, self)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from .selectors import scenario_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(scenario_page_state(page=self, user=request.user))
        return context


class ScenarioSnapshot(models.Model):
    page = models.ForeignKey(
        ScenarioPage, on_delete=models.CASCADE, related_name="snapshots"
    )
    digest = models.CharField(_("digest"), max_length=64)
    data = models.JSONField(_("scenario data"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "digest"], name="unique_scenario_snapshot"
            )
        ]

    def __str__(self):
        return f"{self.page_id}@{self.digest[:8]}"

    def scenario(self) -> Scenario:
        return Scenario.from_dict(self.data)


class ScenarioPlayQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(status=ScenarioPlay.Status.FINISHED)

    def in_progress(self):
        return self.filter(status=ScenarioPlay.Status.IN_PROGRESS)


class ScenarioPlay(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="scenario_plays",
    )
    page = models.ForeignKey(
        ScenarioPage,
        verbose_name=_("scenario"),
        on_delete=models.CASCADE,
        related_name="plays",
    )
    snapshot = models.ForeignKey(
        ScenarioSnapshot, on_delete=models.PROTECT, related_name="plays"
    )
    number = models.PositiveIntegerField(_("play number"))
    course_attempt = models.PositiveSmallIntegerField(_("course attempt"), default=1)
    state = models.JSONField(_("play state"))
    current_step = models.CharField(_("current step"), max_length=64)
    # The step ids visited, "/"-joined (ids never contain "/"): grouped by analytics.
    path = models.TextField(_("path"), blank=True)
    score = models.IntegerField(_("score"), default=0)
    max_score = models.PositiveIntegerField(_("maximum score"))
    pass_mark = models.PositiveIntegerField(_("pass mark"))
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScenarioPlayQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("scenario play")
        verbose_name_plural = _("scenario plays")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "number"], name="unique_scenario_play_number"
            ),
            models.UniqueConstraint(
                fields=["user", "page"],
                condition=Q(status="in_progress"),
                name="one_open_scenario_play",
            ),
        ]
        indexes = [
            models.Index(fields=["page", "status"], name="practice_play_page_status")
        ]

    def __str__(self):
        return f"{self.user_id} · {self.page_id} #{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED


class ScenarioAnswer(models.Model):
    play = models.ForeignKey(
        ScenarioPlay, on_delete=models.CASCADE, related_name="answers"
    )
    seq = models.PositiveIntegerField(_("position in the play"))
    step_id = models.CharField(_("step"), max_length=64)
    kind = models.CharField(_("step kind"), max_length=16)
    value = models.JSONField(_("answer"))
    correct = models.BooleanField(_("correct"))
    points = models.IntegerField(_("points"))
    next_step = models.CharField(_("led to"), max_length=64)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["play", "seq"]
        verbose_name = _("scenario answer")
        verbose_name_plural = _("scenario answers")
        constraints = [
            models.UniqueConstraint(fields=["play", "seq"], name="unique_answer_seq")
        ]

    def __str__(self):
        return f"{self.play_id}.{self.seq} {self.step_id}"
