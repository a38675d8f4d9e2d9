"""Random scenario graphs: validate() never crashes, and a valid scenario always ends.

The walker answers like a learner who varies answers on a loop: each step's options
(choices, or right/wrong) are taken in turn from a random offset (a rotor walk). A
purely random walker would let Hypothesis pick "the first choice" forever, which no
scenario can survive; the validator's promise is about a learner who keeps trying.
"""

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from quizzes.scenarios import (
    ChecklistStep,
    ClassificationStep,
    DeadlineStep,
    Scenario,
    advance,
    deadline_for,
    debrief,
    max_achievable,
    render_svg,
    start,
    validate,
)
from quizzes.scenarios.model import RIGHT, options

from .helpers import NOW, FakeOracle, wrong_category

KINDS = ("decision", "deadline", "classification", "checklist", "ending")
ITEMS = (
    {"id": "lra", "text": "Laporan keuangan", "category": "berkala"},
    {"id": "sk", "text": "SK", "category": "setiap_saat"},
    {"id": "banjir", "text": "Banjir", "category": "serta_merta"},
    {"id": "ijazah", "text": "Ijazah", "category": "dikecualikan", "letter": "h"},
    {"id": "aneh", "text": "Aneh", "category": "rahasia"},
)
LIMIT = 1000
ORACLE = FakeOracle()


@st.composite
def scenario_data(draw):
    n = draw(st.integers(2, 8))
    ids = [f"s{i}" for i in range(n)]
    # A sound draw avoids deliberate defects and links each step to the next one first
    # (so every step is reachable); loops and conditions still come at random.
    sound = draw(st.booleans())

    def target(i, spine=False):
        if sound and spine and i + 1 < n:
            return ids[i + 1]
        # Mostly forward, sometimes back (loops), rarely to a missing step.
        missing = [] if sound else ["hilang"]
        return draw(st.sampled_from(ids[i + 1 :] * 4 + ids + missing))

    def condition():
        low, high = (1, 3) if sound else (-1, 12)
        return draw(
            st.one_of(
                st.integers(low, high).map(lambda k: {"score_at_least": k}),
                st.integers(low, high).map(lambda k: {"score_below": k}),
                st.builds(
                    lambda s, c: {"answer_of": {"step": s, "correct": c}},
                    st.sampled_from(ids[:-1] if sound else ids),
                    st.booleans(),
                ),
            )
        )

    def next_(i, spine=False):
        if draw(st.integers(0, 4)) == 0:
            conditional = [
                {"when": condition(), "goto": target(i)}
                for _ in range(draw(st.integers(1, 2)))
            ]
            return [*conditional, {"goto": target(i, spine)}]
        return target(i, spine)

    steps = []
    for i, step_id in enumerate(ids):
        middle = KINDS[:-1] if sound else KINDS  # an early ending would cut the spine
        kind = "ending" if i == n - 1 else draw(st.sampled_from(middle))
        step = {"id": step_id, "kind": kind, "title": f"<Langkah> {step_id} & co"}
        if kind == "decision":
            step["choices"] = [
                {
                    "id": f"c{j}",
                    "text": f"Pilihan {j}",
                    "points": draw(st.integers(-2, 4)),
                    "next": next_(i, spine=j == 0),
                }
                for j in range(draw(st.integers(1 if sound else 0, 3)))
            ]
        elif kind == "ending":
            step["outcome"] = "Selesai"
        else:
            step["next"] = next_(i, spine=True)
            if draw(st.booleans()):
                step["next_if_wrong"] = next_(i)
        if kind == "deadline":
            legal = ["notice", "dispute"] + ([] if sound else ["banding"])
            step["legal_step"] = draw(st.sampled_from(legal))
            step["points"] = draw(st.integers(0, 4))
            earlier = [s["id"] for s in steps if s["kind"] == "deadline"]
            if earlier and draw(st.booleans()):
                step["start"] = {"step": draw(st.sampled_from(earlier))}
            else:
                events = ["received_on"] + ([] if sound else ["lain"])
                step["start"] = {"event": draw(st.sampled_from(events))}
        elif kind == "classification":
            pool = ITEMS[:-1] if sound else ITEMS
            step["items"] = draw(
                st.lists(
                    st.sampled_from(pool),
                    min_size=1 if sound else 0,
                    max_size=3,
                    unique_by=lambda item: item["id"],
                )
            )
            step["points_per_item"] = draw(st.integers(0, 2))
        elif kind == "checklist":
            step["elements"] = [
                {
                    "id": f"e{j}",
                    "text": f"Unsur {j}",
                    "correct": (sound and j == 0) or draw(st.booleans()),
                }
                for j in range(draw(st.integers(1 if sound else 0, 3)))
            ]
            step["points_per_element"] = draw(st.integers(0, 2))
        steps.append(step)

    data = {
        "slug": "acak",
        "title": "Skenario <acak>",
        "course": "dasar-kip",
        "start": "s0",
        "max_score": 0,
        "pass_mark": 0,
        "case": {
            "requester": "P",
            "request": "R",
            "office": "KPU Kota Denpasar",
            "regime": draw(st.sampled_from(["general", "election"])),
            "events": {"received_on": "2024-03-06"},
        },
        "steps": steps,
    }
    # Usually declare the exact bound, so that many graphs are valid.
    bound = max_achievable(Scenario.from_dict(data))
    data["max_score"] = bound if draw(st.integers(0, 4)) else draw(st.integers(-1, 20))
    data["pass_mark"] = draw(st.integers(0, max(data["max_score"], 0)))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data())
