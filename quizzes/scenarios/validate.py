"""Checks a scenario before it is saved or published; every problem names its step.

Standard library only. `validate()` never raises on a parsed `Scenario`: it returns a
list of `Problem`s (empty when the scenario can be published), each with the step it
belongs to (None for the scenario as a whole), a stable `code` for tests and the
admin, and a message in Indonesian and English.

Graph rules, on the links that point to existing steps:

* every link points to an existing step; the start step exists; there is an ending;
* every step is reachable from the start;
* no dead end: a reachable step that is not an ending has a way out;
* no endless cycle: a loop (strongly connected component) has a link leaving it;
* no condition inside a loop: a choice or outcome whose transitions depend on a
  condition may not lead back into its own loop. Scores count once per step, so a
  condition read inside a loop may never change, and the learner could be trapped.
  With this rule every loop is left by the learner's own answers.

Together these guarantee that, whatever the conditions say, a learner who keeps
answering (and varies the answers on a loop) reaches an ending. Score rules use an
upper bound of the achievable score that ignores conditions and counts each step of a
loop once (`max_achievable`); it is exact for loop-free scenarios.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from quizzes.scenarios.engine import (
    LEGAL_STEPS,
    REGIMES,
    DeadlineOracle,
    case_timeline,
    deadline_for,
)
from quizzes.scenarios.model import (
    CATEGORIES,
    EXEMPT,
    PASAL_17_LETTERS,
    ChecklistStep,
    ClassificationStep,
    Condition,
    DeadlineStep,
    DecisionStep,
    EndingStep,
    Scenario,
    ScenarioError,
    Step,
    Text,
    edges,
    options,
    parse_iso_date,
)


@dataclass(frozen=True)
class Problem:
    step_id: str | None  # None: the scenario as a whole
    code: str
    message: Text

    @property
    def message_id(self) -> str:
        return self.message.id

    @property
    def message_en(self) -> str:
        return self.message.en


class _Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, step_id: str | None, code: str, **values: object) -> None:
        self.found.append(Problem(step_id, code, MESSAGES[code].format(**values)))


def validate(
    scenario: Scenario, *, oracle: DeadlineOracle | None = None
) -> list[Problem]:
    """Every problem of `scenario`: scenario-level ones first, then by step order.

    With an `oracle`, deadline steps are computed, so a step or regime the legal
    engine does not know, or a date outside its calendar, is reported; without one,
    names are checked against the legal engine's known steps and regimes.
    """
    problems = _Problems()
    by_id: dict[str, Step] = {}
    for step in scenario.steps:
        if step.id in by_id:
            problems.add(step.id, "duplicate_step_id", step=step.id)
        by_id.setdefault(step.id, step)

    _check_scenario(scenario, by_id, problems, oracle)
    for step in scenario.steps:
        _check_step(scenario, step, by_id, problems, oracle)
    if oracle is not None and not any(p.code == "oracle_error" for p in problems.found):
        # The debrief computes the statutory periods of the case's events as well.
        try:
            case_timeline(scenario, oracle=oracle)
        except ScenarioError as error:
            problems.add(None, "oracle_error", error=str(error))
    _check_graph(scenario, by_id, problems)
    _check_scores(scenario, by_id, problems)

    order = {step.id: index for index, step in enumerate(scenario.steps)}
    return sorted(
        problems.found,
        key=lambda p: -1 if p.step_id is None else order.get(p.step_id, len(order)),
    )


def _check_scenario(
    scenario: Scenario,
    by_id: dict[str, Step],
    problems: _Problems,
    oracle: DeadlineOracle | None,
) -> None:
    if scenario.start not in by_id:
        problems.add(None, "unknown_start", step=scenario.start)
    if not any(isinstance(step, EndingStep) for step in scenario.steps):
        problems.add(None, "no_ending")
    if oracle is None and scenario.case.regime not in REGIMES:
        problems.add(
            None,
            "unknown_regime",
            regime=scenario.case.regime,
            allowed=", ".join(REGIMES),
        )
    if scenario.max_score < 0:
        problems.add(None, "negative_max_score", max=scenario.max_score)
    if not 0 <= scenario.pass_mark <= scenario.max_score:
        problems.add(
            None,
            "pass_mark_out_of_range",
            mark=scenario.pass_mark,
            max=scenario.max_score,
        )


def _check_step(
    scenario: Scenario,
    step: Step,
    by_id: dict[str, Step],
    problems: _Problems,
    oracle: DeadlineOracle | None,
) -> None:
    for edge in edges(step):
        if edge.target not in by_id:
            problems.add(
                step.id, "dangling_link", target=edge.target, option=edge.option
            )
        if edge.when is not None:
            _check_condition(scenario, step, edge.when, by_id, problems)

    if isinstance(step, DecisionStep):
        if not step.choices:
            problems.add(step.id, "empty_choices")
        for duplicate in _duplicates(c.id for c in step.choices):
            problems.add(step.id, "duplicate_choice_id", id=duplicate)
    elif isinstance(step, DeadlineStep):
        _check_deadline(scenario, step, by_id, problems, oracle)
    elif isinstance(step, ClassificationStep):
        if not step.items:
            problems.add(step.id, "empty_items")
        if step.points_per_item < 0:
            problems.add(step.id, "negative_points", points=step.points_per_item)
        for duplicate in _duplicates(i.id for i in step.items):
            problems.add(step.id, "duplicate_item_id", id=duplicate)
        for item in step.items:
            if item.category not in CATEGORIES:
                problems.add(
                    step.id,
                    "invalid_category",
                    item=item.id,
                    category=item.category,
                    allowed=", ".join(CATEGORIES),
                )
            elif item.category == EXEMPT and item.letter is None:
                problems.add(step.id, "missing_exempt_letter", item=item.id)
            elif item.category == EXEMPT and item.letter not in PASAL_17_LETTERS:
                problems.add(
                    step.id, "invalid_exempt_letter", item=item.id, letter=item.letter
                )
            elif item.category != EXEMPT and item.letter is not None:
                problems.add(step.id, "letter_on_open_category", item=item.id)
    elif isinstance(step, ChecklistStep):
        if not step.elements:
            problems.add(step.id, "empty_elements")
        elif not any(e.correct for e in step.elements):
            problems.add(step.id, "no_correct_element")
        if step.points_per_element < 0:
            problems.add(step.id, "negative_points", points=step.points_per_element)
        for duplicate in _duplicates(e.id for e in step.elements):
            problems.add(step.id, "duplicate_element_id", id=duplicate)


def _check_deadline(
    scenario: Scenario,
    step: DeadlineStep,
    by_id: dict[str, Step],
    problems: _Problems,
    oracle: DeadlineOracle | None,
) -> None:
    if step.points < 0:
        problems.add(step.id, "negative_points", points=step.points)
    fine = True
    if oracle is None:
        if step.legal_step not in LEGAL_STEPS:
            fine = False
            problems.add(
                step.id,
                "unknown_legal_step",
                legal_step=step.legal_step,
                allowed=", ".join(LEGAL_STEPS),
            )
        if step.regime is not None and step.regime not in REGIMES:
            fine = False
            problems.add(
                step.id,
                "unknown_regime",
                regime=step.regime,
                allowed=", ".join(REGIMES),
            )
    ref = step.start
    if ref.event is not None and scenario.case.event(ref.event) is None:
        fine = False
        events = ", ".join(name for name, _ in scenario.case.events) or "-"
        problems.add(step.id, "unknown_event", event=ref.event, allowed=events)
    if ref.step is not None:
        earlier = by_id.get(ref.step)
        if not isinstance(earlier, DeadlineStep):
            fine = False
            problems.add(step.id, "bad_start_step", start=ref.step)
        elif _start_cycle(step, by_id):
            fine = False
            problems.add(step.id, "start_cycle")
    if fine and oracle is not None:
        try:
            deadline_for(scenario, step, oracle=oracle)
        except ScenarioError as error:
            problems.add(step.id, "oracle_error", error=str(error))


def _start_cycle(step: DeadlineStep, by_id: dict[str, Step]) -> bool:
    seen = {step.id}
    current: Step | None = step
    while isinstance(current, DeadlineStep) and current.start.step is not None:
        if current.start.step in seen:
            return True
        seen.add(current.start.step)
        current = by_id.get(current.start.step)
    return False


def _check_condition(
    scenario: Scenario,
    step: Step,
    when: Condition,
    by_id: dict[str, Step],
    problems: _Problems,
) -> None:
    top = max(scenario.max_score, 0)
    if when.score_at_least is not None:
        if when.score_at_least > top:
            problems.add(step.id, "condition_never_true", condition=_cond(when))
        elif when.score_at_least <= 0:
            problems.add(step.id, "condition_always_true", condition=_cond(when))
    elif when.score_below is not None:
        if when.score_below <= 0:
            problems.add(step.id, "condition_never_true", condition=_cond(when))
        elif when.score_below > top:
            problems.add(step.id, "condition_always_true", condition=_cond(when))
    elif when.answer_of is not None:
        test = when.answer_of
        target = by_id.get(test.step)
        if target is None or isinstance(target, EndingStep):
            problems.add(step.id, "unknown_condition_step", target=test.step)
            return
        values = (test.equals,) if test.equals is not None else test.in_ or ()
        if test.correct is not None:
            return
        if isinstance(target, DecisionStep):
            known = {c.id for c in target.choices}
            for value in values:
                if value not in known:
                    problems.add(
                        step.id,
                        "invalid_condition_value",
                        target=test.step,
                        value=value,
                    )
        elif isinstance(target, DeadlineStep):
            for value in values:
                if parse_iso_date(value) is None:
                    problems.add(
                        step.id,
                        "invalid_condition_value",
                        target=test.step,
                        value=value,
                    )
        else:
            problems.add(step.id, "condition_needs_correct", target=test.step)


def _cond(when: Condition) -> str:
    if when.score_at_least is not None:
        return f"score_at_least {when.score_at_least}"
    return f"score_below {when.score_below}"


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    found: list[str] = []
    for value in ids:
        if value in seen and value not in found:
            found.append(value)
        seen.add(value)
    return found


# --- the graph --------------------------------------------------------------------


def successors(scenario: Scenario) -> dict[str, list[str]]:
    """Each step's distinct targets that exist, in link order."""
    by_id = {step.id for step in scenario.steps}
    graph: dict[str, list[str]] = {}
    for step in scenario.steps:
        targets = graph.setdefault(step.id, [])
        for edge in edges(step):
            if edge.target in by_id and edge.target not in targets:
                targets.append(edge.target)
    return graph


def reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    if start not in graph:
        return set()
    seen, queue = {start}, deque([start])
    while queue:
        for target in graph[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative), sinks first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _is_loop(component: list[str], graph: dict[str, list[str]]) -> bool:
    return len(component) > 1 or component[0] in graph[component[0]]


def _check_graph(
    scenario: Scenario, by_id: dict[str, Step], problems: _Problems
) -> None:
    graph = successors(scenario)
    has_start = scenario.start in graph
    seen = reachable(graph, scenario.start) if has_start else set(graph)
    order = {step.id: i for i, step in enumerate(scenario.steps)}
    if has_start:
        for step in scenario.steps:
            if step.id not in seen:
                problems.add(step.id, "unreachable")

    component_of: dict[str, int] = {}
    comps = components(graph)
    for number, component in enumerate(comps):
        for member in component:
            component_of[member] = number

    for step in scenario.steps:
        if step.id not in seen or isinstance(step, EndingStep):
            continue
        if not graph[step.id]:
            problems.add(step.id, "dead_end")
        # A choice or outcome led by conditions must not lead back into its loop.
        for option in options(step):
            if any(t.when is not None for t in option.next) and any(
                t.goto in component_of
                and component_of[t.goto] == component_of[step.id]
                and _is_loop(comps[component_of[step.id]], graph)
                for t in option.next
            ):
                problems.add(step.id, "conditional_in_cycle", option=option.key)

    for component in comps:
        if not _is_loop(component, graph) or not set(component) & seen:
            continue
        members = set(component)
        leaves = any(t not in members for m in component for t in graph[m])
        if not leaves:
            ordered = sorted(component, key=order.__getitem__)
            problems.add(ordered[0], "endless_cycle", steps=", ".join(ordered))


