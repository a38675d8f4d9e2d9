"""State changes: starting a play, answering a step, and the editor's preview play.

Keyword-only functions; `now` and the deadline oracle are passed in. An answer is
graded by the engine's `advance()` before anything is written: bad input raises
`ScenarioInputError` (or the view's `AnswerFormatError`) and leaves the play, its
answers and the course untouched. The play row is locked while it is answered
(SELECT … FOR UPDATE on PostgreSQL, SQLite's IMMEDIATE transactions otherwise), so a
double submit finds the step already answered and is refused as stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from quizzes.scenarios import (
    DeadlineOracle,
    PlayState,
    Scenario,
    ScenarioError,
    StepResult,
    advance,
    start,
)

from .adapters import check_scenario, scenario_data, snapshot_digest
from .models import ScenarioAnswer, ScenarioPage, ScenarioPlay, ScenarioSnapshot
from .selectors import learner_enrolment, scenario_course

NOT_LIVE = "not_live"
NOT_ENROLLED = "not_enrolled"
NO_REPLAY = "no_replay"
BROKEN = "broken"


class PlayRefused(Exception):
    """A play cannot start; `code` says why (NOT_LIVE, NOT_ENROLLED, NO_REPLAY…)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def snapshot_for(*, page: ScenarioPage, now: datetime.datetime) -> ScenarioSnapshot:
    """The stored version of the page's live content (created on first use)."""
    course = scenario_course(page)
    check = check_scenario(
        scenario_data(page, course_slug=course.slug if course else "")
    )
    if not check.ok:
        # Publishing refuses invalid scenarios; this catches a calendar change since.
        raise PlayRefused(BROKEN)
    data = check.scenario.to_dict()
    snapshot, _created = ScenarioSnapshot.objects.get_or_create(
        page=page,
        digest=snapshot_digest(data),
        defaults={"data": data, "created_at": now},
    )
    return snapshot


def play_start(*, user, page: ScenarioPage, now: datetime.datetime) -> ScenarioPlay:
    """The learner's open play of `page`, or a new one if the rules allow it."""
    if not page.live:
        raise PlayRefused(NOT_LIVE)
    course = scenario_course(page)
    enrolment = learner_enrolment(user, course)
    if course is not None and enrolment is None:
        raise PlayRefused(NOT_ENROLLED)
    course_attempt = enrolment.attempt if enrolment else 1
    with transaction.atomic():
        # Serialise this learner's starts: two clicks make one play.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        mine = ScenarioPlay.objects.filter(user=user, page=page)
        open_play = mine.in_progress().first()
        if open_play is not None:
            return open_play
        if (
            not page.allow_replay
            and mine.finished().filter(course_attempt=course_attempt).exists()
        ):
            raise PlayRefused(NO_REPLAY)
        snapshot = snapshot_for(page=page, now=now)
        scenario = snapshot.scenario()
        state = start(scenario)
        number = (mine.aggregate(top=Max("number"))["top"] or 0) + 1
        play = ScenarioPlay(
            user=user,
            page=page,
            snapshot=snapshot,
            number=number,
            course_attempt=course_attempt,
            state=state.to_dict(),
            current_step=state.current,
            path=state.current,
            score=state.score,
            max_score=scenario.max_score,
            pass_mark=scenario.pass_mark,
            started_at=now,
            updated_at=now,
        )
        _finish_if_done(play, state, now)
        play.save()
        if play.passed:
            _evaluate_course(play, now)
    return play


@dataclass(frozen=True)
class AnswerOutcome:
    play: ScenarioPlay
    result: StepResult


def _json_value(value: object) -> Any:
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def _finish_if_done(
    play: ScenarioPlay, state: PlayState, now: datetime.datetime
) -> None:
    if state.finished:
        play.status = ScenarioPlay.Status.FINISHED
        play.finished_at = now
        play.passed = state.score >= play.pass_mark


def play_answer(
    *,
    play: ScenarioPlay,
    step_id: str,
    value: object,
    now: datetime.datetime,
    oracle: DeadlineOracle,
) -> AnswerOutcome:
    """Grade `value` for `step_id` (the step the learner's form showed), record it.

    Raises `ScenarioInputError` for anything the engine refuses (empty, unknown
    choice, impossible date, a step that is no longer current, a finished play);
    nothing is written then.
    """
    with transaction.atomic():
        play = (
            ScenarioPlay.objects.select_for_update(of=("self",))
            .select_related("snapshot", "page")
            .get(pk=play.pk)
        )
        scenario = play.snapshot.scenario()
        state = PlayState.from_dict(play.state)
        result = advance(
            scenario, state, value, step_id=step_id, now=now, oracle=oracle
        )
        new = result.new_state
        ScenarioAnswer.objects.create(
            play=play,
            seq=len(new.answers),
            step_id=result.answer.step_id,
            kind=scenario.step(result.answer.step_id).kind,
            value=_json_value(result.answer.value),
            correct=result.correct,
            points=result.points,
            next_step=new.current,
            answered_at=now,
        )
        play.state = new.to_dict()
        play.current_step = new.current
        play.score = new.score
        play.path = f"{play.path}/{new.current}" if play.path else new.current
        play.updated_at = now
        _finish_if_done(play, new, now)
        play.save()
        if play.passed:
            _evaluate_course(play, now)
    return AnswerOutcome(play, result)


def _evaluate_course(play: ScenarioPlay, now: datetime.datetime) -> None:
    """A passed scenario may complete the course: ask the courses app, the one judge."""
    from courses.models import Enrolment
    from courses.services import enrolment_evaluate

    course = scenario_course(play.page)
    if course is None:
        return
    enrolment = Enrolment.objects.filter(user_id=play.user_id, course=course).first()
    if enrolment is not None and enrolment.attempt == play.course_attempt:
        enrolment_evaluate(enrolment=enrolment, now=now)


# --- the editor's preview: a play in the session, no records --------------------------


def preview_key(page_id: int) -> str:
    return f"practice:preview:{page_id}"


def _usable(state: PlayState, scenario: Scenario) -> bool:
    """Whether a stored preview state still fits the (edited) scenario."""
    return (
        state.scenario == scenario.slug
        and scenario.has_step(state.current)
        and all(scenario.has_step(a.step_id) for a in state.answers)
    )


def preview_state(*, session, page_id: int, scenario: Scenario) -> PlayState:
    """The editor's preview play of the page; restarted if an edit broke it."""
    stored = session.get(preview_key(page_id)) or {}
    try:
        state = PlayState.from_dict(stored["state"])
    except (KeyError, TypeError, ScenarioError):
        state = None
    if state is None or not _usable(state, scenario):
        state = start(scenario)
        session[preview_key(page_id)] = {"state": state.to_dict()}
    return state


def preview_answer(
    *,
    session,
    page_id: int,
    scenario: Scenario,
    step_id: str,
    value: object,
    now: datetime.datetime,
    oracle: DeadlineOracle,
) -> StepResult:
    """Advance the preview play; raises `ScenarioInputError` like a real play."""
    state = preview_state(session=session, page_id=page_id, scenario=scenario)
    result = advance(scenario, state, value, step_id=step_id, now=now, oracle=oracle)
    session[preview_key(page_id)] = {"state": result.new_state.to_dict()}
    return result


def preview_restart(*, session, page_id: int) -> None:
    session.pop(preview_key(page_id), None)
