"""The seed scenarios: realistic, consistent, valid with the real legal engine, and
solvable with full score by answering each step as the data and the oracle say."""

import json
import re
from datetime import date

import pytest

from quizzes.scenarios import (
    DeadlineStep,
    DecisionStep,
    KipOracle,
    Scenario,
    deadline_for,
    debrief,
    library_path,
    load_library,
    validate,
)

from .helpers import best_answer, play, worst_answer

ORACLE = KipOracle()
LIBRARY = load_library()
COURSES = {
    "dasar-kip",
    "standar-layanan",
    "informasi-dikecualikan",
    "keberatan-sengketa",
    "layanan-informasi-pemilu",
}
by_slug = pytest.mark.parametrize("scenario", LIBRARY, ids=lambda s: s.slug)


def test_the_library_has_six_scenarios_across_the_five_courses():
    assert len(LIBRARY) >= 6
    assert {s.course for s in LIBRARY} == COURSES
    assert {s.case.regime for s in LIBRARY} == {"general", "election"}


@by_slug
def test_each_scenario_passes_validation_with_the_real_legal_engine(scenario):
    assert validate(scenario, oracle=ORACLE) == []
    assert validate(scenario) == []


@by_slug
def test_each_scenario_has_five_to_ten_steps_of_mixed_kinds(scenario):
    assert 5 <= len(scenario.steps) <= 10
    kinds = {step.kind for step in scenario.steps}
    assert {"deadline", "ending"} <= kinds and len(kinds) >= 4
    assert "KPU" in scenario.case.office


@by_slug
def test_each_case_is_set_in_2024_to_2026(scenario):
    for _, on in scenario.case.events:
        assert date(2024, 1, 1) <= on <= date(2026, 12, 31)
    for step in scenario.steps:
        if isinstance(step, DeadlineStep):
            due = deadline_for(scenario, step, oracle=ORACLE).due
            assert date(2024, 1, 1) <= due <= date(2026, 12, 31)


@by_slug
def test_the_best_answers_reach_an_ending_with_full_score(scenario):
    state, results = play(scenario, ORACLE, best_answer)
    assert state.score == scenario.max_score
    assert all(result.correct for result in results)
    report = debrief(scenario, state, oracle=ORACLE)
    assert report.passed and report.ending is not None
    assert report.timeline  # every deadline, from the legal engine


@by_slug
def test_the_worst_answers_also_reach_an_ending_and_fail(scenario):
    state, _ = play(scenario, ORACLE, worst_answer)
    assert state.score < scenario.pass_mark
    assert not debrief(scenario, state, oracle=ORACLE).passed


@by_slug
def test_every_feedback_cites_the_law_and_no_date_is_typed_for_a_deadline(scenario):
    for step in scenario.steps:
        if isinstance(step, DecisionStep):
            for choice in step.choices:
                assert "Pasal" in choice.feedback or "PerKI" in choice.feedback, (
                    choice.id
                )
        if isinstance(step, DeadlineStep):
            due = deadline_for(scenario, step, oracle=ORACLE).due.isoformat()
            text = json.dumps(scenario.to_dict(), ensure_ascii=False)
            assert due not in text, f"{step.id}: the due date is typed in the scenario"


@by_slug
def test_unverified_law_is_never_presented_as_settled(scenario):
    text = json.dumps(scenario.to_dict(), ensure_ascii=False)
    # [R] in the reference: Pasal 40 (mediation), the PerKI 1/2013 article number.
    for match in re.finditer(r"Pasal 40", text):
        window = text[match.start() - 200 : match.end() + 200]
        assert "belum terverifikasi" in window
    assert "Pasal 13 PerKI" not in text and "PerKI 1/2013 Pasal 13" not in text
    # [S] items: PerKI 1/2019 periods and PerKI 1/2013's filing window are attributed.
    for match in re.finditer(r"PerKI 1/2019 Pasal 1[24]", text):
        window = text[match.start() - 200 : match.end() + 200]
        assert "sumber sekunder" in window


def test_the_library_files_are_named_by_slug_and_round_trip():
    for path in sorted(library_path().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        scenario = Scenario.from_dict(data)
        assert scenario.slug == path.stem
        assert Scenario.from_dict(scenario.to_dict()) == scenario


def test_the_keberatan_case_counts_the_dispute_from_the_superiors_lapse():
    scenario = next(s for s in LIBRARY if s.slug == "keberatan-tak-dijawab-sleman")
    atasan = deadline_for(scenario, scenario.step("tenggat-atasan"), oracle=ORACLE)
    sengketa = deadline_for(scenario, scenario.step("tenggat-sengketa"), oracle=ORACLE)
    assert (atasan.due, sengketa.start, sengketa.due) == (
        date(2025, 6, 30),
        date(2025, 6, 30),
        date(2025, 7, 18),
    )
    report = debrief(scenario, play(scenario, ORACLE)[0], oracle=ORACLE)
    assert [e.deadline.legal_step for e in report.timeline] == [
        "objection_response",
        "objection",
        "dispute",
    ] or [e.deadline.legal_step for e in report.timeline] == [
        "objection",
        "objection_response",
        "dispute",
    ]


def test_the_election_case_skips_the_pilkada_voting_day():
    scenario = next(s for s in LIBRARY if s.case.regime == "election")
    notice = deadline_for(scenario, scenario.step("tenggat-tiga-hari"), oracle=ORACLE)
    assert notice.due == date(2024, 11, 29)
    assert date(2024, 11, 27) in {day.day for day in notice.skipped}