def test_validate_and_the_diagram_never_crash_on_random_graphs(data):
    scenario = Scenario.from_dict(data)
    assert Scenario.from_dict(scenario.to_dict()) == scenario
    problems = validate(scenario)
    with_oracle = validate(scenario, oracle=ORACLE)
    assert all(p.message.id and p.message.en for p in problems + with_oracle)
    known = {step.id for step in scenario.steps}
    assert all(p.step_id is None or p.step_id in known for p in problems)
    ET.fromstring(render_svg(scenario, problems=problems))


def answer_for(scenario, step, option):
    if option.choice is not None:
        return option.choice.id
    right = option.key == RIGHT
    if isinstance(step, DeadlineStep):
        due = deadline_for(scenario, step, oracle=ORACLE).due
        return (due if right else due + timedelta(days=1)).isoformat()
    if isinstance(step, ClassificationStep):
        answer = {item.id: item.answer_key for item in step.items}
        if not right:
            first = step.items[0]
            answer[first.id] = wrong_category(first.answer_key)
        return answer
    assert isinstance(step, ChecklistStep)
    picks = [e.id for e in step.elements if e.correct]
    if not right:
        extra = [e.id for e in step.elements if not e.correct]
        picks = picks + extra[:1] if extra else picks[1:]
    return picks


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_data(), st.randoms(use_true_random=False))
def test_a_valid_scenario_always_reaches_an_ending(data, rng):
    scenario = Scenario.from_dict(data)
    problems = validate(scenario, oracle=ORACLE)
    event("valid" if not problems else "invalid")
    if problems:
        return
    state = start(scenario)
    visits: Counter[str] = Counter()
    offsets: dict[str, int] = {}
    moves = 0
    while not state.finished:
        assert moves < LIMIT, f"no ending after {LIMIT} moves: {state.path[-12:]}"
        step = scenario.step(state.current)
        choices = options(step)
        offset = offsets.setdefault(step.id, rng.randrange(len(choices)))
        option = choices[(offset + visits[step.id]) % len(choices)]
        visits[step.id] += 1
        before = state.to_dict()
        result = advance(
            scenario,
            state,
            answer_for(scenario, step, option),
            step_id=step.id,
            now=NOW,
            oracle=ORACLE,
        )
        assert state.to_dict() == before  # the old state is never changed
        if option.choice is None:
            assert result.correct == (option.key == RIGHT)
        state = result.new_state
        assert 0 <= state.score <= scenario.max_score
        assert sum(a.points for a in state.answers) == state.score
        moves += 1
    note(f"ended at {state.current} after {moves} moves, score {state.score}")
    report = debrief(scenario, state, oracle=ORACLE)
    assert report.finished and report.ending is not None
    assert report.passed == (state.score >= scenario.pass_mark)
