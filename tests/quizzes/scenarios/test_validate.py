"""validate() reports every problem at the step that has it, and never raises."""

import pytest

import lms.kip
from quizzes.scenarios import LEGAL_STEPS, REGIMES, KipOracle, max_achievable, validate

from .helpers import (
    FakeOracle,
    build,
    checklist,
    classification,
    deadline,
    decision,
    ending,
    scenario_dict,
)


def problems_of(steps, oracle=None, **kwargs):
    found = validate(build(scenario_dict(steps, **kwargs)), oracle=oracle)
    return {(p.step_id, p.code) for p in found}, found


def test_a_sound_scenario_has_no_problems():
    found, _ = problems_of(
        [
            decision("a", ("x", "b", 2), ("y", "c", 0)),
            deadline("b", "c"),
            checklist(
                "c",
                [
                    {"when": {"answer_of": {"step": "a", "equals": "x"}}, "goto": "z1"},
                    {"goto": "z2"},
                ],
            ),
            ending("z1"),
            ending("z2"),
        ],
        max_score=7,
        pass_mark=5,
    )
    assert found == set()


def test_a_dangling_link_is_reported_at_the_step_with_the_link():
    found, problems = problems_of(
        [decision("a", ("x", "b", 0), ("y", "hilang", 0)), ending("b")]
    )
    assert found == {("a", "dangling_link")}
    assert "'hilang'" in problems[0].message_en and "'hilang'" in problems[0].message_id


def test_an_unreachable_step_is_reported_at_that_step():
    found, _ = problems_of(
        [decision("a", ("x", "z", 0)), decision("yatim", ("x", "z", 0)), ending("z")]
    )
    assert found == {("yatim", "unreachable")}


def test_an_endless_cycle_is_reported_once_at_its_first_step():
    found, problems = problems_of(
        [
            decision("a", ("x", "b", 0), ("y", "z", 0)),
            decision("b", ("x", "c", 0)),
            decision("c", ("x", "b", 0)),
            ending("z"),
        ]
    )
    assert found == {("b", "endless_cycle")}
    assert "b, c" in problems[0].message_en


def test_a_self_loop_without_exit_is_an_endless_cycle():
    found, _ = problems_of(
        [decision("a", ("x", "b", 0)), decision("b", ("x", "b", 0)), ending("z")],
        start="a",
    )
    assert ("b", "endless_cycle") in found
    assert ("z", "unreachable") in found


def test_a_loop_with_a_way_out_is_fine():
    found, _ = problems_of(
        [
            deadline("t", "z", next_if_wrong="ulang"),
            decision("ulang", ("coba-lagi", "t", 0)),
            ending("z"),
        ],
        max_score=3,
    )
    assert found == set()


def test_a_condition_inside_a_loop_is_reported_at_its_step():
    found, _ = problems_of(
        [
            decision("a", ("x", "b", 1)),
            decision(
                "b",
                ("x", [{"when": {"score_at_least": 1}, "goto": "z"}, {"goto": "a"}], 0),
            ),
            ending("z"),
        ],
        max_score=1,
    )
    assert found == {("b", "conditional_in_cycle")}


def test_empty_choices_are_reported_with_the_dead_end_they_make():
    found, _ = problems_of([decision("a", ("x", "b", 0)), decision("b"), ending("z")])
    assert found == {("b", "empty_choices"), ("b", "dead_end"), ("z", "unreachable")}


def test_a_step_whose_links_all_dangle_is_a_dead_end():
    found, _ = problems_of(
        [decision("a", ("x", "b", 0)), deadline("b", "hilang"), ending("z")],
        max_score=3,
    )
    assert ("b", "dead_end") in found and ("b", "dangling_link") in found


def test_duplicate_choice_ids_are_reported():
    found, _ = problems_of([decision("a", ("x", "z", 0), ("x", "z", 0)), ending("z")])
    assert found == {("a", "duplicate_choice_id")}


