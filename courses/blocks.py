"""StreamField blocks of a lesson body, each with its own template in templates/blocks/.

Blocks validate themselves in `clean()`, so an editor cannot publish a knowledge
check nobody can answer or a deadline example the legal engine cannot compute.
Markdown and rich text are sanitised on output (courses.rendering). The five block
names of docs/course-format.md (markdown, citation, callout, deadline, check) are
the ones the importer and exporter read and write; the others exist only in the admin.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from lms import kip
from lms.deadlines.adapters import calendar_overrides

from .rendering import render_markdown, sanitise_html

logger = logging.getLogger(__name__)

# The content format only allows dates the engine's calendar covers with verified
# cuti bersama data; the admin accepts whatever the engine can compute.
ELECTION_REGIME = "election"


def _step_choices():
    return [(key, f"{key} — {step.label.id}") for key, step in kip.STEPS.items()]


def _regime_choices():
    return [(key, regime.label.id) for key, regime in kip.REGIMES.items()]


def regime_allows_step(regime: str, step: str) -> bool:
    """The election regime only for steps with a verified election rule of their own.

    The engine would fall back to the general rule; the course format forbids
    relying on that silently (docs/course-format.md §3.2, `deadline`).
    """
    if regime not in kip.REGIMES or step not in kip.STEPS:
        return False
    return regime != ELECTION_REGIME or step in kip.REGIMES[regime].rules


class MarkdownBlock(blocks.TextBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["html"] = render_markdown(value)
        return context

    class Meta:
        icon = "doc-full"
        label = _("Markdown")
        template = "blocks/markdown.html"
        help_text = _(
            "Headings from ## down, lists, tables, links. Raw HTML is removed."
        )


class SanitisedRichTextBlock(blocks.RichTextBlock):
    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["html"] = sanitise_html(str(value), rich_text=True) if value else ""
        return context

    class Meta:
        icon = "pilcrow"
        label = _("Rich text")
        template = "blocks/rich_text.html"


class CitationValue(blocks.StructValue):
    @property
    def is_secondary(self) -> bool:
        return self.get("marker") == "S"


class CitationBlock(blocks.StructBlock):
    regulation = blocks.CharBlock(
        label=_("Regulation"), max_length=80, help_text=_("e.g. UU 14/2008")
    )
    article = blocks.CharBlock(
        label=_("Article"), max_length=120, help_text=_("e.g. Pasal 22 ayat (7)")
    )
    text = blocks.TextBlock(label=_("Text"))
    quoted = blocks.BooleanBlock(
        label=_("Verbatim quotation"),
        required=False,
        help_text=_(
            "Tick only when the text is the exact wording; otherwise a paraphrase."
        ),
    )
    marker = blocks.ChoiceBlock(
        label=_("Verification"),
        choices=[
            ("V", _("V — verified in a source reproducing the legal text")),
            ("S", _("S — secondary source")),
        ],
    )
    source = blocks.CharBlock(label=_("Source"), max_length=300)

    class Meta:
        icon = "openquote"
        label = _("Legal citation")
        template = "blocks/citation.html"
        value_class = CitationValue


class CalloutBlock(blocks.StructBlock):
    KINDS = {"tip": _("Tip"), "warning": _("Warning"), "mistake": _("Common mistake")}

    kind = blocks.ChoiceBlock(label=_("Kind"), choices=list(KINDS.items()))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text (Markdown)"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = self.KINDS.get(value.get("kind"), "")
        context["html"] = render_markdown(value.get("text"))
        return context

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout.html"


class DeadlineExampleBlock(blocks.StructBlock):
    """A worked example whose due date the legal engine computes on every render."""

    step = blocks.ChoiceBlock(label=_("Step"), choices=_step_choices)
    start = blocks.DateBlock(
        label=_("Start date"), help_text=_("The event the period is counted from.")
    )
    regime = blocks.ChoiceBlock(
        label=_("Regime"), choices=_regime_choices, default="general"
    )
    caption = blocks.CharBlock(
        label=_("Caption"),
        max_length=300,
        help_text=_("Who, what, when, which office. Never state the due date."),
    )

    def clean(self, value):
        value = super().clean(value)
        step, regime, start = value.get("step"), value.get("regime"), value.get("start")
        if not regime_allows_step(regime, step):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "regime": ValidationError(
                        _(
                            "No verified election rule exists for this step: use the "
                            "general regime and explain in the text that it applies."
                        )
                    )
                }
            )
        try:
            kip.explain(step, start, regime=regime)
        except ValueError as exc:  # the engine's KipError says what is allowed
            raise blocks.StructBlockValidationError(
                block_errors={"start": ValidationError(str(exc))}
            ) from exc
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        overrides = (parent_context or {}).get("kip_overrides")
        if overrides is None:
            overrides = calendar_overrides()
        context["explanation"] = explain_cached(
            value.get("step"), value.get("start"), value.get("regime"), *overrides
        )
        return context

    class Meta:
        icon = "date"
        label = _("Worked deadline example")
        template = "blocks/deadline_example.html"


def explain_cached(
    step: str,
    start: datetime.date | None,
    regime: str,
    extra_closed: frozenset = frozenset(),
    extra_open: frozenset = frozenset(),
):
    """The engine's explanation, or None when it refuses (a notice, not a 500)."""
    try:
        return _explain(
            step, start, regime, frozenset(extra_closed), frozenset(extra_open)
        )
    except (ValueError, TypeError) as exc:
        logger.warning("Deadline example not computable: %s", exc)
        return None


