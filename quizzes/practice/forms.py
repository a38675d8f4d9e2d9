"""Forms: the scenario page's admin form (engine validation) and the learner's answer.

`ScenarioPageForm` runs the engine's `validate()` on the case file and steps as the
form holds them and puts each problem at the step it belongs to (a
`StreamBlockValidationError` keyed by the step's index), or at the page field it is
about (first step, pass mark). Drafts are saved with their problems (Wagtail defers
validation on "Save draft"); reopening the edit page shows them at their steps again,
because the unbound form carries them as errors. Publishing and submitting for
moderation validate fully, so they refuse.

`parse_answer()` turns a learner's POST into the engine's answer value; the engine
grades it and refuses what it cannot grade.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from quizzes.scenarios import (
    ChecklistStep,
    ClassificationStep,
    DeadlineStep,
    DecisionStep,
    Step,
)

from .adapters import EVENT_FIELDS, ScenarioCheck, format_message, localized

# Problems about the scenario as a whole that belong to one page field.
FIELD_OF_CODE = {
    "unknown_start": "start_step",
    "pass_mark_out_of_range": "pass_mark",
}
# Parse errors outside the steps, by the engine's field name.
FIELD_OF_FORMAT = {
    "title": "title",
    "slug": "slug",
    "start": "start_step",
    "pass_mark": "pass_mark",
    "case.requester": "case_requester",
    "case.request": "case_request",
    "case.office": "case_office",
    "case.regime": "case_regime",
    **{f"case.events.{name}": name for name in EVENT_FIELDS},
}
SOURCE_FIELDS = (
    "title",
    "slug",
    "summary",
    "case_requester",
    "case_request",
    "case_office",
    "case_regime",
    "case_summary",
    "case_documents",
    *EVENT_FIELDS,
    "start_step",
    "pass_mark",
    "steps",
)


@dataclass(frozen=True)
class ProblemRow:
    """One problem as the admin lists it: where (step number, id, title) and what."""

    number: int | None  # 1-based position in the stream, None for the scenario
    step_id: str | None
    title: str
    message: str


def problem_rows(check: ScenarioCheck) -> list[ProblemRow]:
    steps = list(check.data.get("steps") or ())
    position = {}
    for index, step in enumerate(steps):
        position.setdefault(step.get("id"), index)
    rows = []
    error = check.format_error
    if error is not None:
        index = check.format_step_index()
        rows.append(
            ProblemRow(
                None if index is None else index + 1,
                None if index is None else steps[index].get("id"),
                "" if index is None else steps[index].get("title", ""),
                localized(format_message(error)),
            )
        )
    for problem in check.problems:
        index = position.get(problem.step_id)
        rows.append(
            ProblemRow(
                None if index is None else index + 1,
                problem.step_id,
                "" if index is None else steps[index].get("title", ""),
                localized(problem.message),
            )
        )
    return rows


def problem_lines(check: ScenarioCheck) -> list[str]:
    """Each problem as one line naming its step, for messages outside the form."""
    lines = []
    for row in problem_rows(check):
        if row.number is None:
            lines.append(row.message)
        else:
            lines.append(
                _("step %(number)d “%(title)s” (%(id)s): %(message)s")
                % {
                    "number": row.number,
                    "title": row.title,
                    "id": row.step_id or "?",
                    "message": row.message,
                }
            )
    return lines


def problem_errors(check: ScenarioCheck) -> dict[str, ValidationError]:
    """The problems as form errors: per step block, per page field, or stream-wide."""
    steps = list(check.data.get("steps") or ())
    index_of: dict[str | None, int] = {}
    for index, step in enumerate(steps):
        index_of.setdefault(step.get("id"), index)
    at_step: dict[int, list[str]] = defaultdict(list)
    at_field: dict[str, list[str]] = defaultdict(list)
    stream_wide: list[str] = []
    for problem in check.problems:
        message = localized(problem.message)
        if problem.step_id is not None and problem.step_id in index_of:
            at_step[index_of[problem.step_id]].append(message)
        elif problem.code in FIELD_OF_CODE:
            at_field[FIELD_OF_CODE[problem.code]].append(message)
        else:
            stream_wide.append(message)
    error = check.format_error
    if error is not None:
        message = localized(format_message(error))
        index = check.format_step_index()
        if index is not None:
            at_step[index].append(message)
        elif (error.field or "") in FIELD_OF_FORMAT:
            at_field[FIELD_OF_FORMAT[error.field]].append(localized(error.message))
        else:
            stream_wide.append(message)
    errors: dict[str, ValidationError] = {
        name: ValidationError(messages) for name, messages in at_field.items()
    }
    if at_step or stream_wide:
        errors["steps"] = StreamBlockValidationError(
            block_errors={
                index: StructBlockValidationError(non_block_errors=messages)
                for index, messages in sorted(at_step.items())
            },
            non_block_errors=stream_wide,
        )
    return errors


class ScenarioPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's own check (for publishing outside this form) leaves it to us.
        self.instance._practice_checked_by_form = True

    def _course_slug(self) -> str:
        from .selectors import course_for_parent, scenario_course

        if self.instance.pk:
            course = scenario_course(self.instance)
        else:
            course = course_for_parent(getattr(self, "parent_page", None))
        return course.slug if course else ""

    def scenario_check(self) -> ScenarioCheck:
        from .adapters import check_scenario, scenario_data

        data = getattr(self, "cleaned_data", {})
        source = SimpleNamespace(
            **{
                name: data[name] if name in data else getattr(self.instance, name, None)
                for name in SOURCE_FIELDS
            }
        )
        return check_scenario(scenario_data(source, course_slug=self._course_slug()))

    def clean(self):
        cleaned_data = super().clean()
        # Drafts keep their problems (shown when the page reopens); the steps must
        # at least have the right shape before the engine can say anything.
        if self.is_deferred_validation or self.has_error("steps"):
            return cleaned_data
        for name, error in problem_errors(self.scenario_check()).items():
            if not self.has_error(name):
                self.add_error(name, error)
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        if self.is_bound or not self.instance.pk:
            return
        # The edit page of a saved draft: show its problems at their steps, as a
        # publish attempt would, without the author having to try one.
        for name, error in problem_errors(self.scenario_check()).items():
            if name in self.fields:
                self._errors[name] = self.error_class(error.error_list)


# --- the learner's answer -------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class AnswerFormatError(ValueError):
    """The POST cannot even be read as an answer (a date in no known format)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def parse_date(raw: str) -> str:
    """A learner's date, `YYYY-MM-DD` (date input) or `dd/mm/yyyy`, as ISO text.

    Empty stays empty, so that the engine gives its own "enter the date" message.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    match = _ISO.match(raw)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DMY.match(raw)
        if match is None:
            raise AnswerFormatError(
                _("“%(value)s” is not a date. Write it as dd/mm/yyyy, e.g. 22/03/2024.")
                % {"value": raw[:40]}
            )
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise AnswerFormatError(
            _("%(value)s is not a real date. Check the day and the month.")
            % {"value": raw[:40]}
        ) from None


def item_field(item_id: str) -> str:
    return f"item-{item_id}"


def parse_answer(step: Step, post) -> object:
    """The engine's answer value for `step` from the POST data (not yet graded)."""
    if isinstance(step, DecisionStep):
        return post.get("choice", "")
    if isinstance(step, DeadlineStep):
        return parse_date(post.get("date", ""))
    if isinstance(step, ClassificationStep):
        # Items left on "choose" are omitted, so the engine names them as missing;
        # fields of items that are not in the step are passed on, to be refused.
        answer = {}
        for name, value in post.items():
            if name.startswith("item-") and value:
                answer[name[len("item-") :]] = value
        return answer
    if isinstance(step, ChecklistStep):
        return post.getlist("element")
    return None


def posted_values(step: Step, post) -> dict:
    """What the learner sent, to fill the form again after a refusal."""
    if isinstance(step, ClassificationStep):
        return {
            "items": {item.id: post.get(item_field(item.id), "") for item in step.items}
        }
    if isinstance(step, ChecklistStep):
        return {"elements": set(post.getlist("element"))}
    return {"choice": post.get("choice", ""), "date": post.get("date", "")}
