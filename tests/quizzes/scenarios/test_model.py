"""from_dict() parses strictly, naming the step and field; to_dict() inverts it."""

import json
from datetime import date

import pytest

from quizzes.scenarios import (
    AnswerOf,
    Condition,
    DateRef,
    DeadlineStep,
    Scenario,
    ScenarioFormatError,
    Transition,
)

from .helpers import (
    build,
    checklist,
    classification,
    deadline,
    decision,
    ending,
    scenario_dict,
)


def full_scenario():
    return scenario_dict(
        [
            decision("mulai", ("a", "tenggat", 2), ("b", "tenggat", 0)),
            deadline(
                "tenggat",
                [
                    {"when": {"score_at_least": 2}, "goto": "kelas"},
                    {
                        "when": {"answer_of": {"step": "mulai", "in": ["b"]}},
                        "goto": "kelas",
                    },
                    {"goto": "periksa"},
                ],
                next_if_wrong="periksa",
                regime="election",
            ),
            classification("kelas", "periksa"),
            checklist(
                "periksa",
                [
                    {
                        "when": {"answer_of": {"step": "tenggat", "correct": True}},
                        "goto": "akhir",
                    },
                    {"goto": "akhir"},
                ],
            ),
            ending("akhir"),
        ],
        max_score=10,
        pass_mark=6,
    )


def test_a_scenario_parses_into_frozen_values():
    scenario = build(full_scenario())
    step = scenario.step("tenggat")
    assert isinstance(step, DeadlineStep)
    assert step.start == DateRef(event="received_on")
    assert step.regime == "election"
    assert step.next[0] == Transition("kelas", Condition(score_at_least=2))
    assert step.next[1].when == Condition(answer_of=AnswerOf("mulai", in_=("b",)))
    assert step.next[2] == Transition("periksa")
    assert step.next_if_wrong == (Transition("periksa"),)
    assert scenario.case.event("received_on") == date(2024, 3, 6)
    with pytest.raises(AttributeError):
        scenario.title = "lain"


def test_to_dict_is_json_and_parses_back_to_the_same_scenario():
    scenario = build(full_scenario())
    data = scenario.to_dict()
    assert Scenario.from_dict(json.loads(json.dumps(data))) == scenario
    assert Scenario.from_dict(data).to_dict() == data


@pytest.mark.parametrize(
    ("mutate", "step_id", "field", "words"),
    [
        (lambda d: d["steps"][1].pop("points"), "tenggat", "points", "required"),
        (lambda d: d["steps"][1].update(points="3"), "tenggat", "points", "integer"),
        (lambda d: d["steps"][1].update(points=True), "tenggat", "points", "integer"),
        (
            lambda d: d["steps"][1].update(pionts=3),
            "tenggat",
            None,
            "unknown keys: pionts",
        ),
        (lambda d: d["steps"][1].update(start={}), "tenggat", "start", "exactly one"),
        (
            lambda d: d["steps"][1].update(start={"event": "x", "step": "y"}),
            "tenggat",
            "start",
            "exactly one",
        ),
        (
            lambda d: d["steps"][0]["choices"][1].update(next=""),
            "mulai",
            "choices[1].next",
            "identifier",
        ),
        (
            lambda d: d["steps"][0]["choices"][0].update(next=[]),
            "mulai",
            "choices[0].next",
            "non-empty",
        ),
        (
            lambda d: d["steps"][1].update(
                next=[{"goto": "kelas"}, {"goto": "periksa"}]
            ),
            "tenggat",
            "next",
            "default",
        ),
        (
            lambda d: d["steps"][1].update(
                next=[{"goto": "kelas", "when": {"score_at_least": 1}}]
            ),
            "tenggat",
            "next",
            "default",
        ),
        (
            lambda d: d["steps"][1]["next"][0].update(
                when={"score_at_least": 1, "score_below": 3}
            ),
            "tenggat",
            "next[0].when",
            "exactly one",
        ),
        (
            lambda d: d["steps"][1]["next"][1]["when"]["answer_of"].update(equals="b"),
            "tenggat",
            "next[1].when.answer_of",
            "exactly one",
        ),
        (
            lambda d: d["steps"][1]["next"][1]["when"]["answer_of"].update(
                **{"in": []}
            ),
            "tenggat",
            "next[1].when.answer_of.in",
            "non-empty",
        ),
        (
            lambda d: d["steps"][4].update(kind="akhir"),
            "akhir",
            "kind",
            "unknown step kind",
        ),
        (lambda d: d["steps"][4].update(title="  "), "akhir", "title", "empty"),
        (
            lambda d: d["steps"][2]["items"][0].pop("category"),
            "kelas",
            "items[0].category",
            "required",
        ),
        (
            lambda d: d["steps"][3]["elements"][0].update(correct="ya"),
            "periksa",
            "elements[0].correct",
            "true or false",
        ),
        (
            lambda d: d["steps"][3].update(id="Periksa Dua"),
            "Periksa Dua",
            "id",
            "invalid",
        ),
        (lambda d: d["steps"][4].update(id="mulai"), "mulai", "id", "used twice"),
        (
            lambda d: d["case"]["events"].update(received_on="2024-02-30"),
            None,
            "case.events.received_on",
            "real date",
        ),
        (
            lambda d: d["case"]["events"].update(received_on="06-03-2024"),
            None,
            "case.events.received_on",
            "YYYY-MM-DD",
        ),
        (lambda d: d["case"].pop("office"), None, "case.office", "required"),
        (lambda d: d.update(max_score=None), None, "max_score", "integer"),
        (lambda d: d.update(steps={}), None, "steps", "a list"),
    ],
)
def test_bad_data_is_a_format_error_naming_the_step_and_field(
    mutate, step_id, field, words
):
    data = full_scenario()
    mutate(data)
    with pytest.raises(ScenarioFormatError) as caught:
        Scenario.from_dict(data)
    error = caught.value
    assert error.step_id == step_id
    assert error.field == field
    assert words in error.message_en
    assert error.message_id  # Indonesian too
    if step_id:
        assert repr(step_id) in str(error)


def test_a_step_without_an_id_is_named_by_its_position():
    data = full_scenario()
    del data["steps"][2]["id"]
    with pytest.raises(ScenarioFormatError) as caught:
        Scenario.from_dict(data)
    assert caught.value.field == "steps[2].id"


def test_not_an_object_is_rejected():
    with pytest.raises(ScenarioFormatError):
        Scenario.from_dict(["not", "a", "scenario"])


def test_semantic_problems_are_left_to_the_validator():
    """Unknown categories, links and legal steps parse: validate() reports them all."""
    data = full_scenario()
    data["steps"][2]["items"][0]["category"] = "rahasia"
    data["steps"][1]["legal_step"] = "banding"
    data["steps"][0]["choices"][0]["next"] = "tidak-ada"
    build(data)