_EXPLAIN_CACHE: dict = {}


def _explain(step, start, regime, extra_closed, extra_open):
    key = (step, start, regime, extra_closed, extra_open)
    if key not in _EXPLAIN_CACHE:
        if len(_EXPLAIN_CACHE) > 4096:
            _EXPLAIN_CACHE.clear()
        _EXPLAIN_CACHE[key] = kip.explain(
            step, start, regime=regime, extra_closed=extra_closed, extra_open=extra_open
        )
    return _EXPLAIN_CACHE[key]


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"), help_text=_("Shown after answering.")
    )

    class Meta:
        icon = "list-ul"
        label = _("Option")


class KnowledgeCheckValue(blocks.StructValue):
    @cached_property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(
            i for i, o in enumerate(self.get("options") or []) if o["correct"]
        )

    @property
    def multiple(self) -> bool:
        """More than one correct option: checkboxes, and all of them must be chosen."""
        return len(self.correct_indexes) > 1

    def is_correct(self, selected) -> bool:
        return frozenset(selected) == self.correct_indexes


class KnowledgeCheckBlock(blocks.StructBlock):
    """An ungraded question; answering every check of a lesson completes the lesson."""

    question = blocks.TextBlock(label=_("Question (Markdown)"))
    options = blocks.ListBlock(
        CheckOptionBlock(), label=_("Options"), min_num=2, max_num=6
    )
    explanation = blocks.TextBlock(
        label=_("Explanation (Markdown)"),
        help_text=_("Shown after answering; name the Pasal the answer rests on."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value.get("options") or []):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "options": blocks.ListBlockValidationError(
                        non_block_errors=[
                            ValidationError(_("Mark at least one option as correct."))
                        ]
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent_context = parent_context or {}
        block_id = parent_context.get("block_id") or ""
        selected = (parent_context.get("check_answers") or {}).get(block_id)
        answered = selected is not None
        selected = set(selected or ())
        context.update(
            block_id=block_id,
            answered=answered,
            is_correct=answered and value.is_correct(selected),
            question_html=render_markdown(value.get("question")),
            explanation_html=render_markdown(value.get("explanation")),
            options=[
                {
                    "index": index,
                    "text": option["text"],
                    "correct": option["correct"],
                    "selected": index in selected,
                    "feedback_html": render_markdown(option["feedback"]),
                }
                for index, option in enumerate(value.get("options") or [])
            ],
        )
        return context

    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "blocks/knowledge_check.html"
        value_class = KnowledgeCheckValue


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=300,
        required=False,
        help_text=_("What the image shows, for screen readers. Empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


# How long a failed embed lookup is remembered, so that an unreachable provider
# costs one timeout per URL every few minutes instead of one per page view.
EMBED_FAILURE_SECONDS = 600


def embed_html(url: str) -> str:
    """The provider's embed HTML, or "" when it cannot be fetched (e.g. offline)."""
    from wagtail.embeds import embeds

    failure_key = f"courses:embed-failed:{url}"
    if cache.get(failure_key):
        return ""
    try:
        return embeds.get_embed(url).html or ""
    except Exception as exc:  # noqa: BLE001 — any failure falls back to a link
        logger.info("Embed for %s unavailable: %s", url, exc)
        cache.set(failure_key, True, EMBED_FAILURE_SECONDS)
        return ""


class VideoBlock(blocks.StructBlock):
    """A video via Wagtail embeds; a plain link when the provider cannot be reached.

    Not an EmbedBlock: that one refuses to save a URL it cannot fetch, which on a
    machine without internet would stop editors from saving the lesson at all.
    """

    url = blocks.URLBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.TextBlock(
        label=_("Transcript or summary (Markdown)"), required=False
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_html"] = embed_html(value.get("url") or "")
        context["transcript_html"] = render_markdown(value.get("transcript"))
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"),
        max_length=200,
        required=False,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document download")
        template = "blocks/document.html"


class LessonBodyBlock(blocks.StreamBlock):
    markdown = MarkdownBlock()
    rich_text = SanitisedRichTextBlock()
    citation = CitationBlock()
    callout = CalloutBlock()
    deadline = DeadlineExampleBlock()
    check = KnowledgeCheckBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()

    class Meta:
        collapsed = False
