"""Playing scenarios: grading every step kind, transitions, bad input, debrief."""

import copy
from datetime import date, datetime

import pytest

from quizzes.scenarios import (
    KipOracle,
    PlayState,
    ScenarioError,
    ScenarioInputError,
    advance,
    debrief,
    start,
)

from .helpers import (
    NOW,
    FakeOracle,
    build,
    checklist,
    classification,
    deadline,
    decision,
    ending,
    scenario_dict,
)

FAKE = FakeOracle()


def answer(scenario, state, value, oracle=FAKE, step_id=None):
    return advance(
        scenario,
        state,
        value,
        step_id=step_id or state.current,
        now=NOW,
        oracle=oracle,
    )


def one_step(step, *, max_score=10, **events):
    return build(
        scenario_dict(
            [step, ending("benar"), ending("salah")], max_score=max_score, **events
        )
    )


# --- decision ----------------------------------------------------------------------


def test_a_choice_scores_its_points_and_leads_to_its_step():
    scenario = one_step(decision("d", ("baik", "benar", 2), ("buruk", "salah", 0)))
    state = start(scenario)
    result = answer(scenario, state, "baik")
    assert (result.points, result.correct, result.finished) == (2, True, True)
    assert result.new_state.current == "benar"
    assert result.new_state.score == 2
    assert result.answer.value == "baik"
    assert result.answer.at == NOW
    worse = answer(scenario, state, "buruk")
    assert (worse.points, worse.correct, worse.new_state.current) == (0, False, "salah")


def test_the_choice_feedback_is_the_authors_and_the_verdict_is_bilingual():
    data = scenario_dict(
        [decision("d", ("baik", "benar", 2)), ending("benar")], max_score=2
    )
    data["steps"][0]["choices"][0]["feedback"] = "Sesuai UU 14/2008 Pasal 22 ayat (5)."
    scenario = build(data)
    result = answer(scenario, start(scenario), "baik")
    assert result.feedback.text == "Sesuai UU 14/2008 Pasal 22 ayat (5)."
    assert "+2" in result.feedback.verdict.id and "+2" in result.feedback.verdict.en


# --- deadline ----------------------------------------------------------------------


def test_a_deadline_is_graded_against_the_oracle_with_its_explanation():
    oracle = FakeOracle()
    scenario = one_step(deadline("t", "benar", next_if_wrong="salah"))
    right = answer(scenario, start(scenario), "2024-03-16", oracle)  # 6 March + 10
    assert (right.points, right.correct, right.new_state.current) == (3, True, "benar")
    assert oracle.calls == [("notice", date(2024, 3, 6), "general")]
    lines = [line.id for line in right.feedback.details]
    assert any("2024-03-16" in line for line in lines)
    assert any("Libur uji" in line for line in lines)  # the skipped days
    assert any("Pasal Uji [V]" in line for line in lines)  # the legal basis
    wrong = answer(scenario, start(scenario), date(2024, 3, 18), oracle)
    assert (wrong.points, wrong.correct, wrong.new_state.current) == (0, False, "salah")
    assert "2 hari" in wrong.feedback.details[0].id
    assert wrong.answer.value == "2024-03-18"


def test_a_wrong_date_follows_next_when_there_is_no_next_if_wrong():
    scenario = one_step(deadline("t", "benar"))
    result = answer(scenario, start(scenario), "2024-03-17")
    assert result.new_state.current == "benar"
    assert result.points == 0


def test_a_deadline_can_count_from_an_earlier_deadline_and_use_its_own_regime():
    oracle = FakeOracle()
    scenario = build(
        scenario_dict(
            [
                deadline(
                    "atasan",
                    "sengketa",
                    legal_step="objection_response",
                    start={"event": "objection_filed_on"},
                ),
                deadline(
                    "sengketa",
                    "akhir",
                    legal_step="dispute",
                    start={"step": "atasan"},
                    regime="election",
                ),
                ending("akhir"),
            ],
            max_score=6,
            objection_filed_on="2025-05-08",
        )
    )
    state = answer(scenario, start(scenario), "2025-06-07", oracle).new_state
    result = answer(scenario, state, "2025-06-11", oracle)  # 7 June + 14 // 3
    assert result.correct
    assert ("dispute", date(2025, 6, 7), "election") in oracle.calls


