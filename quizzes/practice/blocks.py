"""The step graph of a scenario as a StreamField: one StructBlock per step kind.

The blocks mirror the engine's JSON form (docs/decisions/0003) one to one, with an
editing UI kept plain: step ids are typed text, a transition is a step id plus an
optional ordered list of conditional branches. `adapters.py` converts a value of
`ScenarioStepsBlock` to the engine's dict and back.

Validation is split on purpose. The blocks check only *shape* that one block can
see (ids well formed, each id used once, a condition has what it needs, a deadline
starts from exactly one thing); like any field validation this holds on drafts too,
except "required", which Wagtail defers on drafts. *Meaning* (links that lead
nowhere, unreachable steps, endless loops, empty choices, deadlines the legal engine
cannot compute, scores) is the engine's `validate()`, run by the page form
(forms.py) with the case file, so the rule lives in one place.

The blocks are never rendered with `include_block`: learners see the engine's
`Scenario`, rendered by the templates under templates/practice/.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from lms.kip import REGIMES, STEPS
from quizzes.scenarios import CATEGORIES, STANDARD_EVENTS
from quizzes.scenarios.model import ID_RE, PASAL_17_LETTERS

id_validator = RegexValidator(
    ID_RE.pattern,
    message=_(
        "Use lowercase letters, digits, '-' or '_' (at most 64 characters), "
        "starting with a letter or a digit."
    ),
)
ID_HELP = _("Lowercase letters, digits, '-' or '_'. Other steps link to this id.")

# The conditions of the engine's language (ADR 0003), as the editor names them.
SCORE_AT_LEAST = "score_at_least"
SCORE_BELOW = "score_below"
ANSWER_IS = "answer_is"
ANSWER_IN = "answer_in"
ANSWER_CORRECT = "answer_correct"
ANSWER_WRONG = "answer_wrong"
SCORE_CONDITIONS = (SCORE_AT_LEAST, SCORE_BELOW)
ANSWER_CONDITIONS = (ANSWER_IS, ANSWER_IN, ANSWER_CORRECT, ANSWER_WRONG)
CONDITION_CHOICES = [
    (SCORE_AT_LEAST, _("score is at least …")),
    (SCORE_BELOW, _("score is below …")),
    (ANSWER_IS, _("the answer to step … is …")),
    (ANSWER_IN, _("the answer to step … is one of …")),
    (ANSWER_CORRECT, _("step … was answered correctly")),
    (ANSWER_WRONG, _("step … was answered wrongly")),
]
_WHOLE_NUMBER = re.compile(r"-?\d+")

# Indonesian labels: they are the legal engine's own names for its steps.
LEGAL_STEP_CHOICES = [(key, f"{step.label.id} ({key})") for key, step in STEPS.items()]
REGIME_CHOICES = [(key, regime.label.id) for key, regime in REGIMES.items()]
EVENT_CHOICES = [
    (key, f"{label.id} ({key})") for key, (label, _s) in STANDARD_EVENTS.items()
]
CATEGORY_CHOICES = [(key, text.id) for key, text in CATEGORIES.items()]
LETTER_CHOICES = [(letter, letter) for letter in PASAL_17_LETTERS]


def _id_block(label, **kwargs) -> blocks.CharBlock:
    return blocks.CharBlock(
        label=label, max_length=64, validators=[id_validator], **kwargs
    )


class BranchBlock(blocks.StructBlock):
    """One conditional transition: when `condition` holds, go to `goto`."""

    condition = blocks.ChoiceBlock(choices=CONDITION_CHOICES, label=_("When"))
    step = _id_block(
        _("Step"),
        required=False,
        help_text=_("For a condition on an answer: the id of the step answered."),
    )
    value = blocks.CharBlock(
        label=_("Value"),
        required=False,
        help_text=_(
            "Points for a score condition; a choice id or a date (YYYY-MM-DD) for "
            "an answer; several separated by commas for “one of”."
        ),
    )
    goto = _id_block(_("Go to step"))

    class Meta:
        label = _("Branch")
        icon = "arrow-right"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        condition, raw = value.get("condition"), (value.get("value") or "").strip()
        needed = not self.is_deferred_validation
        if condition in SCORE_CONDITIONS:
            if raw and not _WHOLE_NUMBER.fullmatch(raw):
                errors["value"] = ValidationError(_("Enter a whole number of points."))
            elif not raw and needed:
                errors["value"] = ValidationError(_("Enter the number of points."))
        elif condition in ANSWER_CONDITIONS:
            if not value.get("step") and needed:
                errors["step"] = ValidationError(
                    _("Name the step whose answer counts.")
                )
            if condition in (ANSWER_IS, ANSWER_IN) and not raw and needed:
                errors["value"] = ValidationError(
                    _("Enter the answer to compare with.")
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class NextBlock(blocks.StructBlock):
    """Where to go: the next step, unless one of the branches (checked first) holds."""

    goto = _id_block(_("Next step"))
    branches = blocks.ListBlock(
        BranchBlock(),
        default=[],
        label=_("Unless (conditional branches)"),
        help_text=_(
            "Optional. Checked in order before the next step above; the first whose "
            "condition holds decides."
        ),
        collapsed=True,
    )

    class Meta:
        label = _("Then")
        form_classname = "practice-next"


class WrongNextBlock(NextBlock):
    """Where a wrong answer goes; empty: the same as a right one."""

    goto = _id_block(
        _("Next step after a wrong answer"),
        required=False,
        help_text=_("Empty: a wrong answer goes where a right one goes."),
    )

    class Meta:
        label = _("If the answer is wrong")

    def clean(self, value):
        value = super().clean(value)
        if value.get("branches") and not value.get("goto"):
            raise StructBlockValidationError(
                block_errors={
                    "goto": ValidationError(
                        _("Give the step to go to when no branch holds.")
                    )
                }
            )
        return value


class StepBlock(blocks.StructBlock):
    """What every step has: its id, a title and the narrative shown to the learner."""

    step_id = _id_block(_("Step id"), help_text=ID_HELP)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    narrative = blocks.TextBlock(label=_("Narrative"), required=False)


class DecisionChoiceBlock(blocks.StructBlock):
    choice_id = _id_block(_("Choice id"))
    text = blocks.TextBlock(label=_("Text"), rows=2)
    points = blocks.IntegerBlock(label=_("Points"), default=0)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False, rows=2)
    next = NextBlock()

    class Meta:
        label = _("Choice")
        icon = "radio-full"


class DecisionStepBlock(StepBlock):
    choices = blocks.ListBlock(DecisionChoiceBlock(), label=_("Choices"))

    class Meta:
        label = _("Decision")
        icon = "help"


class DeadlineStepBlock(StepBlock):
    """The learner enters a date; the legal engine computes the expected one."""

    legal_step = blocks.ChoiceBlock(choices=LEGAL_STEP_CHOICES, label=_("Legal step"))
    regime = blocks.ChoiceBlock(
        choices=REGIME_CHOICES,
        required=False,
        label=_("Regime"),
        help_text=_("Empty: the case file's regime."),
    )
    start_event = blocks.ChoiceBlock(
        choices=EVENT_CHOICES,
        required=False,
        label=_("Counted from the case event"),
    )
    start_step = _id_block(
        _("Or from the deadline of step"),
        required=False,
        help_text=_("The id of an earlier deadline step; its true due date is used."),
    )
    points = blocks.IntegerBlock(label=_("Points"), default=3)
    feedback_correct = blocks.TextBlock(
        label=_("Feedback when right"), required=False, rows=2
    )
    feedback_wrong = blocks.TextBlock(
        label=_("Feedback when wrong"), required=False, rows=2
    )
    next = NextBlock()
    next_if_wrong = WrongNextBlock()

    class Meta:
        label = _("Deadline")
        icon = "date"

    def clean(self, value):
        value = super().clean(value)
        given = [name for name in ("start_event", "start_step") if value.get(name)]
        if len(given) > 1 or (not given and not self.is_deferred_validation):
            message = _("Give either a case event or an earlier deadline step.")
            raise StructBlockValidationError(
                block_errors={
                    "start_event": ValidationError(message),
                    "start_step": ValidationError(message),
                }
            )
        return value


class ClassificationItemBlock(blocks.StructBlock):
    item_id = _id_block(_("Item id"))
    text = blocks.TextBlock(label=_("Information"), rows=2)
    category = blocks.ChoiceBlock(choices=CATEGORY_CHOICES, label=_("Category"))
    letter = blocks.ChoiceBlock(
        choices=LETTER_CHOICES,
        required=False,
        label=_("Pasal 17 letter"),
        help_text=_("Only for exempt information."),
    )
    explanation = blocks.TextBlock(label=_("Explanation"), required=False, rows=2)

    class Meta:
        label = _("Item")
        icon = "tag"


class ClassificationStepBlock(StepBlock):
    items = blocks.ListBlock(ClassificationItemBlock(), label=_("Items"))
    points_per_item = blocks.IntegerBlock(label=_("Points per item"), default=1)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False, rows=2)
    next = NextBlock()
    next_if_wrong = WrongNextBlock()

    class Meta:
        label = _("Classification")
        icon = "tag"


class ChecklistElementBlock(blocks.StructBlock):
    element_id = _id_block(_("Element id"))
    text = blocks.TextBlock(label=_("Element"), rows=2)
    correct = blocks.BooleanBlock(label=_("Must be picked"), required=False)
    explanation = blocks.TextBlock(label=_("Explanation"), required=False, rows=2)

    class Meta:
        label = _("Element")
        icon = "tick"


class ChecklistStepBlock(StepBlock):
    elements = blocks.ListBlock(ChecklistElementBlock(), label=_("Elements"))
    points_per_element = blocks.IntegerBlock(label=_("Points per element"), default=1)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False, rows=2)
    next = NextBlock()
    next_if_wrong = WrongNextBlock()

    class Meta:
        label = _("Checklist")
        icon = "list-ul"


class EndingStepBlock(StepBlock):
    outcome = blocks.CharBlock(label=_("Outcome"), max_length=300)
    debrief = blocks.TextBlock(label=_("Debrief"), required=False)

    class Meta:
        label = _("Ending")
        icon = "flag"


class ScenarioStepsBlock(blocks.StreamBlock):
    decision = DecisionStepBlock()
    deadline = DeadlineStepBlock()
    classification = ClassificationStepBlock()
    checklist = ChecklistStepBlock()
    ending = EndingStepBlock()

    def clean(self, value):
        """Each step id once: later duplicates get the error at their own block."""
        seen: set[str] = set()
        duplicates = {}
        for index, child in enumerate(value):
            step_id = (child.value.get("step_id") or "").strip()
            if step_id and step_id in seen:
                duplicates[index] = StructBlockValidationError(
                    block_errors={
                        "step_id": ValidationError(
                            _("The step id %(id)s is already used by an earlier step.")
                            % {"id": step_id}
                        )
                    }
                )
            seen.add(step_id)
        try:
            cleaned = super().clean(value)
        except blocks.StreamBlockValidationError as error:
            raise blocks.StreamBlockValidationError(
                block_errors={**duplicates, **error.block_errors},
                non_block_errors=error.non_block_errors,
            ) from error
        if duplicates:
            raise blocks.StreamBlockValidationError(block_errors=duplicates)
        return cleaned