# --- scores ---------------------------------------------------------------------------


def max_achievable(scenario: Scenario) -> int:
    """An upper bound of the score a play can reach from the start.

    Conditions are ignored (every transition may be taken); negative choices count as
    0 (the score never goes below 0); a loop counts each of its steps' best answer once
    (steps score once). Exact when the scenario has no loops and no conditions.
    """
    graph = successors(scenario)
    if scenario.start not in graph:
        return 0
    by_id = {step.id: step for step in scenario.steps}
    comps = components(graph)  # sinks first: a component's successors come before it
    best: dict[str, int] = {}
    for component in comps:
        members = set(component)
        if _is_loop(component, graph):
            inside = sum(
                max((max(0, o.max_points) for o in options(by_id[m])), default=0)
                for m in component
            )
            exit_best = max(
                (best[t] for m in component for t in graph[m] if t not in members),
                default=0,
            )
            for member in component:
                best[member] = inside + exit_best
        else:
            (node,) = component
            best[node] = max(
                (
                    max(0, option.max_points)
                    + max(
                        (best[t.goto] for t in option.next if t.goto in best),
                        default=0,
                    )
                    for option in options(by_id[node])
                ),
                default=0,
            )
    return best[scenario.start]


def _check_scores(
    scenario: Scenario, by_id: dict[str, Step], problems: _Problems
) -> None:
    if scenario.start not in by_id or scenario.max_score < 0:
        return
    bound = max_achievable(scenario)
    if bound > scenario.max_score:
        problems.add(None, "score_above_max", bound=bound, max=scenario.max_score)
    elif bound < scenario.max_score:
        problems.add(None, "max_score_unreachable", bound=bound, max=scenario.max_score)