@pytest.mark.parametrize(
    ("max_score", "pass_mark", "expected"),
    [
        (5, 3, {(None, "score_above_max")}),  # a path scores 6
        (9, 3, {(None, "max_score_unreachable")}),
        (-1, 0, {(None, "negative_max_score"), (None, "pass_mark_out_of_range")}),
        (6, 7, {(None, "pass_mark_out_of_range")}),
        (6, -1, {(None, "pass_mark_out_of_range")}),
        (6, 6, set()),
    ],
)
def test_scores_stay_in_range(max_score, pass_mark, expected):
    found, _ = problems_of(
        [
            decision("a", ("x", "b", 4), ("y", "z", 1)),
            decision("b", ("x", "z", 2)),
            ending("z"),
        ],
        max_score=max_score,
        pass_mark=pass_mark,
    )
    assert found == expected


def test_the_score_bound_follows_each_choice_and_ignores_negative_points():
    scenario = build(
        scenario_dict(
            [
                decision("a", ("x", "b", 4), ("y", "c", 1)),
                decision("b", ("x", "z", -3)),
                classification("c", "z", points_per_item=3),  # 9 points
                ending("z"),
            ]
        )
    )
    assert max_achievable(scenario) == 10


def test_a_loop_counts_each_step_once_in_the_bound():
    scenario = build(
        scenario_dict(
            [
                deadline("t", "z", next_if_wrong="u"),
                decision("u", ("lagi", "t", 1)),
                ending("z"),
            ]
        )
    )
    assert max_achievable(scenario) == 4


def test_negative_points_on_graded_steps_are_reported():
    found, _ = problems_of([deadline("t", "z", points=-1), ending("z")])
    assert ("t", "negative_points") in found


# --- deadline steps ------------------------------------------------------------------


def test_deadline_names_are_checked_without_an_oracle():
    found, _ = problems_of(
        [
            deadline("t1", "t2", legal_step="banding"),
            deadline("t2", "t3", regime="darurat"),
            deadline("t3", "t4", start={"event": "putusan_on"}),
            deadline("t4", "t5", start={"step": "z"}),
            deadline("t5", "z"),
            ending("z"),
        ],
        max_score=15,
    )
    assert found == {
        ("t1", "unknown_legal_step"),
        ("t2", "unknown_regime"),
        ("t3", "unknown_event"),
        ("t4", "bad_start_step"),
    }


def test_deadline_starts_that_refer_in_a_circle_are_reported():
    found, _ = problems_of(
        [
            deadline("t1", "t2", start={"step": "t2"}),
            deadline("t2", "z", start={"step": "t1"}),
            ending("z"),
        ],
        max_score=6,
    )
    assert found == {("t1", "start_cycle"), ("t2", "start_cycle")}


def test_the_case_regime_is_checked():
    data = scenario_dict([ending("z")])
    data["case"]["regime"] = "pilkada"
    assert [(p.step_id, p.code) for p in validate(build(data))] == [
        (None, "unknown_regime")
    ]


def test_with_an_oracle_the_deadline_is_computed_and_its_refusal_reported():
    found, problems = problems_of(
        [deadline("t1", "t2", legal_step="banding"), deadline("t2", "z"), ending("z")],
        oracle=FakeOracle(),
        max_score=6,
    )
    assert found == {("t1", "oracle_error")}
    assert "banding" in problems[0].message_en


def test_a_date_outside_the_legal_calendar_is_reported_by_the_real_oracle():
    found, problems = problems_of(
        [deadline("t", "z"), ending("z")],
        oracle=KipOracle(),
        max_score=3,
        received_on="2031-01-06",
    )
    assert found == {("t", "oracle_error")}


def test_the_case_events_must_be_computable_for_the_debrief_timeline():
    """A court judgment late in the last known year puts cassation past it."""
    found, _ = problems_of(
        [deadline("t", "z"), ending("z")],
        oracle=KipOracle(),
        max_score=3,
        received_on="2024-03-06",
        court_judgment_received_on=f"{lms.kip.LAST_YEAR}-12-28",
    )
    assert found == {(None, "oracle_error")}