def test_kip_001_notice_is_due_on_22_march_2024_with_the_real_legal_engine():
    oracle = KipOracle()
    scenario = one_step(deadline("t", "benar", next_if_wrong="salah"))
    result = answer(scenario, start(scenario), "2024-03-22", oracle)
    assert result.correct and result.points == 3
    text = "\n".join(line.id for line in result.feedback.details)
    assert "Hari Suci Nyepi" in text and "Cuti Bersama" in text
    assert "UU 14/2008 Pasal 22 ayat (7) [V]" in text
    assert "2024-03-21" in text  # the other cuti bersama reading is shown too
    late = answer(scenario, start(scenario), "2024-03-25", oracle)
    assert not late.correct and late.new_state.current == "salah"


def test_the_oracle_can_carry_an_offices_closures():
    oracle = KipOracle.with_closures(extra_closed=[date(2024, 3, 20)])
    scenario = one_step(deadline("t", "benar", next_if_wrong="salah"))
    assert answer(scenario, start(scenario), "2024-03-25", oracle).correct


def test_an_oracle_failure_is_a_scenario_error_not_the_learners_fault():
    scenario = one_step(deadline("t", "benar", legal_step="banding"))
    with pytest.raises(ScenarioError, match="oracle refused"):
        answer(scenario, start(scenario), "2024-03-16")


# --- classification ----------------------------------------------------------------


def test_classification_scores_each_correct_item_and_needs_the_pasal_17_letter():
    scenario = one_step(
        classification("k", "benar", next_if_wrong="salah", points_per_item=2)
    )
    state = start(scenario)
    right = answer(
        scenario,
        state,
        {"lra": "berkala", "sk": "setiap_saat", "ijazah": "dikecualikan:h"},
    )
    assert (right.points, right.correct, right.new_state.current) == (6, True, "benar")
    assert right.answer.value == (
        ("lra", "berkala"),
        ("sk", "setiap_saat"),
        ("ijazah", "dikecualikan:h"),
    )
    letter = answer(
        scenario,
        state,
        {"lra": "berkala", "sk": "setiap_saat", "ijazah": "dikecualikan:j"},
    )
    assert (letter.points, letter.correct, letter.new_state.current) == (
        4,
        False,
        "salah",
    )
    wrong_line = letter.feedback.details[2].id
    assert (
        wrong_line.startswith("✗")
        and "huruf h" in wrong_line
        and "huruf j" in wrong_line
    )


def test_classification_answers_are_normalised():
    scenario = one_step(classification("k", "benar"))
    result = answer(
        scenario,
        start(scenario),
        {"lra": " Berkala ", "sk": "SETIAP_SAAT", "ijazah": "Dikecualikan:H"},
    )
    assert result.correct


# --- checklist ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picked", "points", "correct"),
    [
        (["a", "c"], 2, True),
        (["c", "a", "a"], 2, True),
        (["a", "c", "x"], 1, False),
        (["a"], 1, False),
        (["x"], 0, False),  # floor 0, not -1
        (["a", "x"], 0, False),
    ],
)
def test_checklist_scores_right_picks_minus_wrong_picks_never_below_zero(
    picked, points, correct
):
    scenario = one_step(checklist("c", "benar", next_if_wrong="salah"))
    result = answer(scenario, start(scenario), picked)
    assert (result.points, result.correct) == (points, correct)
    assert result.new_state.current == ("benar" if correct else "salah")


