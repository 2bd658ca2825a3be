"""The session engine: branches by label and state, effects with reasons, undo, exact restore."""

from __future__ import annotations

import json

import pytest

from roleplay.core.session.engine import EmptyReply, Session, SessionOver
from roleplay.core.scenario.loader import load_scenario


@pytest.fixture
def tiny(tiny_path):
    scenario, diags = load_scenario(tiny_path)
    assert scenario is not None, diags
    return scenario


def test_empathic_path_raises_trust_and_reaches_the_good_ending(tiny, fake_scorer):
    s = Session(tiny, fake_scorer, id="t1", clock=lambda: "2026-01-01T00:00:00")
    first = s.current
    assert first.node_id == "hello" and first.cue == "*sighs*"
    t1 = s.respond("E: sounds like work has taken over")
    assert t1.label == "empathic"
    assert t1.state_before["trust"] == 40 and t1.state_after["trust"] == 50
    assert [c.describe() for c in t1.changes] == ["trust +10 (felt understood)", "opened_up: true (felt understood)"]
    assert "the reply was empathic" in t1.why
    assert s.current.node_id == "deeper"
    t2 = s.respond("E: that is a lot to carry")
    assert "trust 50 >= 45" in t2.why
    assert s.finished and s.ending.id == "rebooked" and t2.ending == "rebooked"
    assert s.trust_history() == [40, 50, 60]
    with pytest.raises(SessionOver):
        s.respond("E: more")


def test_judgment_ends_badly_and_differs_from_empathy(tiny, fake_scorer):
    s = Session(tiny, fake_scorer)
    s.respond("J: you should have called")
    s.respond("J: honestly this is on you")
    assert s.ending.id == "hung_up"
    assert s.state["trust"] == 10


def test_default_branch_and_condition_fallthrough(tiny, fake_scorer):
    s = Session(tiny, fake_scorer)
    t = s.respond("S: don't worry, it happens")
    assert "no branch for sympathetic, so the default" in t.why
    # trust is 41 < 45: the conditional empathic branch does not hold, so the default is taken.
    t = s.respond("E: that sounds heavy")
    assert t.ending == "maybe_later"


def test_scorer_gets_the_client_line_and_the_turns_exemplars(tiny, fake_scorer):
    s = Session(tiny, fake_scorer)
    line = s.current.text
    t = s.respond("N: can we rebook?")
    reply, ctx = fake_scorer.seen[0]
    assert ctx.client == line
    assert ctx.exemplars["judgmental"] == ("You need to take these appointments seriously.",)
    assert t.assessment.model_reply == "Sounds like work has been swallowing everything lately."


def test_empty_reply_is_refused(tiny, fake_scorer):
    s = Session(tiny, fake_scorer)
    with pytest.raises(EmptyReply):
        s.respond("   \n ")
    assert s.turns == []


def test_undo_rewinds_state_and_place(tiny, fake_scorer):
    s = Session(tiny, fake_scorer)
    s.respond("J: you need to take this seriously")
    assert s.state["trust"] == 30
    undone = s.undo()
    assert undone.label == "judgmental"
    assert s.state["trust"] == 40 and s.current.node_id == "hello" and s.turns == []
    assert s.undo() is None
    s.respond("E: sounds exhausting")
    s.respond("E: a lot to carry")
    assert s.finished
    s.undo()
    assert not s.finished and s.current.node_id == "deeper"


def test_serialises_to_json_and_restores_exactly(tiny, fake_scorer):
    s = Session(tiny, fake_scorer, id="abc", seed=7, clock=lambda: "2026-01-01T00:00:00")
    s.respond("E: sounds like a long week")
    s.reflection = "I rushed the first reply."
    data = json.loads(json.dumps(s.to_dict()))
    r = Session.from_dict(data, tiny, fake_scorer)
    assert r.to_dict() == s.to_dict()
    assert r.current == s.current and r.state == s.state and r.mood == s.mood
    r.respond("E: that's a lot")
    assert r.ending.id == "rebooked"


def test_line_variants_are_deterministic_per_seed(tiny, fake_scorer):
    seen = {Session(tiny, fake_scorer, seed=seed).current.text for seed in range(20)}
    assert seen == set(tiny.nodes["hello"].lines)
    assert Session(tiny, fake_scorer, seed=3).current == Session(tiny, fake_scorer, seed=3).current


def test_effects_are_clamped_to_the_variable_range(tiny, fake_scorer):
    from dataclasses import replace

    low = replace(tiny, variables={**tiny.variables, "trust": replace(tiny.variables["trust"], start=3)})
    s = Session(low, fake_scorer)
    t = s.respond("J: you need to take this seriously")
    assert t.ending == "hung_up" and "trust 3 < 35" in t.why
    assert t.state_after["trust"] == 0 and t.changes[0].delta == -3
