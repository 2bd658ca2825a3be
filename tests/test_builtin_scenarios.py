"""The three built-in scenarios: valid, full-sized, and every ending reachable by a scripted play."""

from __future__ import annotations

from collections import deque

import pytest

from roleplay.core.assessment import Assessment
from roleplay.core.scenario.catalog import builtin_files, resolve
from roleplay.core.session.engine import Session
from roleplay.core.scenario.graph import longest_path, reachable
from roleplay.core.labels import LABELS

BUILTINS = ("mandated_parent", "grieving_patient", "trauma_survivor")


class LabelScript:
    """A scorer that answers with the next label of a script, whatever the reply says."""

    def __init__(self, labels):
        self.labels = deque(labels)

    def assess(self, reply, context):
        label = self.labels.popleft()
        return Assessment(label=label, confidence=1.0, scores={label: 1.0})


def play(scenario, labels) -> Session:
    s = Session(scenario, LabelScript(labels))
    for label in labels:
        if s.finished:
            break
        s.respond(f"a {label} reply")
    return s


def paths_to_endings(scenario) -> dict[str, list[str]]:
    """The shortest label sequence that reaches each ending, found by playing the engine itself
    (one breadth-first search for all the endings: the first sequence to reach one is its shortest)."""
    found: dict[str, list[str]] = {}
    todo = deque([[]])
    seen = set()
    while todo and len(found) < len(scenario.endings):
        labels = todo.popleft()
        s = play(scenario, labels)
        if s.finished:
            found.setdefault(s.ending_id, labels)
            continue
        key = (s.current.node_id, tuple(sorted(s.state.items())))
        if key in seen or len(labels) >= 15:
            continue
        seen.add(key)
        todo.extend(labels + [lab] for lab in LABELS)
    return found


@pytest.fixture(scope="module", params=BUILTINS)
def scenario(request):
    s, diags = resolve(request.param)
    assert s is not None, "\n".join(map(str, diags))
    assert not diags, "\n".join(map(str, diags))
    return s


def test_all_three_are_shipped():
    assert sorted(p.stem for p in builtin_files()) == sorted(BUILTINS)


def test_size_and_shape(scenario):
    edges = {i: [b.goto for b in n.branches] for i, n in scenario.nodes.items()}
    assert len(reachable(scenario.start, edges) & set(scenario.nodes)) >= 12
    assert longest_path(scenario.start, edges) <= 15
    assert len(scenario.endings) >= 3
    assert {e.outcome for e in scenario.endings.values()} >= {"positive", "negative"}
    p = scenario.persona
    assert p.content_note and p.briefing and p.name and p.setting


def test_every_turn_has_exemplars_for_every_label_and_a_model_reply(scenario):
    for node in scenario.nodes.values():
        for label in LABELS:
            assert node.exemplars.get(label), f"{node.id}: no {label} exemplar"
        assert node.model_reply and node.thought, node.id


def test_every_ending_is_reached_by_a_scripted_playthrough(scenario):
    paths = paths_to_endings(scenario)
    for ending in scenario.endings:
        labels = paths.get(ending)
        assert labels is not None, f"{scenario.id}: no label sequence reaches {ending}"
        assert play(scenario, labels).ending_id == ending


def test_all_empathic_and_all_judgmental_end_differently(scenario):
    warm = play(scenario, ["empathic"] * 15)
    cold = play(scenario, ["judgmental"] * 15)
    assert warm.finished and cold.finished
    assert warm.ending_id != cold.ending_id
    assert warm.ending.outcome == "positive" and cold.ending.outcome == "negative"
    assert warm.state["trust"] > cold.state["trust"]


def test_state_accumulates_across_turns(scenario):
    conditional = [b for n in scenario.nodes.values() for b in n.branches if b.condition is not None]
    assert len(conditional) >= 3, "endings should depend on the whole conversation, not the last reply"
    s = play(scenario, ["empathic"] * 3)
    assert s.trust_history()[-1] > s.trust_history()[0]