def test_checklist_feedback_names_every_element():
    scenario = one_step(checklist("c", "benar"))
    result = answer(scenario, start(scenario), ["a", "x"])
    lines = [line.en for line in result.feedback.details]
    assert lines[0].startswith("✓ Unsur a: picked, right")
    assert lines[1].startswith("✗ Unsur c: missed")
    assert lines[2].startswith("✗ Pengecoh: picked, but not")


# --- conditions --------------------------------------------------------------------


def branching():
    return build(
        scenario_dict(
            [
                decision("d1", ("baik", "d2", 3), ("buruk", "d2", 0)),
                decision(
                    "d2",
                    (
                        "lanjut",
                        [
                            {"when": {"score_at_least": 5}, "goto": "tinggi"},
                            {
                                "when": {
                                    "answer_of": {"step": "d1", "equals": "buruk"}
                                },
                                "goto": "ulang",
                            },
                            {"when": {"score_below": 3}, "goto": "rendah"},
                            {"goto": "sedang"},
                        ],
                        2,
                    ),
                ),
                ending("tinggi"),
                ending("ulang"),
                ending("rendah"),
                ending("sedang"),
            ],
            max_score=5,
            pass_mark=4,
        )
    )


@pytest.mark.parametrize(
    ("first", "ending_id"),
    [("baik", "tinggi"), ("buruk", "ulang")],
)
def test_transitions_follow_the_first_condition_that_holds(first, ending_id):
    scenario = branching()
    state = answer(scenario, start(scenario), first).new_state
    assert answer(scenario, state, "lanjut").new_state.current == ending_id


def test_score_conditions_see_the_score_after_the_answer():
    scenario = build(
        scenario_dict(
            [
                decision(
                    "d",
                    (
                        "a",
                        [{"when": {"score_at_least": 2}, "goto": "y"}, {"goto": "n"}],
                        2,
                    ),
                    (
                        "b",
                        [{"when": {"score_below": 2}, "goto": "n"}, {"goto": "y"}],
                        1,
                    ),
                ),
                ending("y"),
                ending("n"),
            ],
            max_score=2,
        )
    )
    assert answer(scenario, start(scenario), "a").new_state.current == "y"
    assert answer(scenario, start(scenario), "b").new_state.current == "n"


def test_answer_of_can_test_correctness_and_membership():
    scenario = build(
        scenario_dict(
            [
                deadline("t", "d"),
                decision(
                    "d",
                    (
                        "x",
                        [
                            {
                                "when": {"answer_of": {"step": "t", "correct": False}},
                                "goto": "salah",
                            },
                            {
                                "when": {
                                    "answer_of": {
                                        "step": "t",
                                        "in": ["2024-03-16", "2024-03-17"],
                                    }
                                },
                                "goto": "benar",
                            },
                            {"goto": "lain"},
                        ],
                        0,
                    ),
                ),
                ending("benar"),
                ending("salah"),
                ending("lain"),
            ],
            max_score=3,
        )
    )
    right = answer(scenario, start(scenario), "2024-03-16").new_state
    assert answer(scenario, right, "x").new_state.current == "benar"
    wrong = answer(scenario, start(scenario), "2024-03-17").new_state
    assert answer(scenario, wrong, "x").new_state.current == "salah"


def test_a_step_scores_once_on_a_loop_and_the_score_never_goes_below_zero():
    scenario = build(
        scenario_dict(
            [
                decision(
                    "d", ("ulang", "d", 2), ("rugi", "r", -5), ("selesai", "z", 0)
                ),
                decision("r", ("kembali", "d", -1)),
                ending("z"),
            ],
            max_score=2,
        )
    )
    s1 = answer(scenario, start(scenario), "ulang").new_state
    assert s1.score == 2
    again = answer(scenario, s1, "ulang")
    assert again.points == 0 and again.new_state.score == 2
    assert "sudah pernah dinilai" in again.feedback.verdict.id
    penalty = answer(scenario, start(scenario), "rugi")
    assert penalty.new_state.score == 0 and penalty.points == 0
    state = answer(scenario, penalty.new_state, "kembali").new_state
    assert state.score == 0
    assert sum(a.points for a in state.answers) == state.score


