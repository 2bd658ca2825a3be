"""The debrief derived from whole sessions played by hand through the engine (issue 12 item 2):
all-judgmental, all-sympathetic, mixed, a walk-out and the best ending."""

from __future__ import annotations

import pytest

from roleplay.core.assessment import Assessment
from roleplay.core.reporting import debrief as d
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session.engine import Session

from tests.conftest import FakeScorer
from tests.tui.helpers import GOOD


@pytest.fixture(scope="module")
def scenario():
    s, diags = load_scenario(GOOD / "checkin.yaml")
    assert s is not None, diags
    return s


def play(scenario, *moves: tuple[str, str, str]):
    """Each move is (label, sub-kind, the student's words); the record it leaves."""
    s = Session(scenario, FakeScorer(), id="hand", seed=1)
    for label, kind, words in moves:
        s.respond_with(Assessment(label, 0.9, {label: 1.0}, kinds=(kind,)), words)
    return s.to_record()


def ratings(summary) -> dict[str, int | None]:
    return {item.name: item.score for item in summary.care}


def test_all_judgmental_rates_low_praises_nothing_and_names_both_turns(scenario):
    rec = play(scenario, ("judgmental", "moralising", "You need to take this seriously."),
               ("judgmental", "blaming", "You should have told us sooner."))
    s = d.summarise(rec, scenario)
    assert rec.ending == "hung_up"
    assert ratings(s) == {"Felt listened to": 1, "Felt understood": 1, "Felt not judged": 1,
                          "Felt at ease with you": 1}
    assert s.strengths == []
    assert [p.turn for p in s.next_steps] == [2, 1]  # the one that ended it first, then the costliest
    assert "Hung up" in s.next_steps[0].head and "trust -20" in s.next_steps[0].head
    assert s.next_steps[0].said == "“You should have told us sooner.”"
    assert s.next_steps[0].model == "You've been holding a lot on your own."  # that turn's own model reply
    assert s.next_steps[1].model == "Sounds like work has been swallowing everything lately."


def test_all_sympathetic_is_not_listened_to_and_still_gets_specific_next_steps(scenario):
    rec = play(scenario, ("sympathetic", "reassurance", "Don't worry, it happens."),
               ("sympathetic", "pity", "Oh you poor thing."), ("sympathetic", "reassurance", "It'll be fine."))
    s = d.summarise(rec, scenario)
    assert rec.outcome == "mixed"
    r = ratings(s)
    assert r["Felt listened to"] == 1 and r["Felt understood"] == 1 and r["Felt not judged"] == 5
    assert r["Felt at ease with you"] <= 3 and "mixed outcome" in s.care[3].because
    assert s.strengths == []
    # No reply lost trust: the sympathetic turns are named, those that gained least first, each
    # with the model reply of its own moment.
    assert [p.turn for p in s.next_steps] == [3, 2, 1]
    assert [p.model for p in s.next_steps] == [scenario.nodes[n].model_reply for n in ("plans", "deeper", "hello")]
    assert "worried she won't come home" not in " ".join(map(str, s.next_steps))


def test_mixed_names_the_turn_that_cost_trust_not_the_slip_that_cost_nothing(scenario):
    rec = play(scenario, ("judgmental", "blaming", "Why didn't you call?"),
               ("empathic", "reflection", "That's a lot to carry."), ("sympathetic", "pity", "Poor you."))
    s = d.summarise(rec, scenario)
    assert [p.turn for p in s.next_steps] == [1]
    assert s.next_steps[0].head == "judgmental (blaming), trust -10"
    assert [p.turn for p in s.strengths] == [2, 2]  # the reflection, and the biggest rise in trust
    assert all("“That's a lot to carry.”" == p.said for p in s.strengths)
    assert ratings(s)["Felt listened to"] == 2  # 1 of 3 replies empathic


def test_a_walk_out_never_rates_at_ease_above_two_and_its_last_turn_comes_first(scenario):
    rec = play(scenario, ("empathic", "reflection", "Sounds like work took over."),
               ("empathic", "validation", "That makes sense with your mum so ill."),
               ("judgmental", "ordering", "You must make time for this."))
    s = d.summarise(rec, scenario)
    assert rec.ending == "hung_up" and d.trust_series(rec)[-1] > d.trust_series(rec)[0] - 1
    ease = s.care[3]
    assert ease.score == 2 and "ended badly (“Hung up”, turn 3)" in ease.because
    assert s.next_steps[0].turn == 3 and "Hung up" in s.next_steps[0].head
    assert s.next_steps[0].model == scenario.nodes["plans"].model_reply
    assert {p.turn for p in s.strengths} <= {1, 2}


def test_the_best_ending_rates_five_and_has_nothing_to_fix(scenario):
    rec = play(scenario, ("empathic", "reflection", "Sounds like work took over."),
               ("empathic", "reflection", "That's a lot to carry."),
               ("empathic", "exploration", "What's it like, planning around that?"))
    s = d.summarise(rec, scenario)
    assert rec.ending == "rebooked"
    assert ratings(s) == {"Felt listened to": 5, "Felt understood": 4,  # an open question explores, it
                          "Felt not judged": 5, "Felt at ease with you": 5}  # does not name the feeling
    assert s.next_steps == []
    assert [p.turn for p in s.strengths][:2] == [1, 3]
    lines = d.summary_lines(s)
    assert "Every reply was empathic" in lines[-1]


def test_every_claim_names_its_turn(scenario):
    rec = play(scenario, ("sympathetic", "reassurance", "It'll be fine."),
               ("empathic", "reflection", "That's a lot to carry."), ("judgmental", "ordering", "You must come."))
    s = d.summarise(rec, scenario)
    for p in s.strengths + s.next_steps:
        assert p.describe().startswith(f"Turn {p.turn} — ") and p.said in p.describe()
    for item in s.care:
        assert "turn" in item.because