def test_the_engine_knows_the_legal_engines_steps_and_regimes():
    assert set(LEGAL_STEPS) == set(lms.kip.STEPS)
    assert set(REGIMES) == set(lms.kip.REGIMES)


# --- classification, checklist and conditions -------------------------------------


def test_classification_categories_and_pasal_17_letters_are_checked():
    step = classification("k", "z")
    step["items"] += [
        {"id": "a", "text": "A", "category": "rahasia"},
        {"id": "b", "text": "B", "category": "dikecualikan"},
        {"id": "c", "text": "C", "category": "dikecualikan", "letter": "k"},
        {"id": "d", "text": "D", "category": "berkala", "letter": "h"},
        {"id": "a", "text": "A lagi", "category": "berkala"},
    ]
    found, problems = problems_of([step, ending("z")], max_score=8)
    assert found == {
        ("k", "invalid_category"),
        ("k", "missing_exempt_letter"),
        ("k", "invalid_exempt_letter"),
        ("k", "letter_on_open_category"),
        ("k", "duplicate_item_id"),
    }


def test_empty_classification_and_checklists_are_reported():
    found, _ = problems_of(
        [
            classification("k", "c", items=[]),
            checklist("c", "d", elements=[{"id": "x", "text": "X", "correct": False}]),
            checklist("d", "z", elements=[]),
            ending("z"),
        ]
    )
    assert {
        ("k", "empty_items"),
        ("c", "no_correct_element"),
        ("d", "empty_elements"),
    } <= found


@pytest.mark.parametrize(
    ("when", "code"),
    [
        ({"score_at_least": 99}, "condition_never_true"),
        ({"score_at_least": 0}, "condition_always_true"),
        ({"score_below": 0}, "condition_never_true"),
        ({"score_below": 99}, "condition_always_true"),
        ({"answer_of": {"step": "hilang", "correct": True}}, "unknown_condition_step"),
        ({"answer_of": {"step": "z1", "correct": True}}, "unknown_condition_step"),
        (
            {"answer_of": {"step": "a", "equals": "tidak-ada"}},
            "invalid_condition_value",
        ),
        ({"answer_of": {"step": "t", "in": ["2024-02-30"]}}, "invalid_condition_value"),
        ({"answer_of": {"step": "c", "equals": "x"}}, "condition_needs_correct"),
    ],
)
def test_conditions_are_checked_at_the_step_that_uses_them(when, code):
    found, _ = problems_of(
        [
            decision("a", ("x", "t", 2), ("y", "t", 0)),
            deadline("t", "c"),
            checklist("c", "d"),
            decision(
                "d", ("lanjut", [{"when": when, "goto": "z1"}, {"goto": "z2"}], 0)
            ),
            ending("z1"),
            ending("z2"),
        ],
        max_score=7,
    )
    assert found == {("d", code)}


def test_problems_come_scenario_first_then_in_step_order():
    _, problems = problems_of(
        [decision("a", ("x", "hilang", 0)), decision("b"), ending("z")], max_score=-1
    )
    order = [p.step_id for p in problems]
    assert order[0] is None
    assert order.index("a") < order.index("b") < order.index("z")


def test_duplicate_step_ids_in_a_hand_built_scenario_are_reported():
    from dataclasses import replace

    scenario = build(scenario_dict([decision("a", ("x", "z", 0)), ending("z")]))
    doubled = replace(scenario, steps=(*scenario.steps, scenario.steps[1]))
    assert ("z", "duplicate_step_id") in {
        (p.step_id, p.code) for p in validate(doubled)
    }


def test_a_missing_start_and_a_missing_ending_are_scenario_problems():
    found, _ = problems_of([decision("a", ("x", "a", 0))], start="mulai")
    assert (None, "unknown_start") in found and (None, "no_ending") in found