# --- bad input ---------------------------------------------------------------------

BAD_INPUT = [
    (decision("s", ("a", "benar", 1)), None, "empty"),
    (decision("s", ("a", "benar", 1)), "   ", "empty"),
    (decision("s", ("a", "benar", 1)), "z", "unknown_choice"),
    (decision("s", ("a", "benar", 1)), 1, "unknown_choice"),
    (deadline("s", "benar"), "", "empty"),
    (deadline("s", "benar"), "2024-02-30", "invalid_date"),
    (deadline("s", "benar"), "2023-02-29", "invalid_date"),
    (deadline("s", "benar"), "22/03/2024", "invalid_date"),
    (deadline("s", "benar"), "20240322", "invalid_date"),
    (deadline("s", "benar"), datetime(2024, 3, 22, 0, 0), "invalid_date"),
    (classification("s", "benar"), {}, "empty"),
    (classification("s", "benar"), ["lra"], "invalid"),
    (
        classification("s", "benar"),
        {
            "lra": "berkala",
            "sk": "setiap_saat",
            "ijazah": "dikecualikan:h",
            "nik": "berkala",
        },
        "unknown_item",
    ),
    (classification("s", "benar"), {"lra": "berkala"}, "missing_item"),
    (
        classification("s", "benar"),
        {"lra": "rahasia", "sk": "setiap_saat", "ijazah": "dikecualikan:h"},
        "unknown_category",
    ),
    (
        classification("s", "benar"),
        {"lra": "berkala", "sk": "setiap_saat", "ijazah": "dikecualikan"},
        "exempt_letter",
    ),
    (
        classification("s", "benar"),
        {"lra": "berkala", "sk": "setiap_saat", "ijazah": "dikecualikan:k"},
        "exempt_letter",
    ),
    (
        classification("s", "benar"),
        {"lra": "berkala:h", "sk": "setiap_saat", "ijazah": "dikecualikan:h"},
        "letter_not_exempt",
    ),
    (checklist("s", "benar"), [], "empty"),
    (checklist("s", "benar"), "a", "invalid"),
    (checklist("s", "benar"), {"a": True}, "invalid"),
    (checklist("s", "benar"), ["a", "zz"], "unknown_element"),
    (checklist("s", "benar"), [["a"], ["c"]], "invalid"),
    (checklist("s", "benar"), 7, "invalid"),
]


@pytest.mark.parametrize(("step", "value", "code"), BAD_INPUT)
def test_bad_input_is_rejected_with_a_bilingual_message_and_the_state_unchanged(
    step, value, code
):
    scenario = one_step(step)
    state = start(scenario)
    before = copy.deepcopy(state.to_dict())
    with pytest.raises(ScenarioInputError) as caught:
        answer(scenario, state, value)
    error = caught.value
    assert error.code == code
    assert error.step_id == "s"
    assert (
        error.message_id and error.message_en and error.message_id != error.message_en
    )
    assert state.to_dict() == before
    assert state.current == "s" and state.answers == ()


def test_answering_a_step_that_is_not_current_is_rejected():
    scenario = branching()
    state = answer(scenario, start(scenario), "baik").new_state
    with pytest.raises(ScenarioInputError) as caught:
        answer(scenario, state, "baik", step_id="d1")  # a stale form, submitted twice
    assert caught.value.code == "not_current"
    assert "'d2'" in caught.value.message_en
    assert state.current == "d2" and len(state.answers) == 1


def test_an_ending_cannot_be_answered():
    scenario = branching()
    state = answer(scenario, start(scenario), "baik").new_state
    state = answer(scenario, state, "lanjut").new_state
    assert state.finished
    with pytest.raises(ScenarioInputError) as caught:
        answer(scenario, state, "x")
    assert caught.value.code == "finished"
    unfinished = PlayState(scenario="uji", current="tinggi")
    with pytest.raises(ScenarioInputError) as caught:
        answer(scenario, unfinished, "x")
    assert caught.value.code == "ending"