MESSAGES: dict[str, Text] = {
    "duplicate_step_id": Text(
        "Pengenal langkah {step!r} dipakai lebih dari sekali.",
        "Step id {step!r} is used more than once.",
    ),
    "unknown_start": Text(
        "Langkah awal {step!r} tidak ada.", "The start step {step!r} does not exist."
    ),
    "no_ending": Text(
        "Skenario tidak memiliki langkah akhir (ending).",
        "The scenario has no ending step.",
    ),
    "unknown_regime": Text(
        "Rezim {regime!r} tidak dikenal; pilihan: {allowed}.",
        "Unknown regime {regime!r}; allowed: {allowed}.",
    ),
    "negative_max_score": Text(
        "Skor maksimum {max} tidak boleh negatif.",
        "The maximum score {max} is negative.",
    ),
    "pass_mark_out_of_range": Text(
        "Batas lulus {mark} harus antara 0 dan skor maksimum {max}.",
        "The pass mark {mark} must be between 0 and the maximum score {max}.",
    ),
    "score_above_max": Text(
        "Skor yang dapat dicapai ({bound}) melebihi skor maksimum yang dinyatakan "
        "({max}).",
        "The achievable score ({bound}) exceeds the declared maximum score ({max}).",
    ),
    "max_score_unreachable": Text(
        "Skor maksimum {max} tidak dapat dicapai; paling tinggi {bound}.",
        "The maximum score {max} cannot be reached; at most {bound}.",
    ),
    "dangling_link": Text(
        "Tautan dari {option!r} menuju langkah {target!r} yang tidak ada.",
        "The link from {option!r} points to a missing step {target!r}.",
    ),
    "unreachable": Text(
        "Langkah ini tidak dapat dicapai dari langkah awal.",
        "This step cannot be reached from the start.",
    ),
    "dead_end": Text(
        "Jalan buntu: langkah ini bukan langkah akhir dan tidak menuju langkah lain.",
        "Dead end: this step is not an ending and leads nowhere.",
    ),
    "endless_cycle": Text(
        "Putaran tanpa jalan keluar: {steps}. Tambahkan pilihan yang keluar dari "
        "putaran menuju langkah akhir.",
        "A loop with no way out: {steps}. Add a choice leaving the loop towards an "
        "ending.",
    ),
    "conditional_in_cycle": Text(
        "Transisi bersyarat dari {option!r} kembali ke putaran yang sama. Skor "
        "dihitung sekali per langkah, sehingga syarat dalam putaran dapat menjebak "
        "peserta; gunakan pilihan peserta untuk keluar-masuk putaran.",
        "Conditional transitions from {option!r} lead back into their own loop. "
        "Steps score once, so a condition inside a loop can trap the learner; let "
        "the learner's choices enter and leave loops.",
    ),
    "empty_choices": Text(
        "Langkah keputusan harus memiliki setidaknya satu pilihan.",
        "A decision step needs at least one choice.",
    ),
    "duplicate_choice_id": Text(
        "Pengenal pilihan {id!r} dipakai lebih dari sekali.",
        "Choice id {id!r} is used more than once.",
    ),
    "negative_points": Text(
        "Poin {points} tidak boleh negatif.", "Points {points} must not be negative."
    ),
    "unknown_legal_step": Text(
        "Tahap hukum {legal_step!r} tidak dikenal mesin hukum; pilihan: {allowed}.",
        "The legal engine does not know step {legal_step!r}; allowed: {allowed}.",
    ),
    "unknown_event": Text(
        "Berkas kasus tidak memiliki peristiwa {event!r}; yang ada: {allowed}.",
        "The case file has no event {event!r}; it has: {allowed}.",
    ),
    "bad_start_step": Text(
        "Titik awal {start!r} harus berupa langkah tenggat yang ada.",
        "The start {start!r} must be an existing deadline step.",
    ),
    "start_cycle": Text(
        "Titik awal tenggat saling merujuk secara melingkar.",
        "Deadline starts refer to each other in a circle.",
    ),
    "oracle_error": Text(
        "Mesin hukum tidak dapat menghitung tenggat: {error}",
        "The legal engine cannot compute the deadline: {error}",
    ),
    "empty_items": Text(
        "Langkah klasifikasi harus memiliki setidaknya satu informasi.",
        "A classification step needs at least one item.",
    ),
    "duplicate_item_id": Text(
        "Pengenal informasi {id!r} dipakai lebih dari sekali.",
        "Item id {id!r} is used more than once.",
    ),
    "invalid_category": Text(
        "Kategori {category!r} untuk {item!r} tidak sah; pilihan: {allowed}.",
        "Category {category!r} of {item!r} is invalid; allowed: {allowed}.",
    ),
    "missing_exempt_letter": Text(
        "Informasi dikecualikan {item!r} harus menyebut huruf Pasal 17 (a-j).",
        "Exempt item {item!r} must name its Article 17 letter (a-j).",
    ),
    "invalid_exempt_letter": Text(
        "Huruf Pasal 17 {letter!r} untuk {item!r} tidak sah (a-j).",
        "Article 17 letter {letter!r} of {item!r} is invalid (a-j).",
    ),
    "letter_on_open_category": Text(
        "Huruf Pasal 17 pada {item!r} hanya berlaku untuk kategori dikecualikan.",
        "An Article 17 letter on {item!r} belongs only to the exempt category.",
    ),
    "empty_elements": Text(
        "Daftar periksa harus memiliki unsur.", "A checklist needs elements."
    ),
    "no_correct_element": Text(
        "Daftar periksa harus memiliki setidaknya satu unsur yang benar.",
        "A checklist needs at least one correct element.",
    ),
    "duplicate_element_id": Text(
        "Pengenal unsur {id!r} dipakai lebih dari sekali.",
        "Element id {id!r} is used more than once.",
    ),
    "condition_never_true": Text(
        "Syarat {condition} tidak pernah terpenuhi.",
        "Condition {condition} never holds.",
    ),
    "condition_always_true": Text(
        "Syarat {condition} selalu terpenuhi; transisi sesudahnya tidak pernah "
        "dipakai.",
        "Condition {condition} always holds; the transitions after it are never used.",
    ),
    "unknown_condition_step": Text(
        "Syarat answer_of merujuk ke {target!r}, yang bukan langkah yang dapat "
        "dijawab.",
        "An answer_of condition refers to {target!r}, which is not an answerable step.",
    ),
    "invalid_condition_value": Text(
        "Syarat answer_of pada {target!r}: nilai {value!r} tidak mungkin menjadi "
        "jawaban.",
        "An answer_of condition on {target!r}: {value!r} can never be the answer.",
    ),
    "condition_needs_correct": Text(
        "Syarat answer_of pada langkah {target!r} hanya dapat memakai 'correct'.",
        "An answer_of condition on step {target!r} can only use 'correct'.",
    ),
}