def test_time_must_be_given_with_a_time_zone():
    scenario = branching()
    with pytest.raises(TypeError):
        advance(
            scenario,
            start(scenario),
            "baik",
            step_id="d1",
            now=datetime(2024, 3, 7),
            oracle=FAKE,
        )  # noqa: DTZ001


def test_a_state_of_another_scenario_is_refused():
    scenario = branching()
    with pytest.raises(ScenarioError):
        answer(scenario, PlayState(scenario="lain", current="d1"), "baik")


# --- storage and debrief ----------------------------------------------------------


def test_play_state_round_trips_through_json_form():
    scenario = one_step(classification("k", "benar"))
    result = answer(
        scenario,
        start(scenario),
        {"lra": "berkala", "sk": "berkala", "ijazah": "dikecualikan:h"},
    )
    state = result.new_state
    assert PlayState.from_dict(state.to_dict()) == state
    with pytest.raises(ScenarioError):
        PlayState.from_dict({"scenario": "uji"})


def test_debrief_lists_the_path_the_true_timeline_and_the_result():
    oracle = FakeOracle()
    scenario = build(
        scenario_dict(
            [
                deadline(
                    "atasan",
                    "pilih",
                    legal_step="objection_response",
                    start={"event": "objection_filed_on"},
                ),
                decision("pilih", ("baik", "akhir", 2), ("buruk", "akhir", 0)),
                ending("akhir"),
            ],
            max_score=5,
            pass_mark=4,
            objection_filed_on="2025-05-08",
            received_on="2025-03-20",
        )
    )
    state = answer(scenario, start(scenario), "2025-06-07", oracle).new_state
    unfinished = debrief(scenario, state, oracle=oracle)
    assert (
        not unfinished.finished and not unfinished.passed and unfinished.ending is None
    )
    state = answer(scenario, state, "baik", oracle).new_state
    report = debrief(scenario, state, oracle=oracle)
    assert [entry.step_id for entry in report.path] == ["atasan", "pilih", "akhir"]
    assert report.path[0].answer.correct and report.path[-1].answer is None
    assert (report.score, report.max_score, report.pass_mark) == (5, 5, 4)
    assert report.passed and report.finished and report.ending.id == "akhir"
    timeline = [
        (e.deadline.legal_step, e.deadline.start, e.deadline.due, e.step_id)
        for e in report.timeline
    ]
    assert timeline == [
        ("notice", date(2025, 3, 20), date(2025, 3, 30), None),
        ("notice_extended", date(2025, 3, 20), date(2025, 4, 6), None),
        ("objection_response", date(2025, 5, 8), date(2025, 6, 7), "atasan"),
        ("dispute", date(2025, 6, 7), date(2025, 6, 21), None),
    ]
    lapse = report.timeline[-1]
    assert "sumber sekunder" in lapse.note.id and "PerKI 1/2013" in lapse.note.id


def test_debrief_fails_below_the_pass_mark():
    scenario = branching()
    state = answer(scenario, start(scenario), "buruk").new_state
    state = answer(scenario, state, "lanjut").new_state
    report = debrief(scenario, state, oracle=FAKE)
    assert report.finished and report.score == 2 and not report.passed


def test_the_debrief_timeline_with_the_real_engine_skips_the_holidays():
    scenario = one_step(deadline("t", "benar"))
    report = debrief(scenario, start(scenario), oracle=KipOracle())
    due = {e.deadline.legal_step: e.deadline.due for e in report.timeline}
    # 10 WD past Nyepi and its cuti bersama; then 7 more WD past Good Friday (29 March).
    assert due == {"notice": date(2024, 3, 22), "notice_extended": date(2024, 4, 3)}
    assert report.timeline[0].step_id == "t"
