"""The engine plays the richer format: reactions, sub-kind branches, lines chosen by state, traps,
values set with `= N`; records keep reactions and sprung traps and read them back."""

from __future__ import annotations

import pytest

from roleplay.core.assessment import Assessment
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.scenario.model import Trap
from roleplay.core.scenario.traps import pattern_problem, sprung
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.session.record_check import read_record
from tests.conftest import FIXTURES


class KindScorer:
    """'label/kind: text' -> that label and kind; anything else is neutral."""

    def assess(self, reply, context):
        head, _, _ = reply.partition(":")
        label, _, kind = head.partition("/")
        if label not in ("empathic", "sympathetic", "judgmental", "neutral"):
            label, kind = "neutral", ""
        return Assessment(label=label, confidence=0.9, scores={label: 1.0}, kinds=(kind,) if kind else ())


@pytest.fixture
def scenario():
    sc, diags = load_scenario(FIXTURES / "authoring" / "reactions.yaml")
    assert sc is not None, diags
    return sc


def test_an_open_question_takes_the_kind_branch_and_the_client_answers_it(scenario):
    s = Session(scenario, KindScorer())
    turn = s.respond("empathic/exploration: What's it been like?")
    assert turn.branch == 0 and turn.reaction.startswith("What's it like? Honestly?")
    assert "(exploration)" in turn.why
    assert s.current.text == "It's not just work. My mum's been in and out of hospital."


def test_the_same_label_with_another_kind_takes_the_next_branch(scenario):
    s = Session(scenario, KindScorer())
    turn = s.respond("empathic/reflection: Work has been swallowing your days.")
    assert turn.branch == 1 and turn.reaction == "Yeah. Swallowing. That's it."
    no_kind = Session(scenario, KindScorer()).respond("empathic: Sounds hard.")
    assert no_kind.branch == 1


def test_an_assignment_sets_the_value_and_a_line_with_if_is_said_first(scenario):
    s = Session(scenario, KindScorer())
    turn = s.respond("neutral/logistics: Shall I ring you on Thursday?")
    assert turn.state_after == {"trust": 45, "offered_call": True}
    assert [(c.var, c.before, c.after) for c in turn.changes] == [("offered_call", False, True), ("trust", 40, 45)]
    assert turn.reaction == "Another call? Alright. Thursday, then."
    assert s.current.text == "Thursday's fine, like I said. It's not just work, though."


def test_the_ending_line_is_chosen_by_the_final_state(scenario):
    s = Session(scenario, KindScorer())
    s.respond("neutral/logistics: Shall I ring you on Thursday?")
    s.respond("empathic: That's a lot.")
    assert s.ending_line == "Thursday, then. You'll ring? Good."  # `if`-less variants: picked by the seed
    said = set()
    for other in [Session(scenario, KindScorer(), seed=seed) for seed in range(6)]:
        other.respond("empathic: Sounds hard.")
        other.respond("empathic: That's a lot.")
        said.add(other.ending_line)
    assert said <= {"Thursday, then. You'll ring? Good.", "Thanks for asking about her."}


def test_a_trap_is_sprung_by_a_cue_and_kept_on_the_turn(scenario):
    s = Session(scenario, KindScorer())
    turn = s.respond("sympathetic: Don't worry, this is totally confidential.")
    assert turn.trap is not None and turn.trap.when == "a promise of confidentiality"
    assert turn.trap.note.startswith("A worker cannot promise")
    later = s.respond("sympathetic: It's totally confidential.")
    assert later.trap is None  # the trap belongs to the first turn only


def test_a_reply_without_the_promise_springs_nothing(scenario):
    s = Session(scenario, KindScorer())
    assert s.respond("empathic: I keep brief notes, and I can show you them.").trap is None


@pytest.mark.parametrize("reply, hit", [
    ("Honestly, whatever you tell me stays between us, okay?", True),
    ("What you tell me stays between us", True),
    ("Whatever you tell me does not stay between us", False),  # negation does not match the phrasing
    ("us", False),
    ("Nobody else will ever read it.", True),
])
def test_phrasings_and_cues(reply, hit):
    trap = Trap("promise", "note", cues=("nobody (else )?will (ever )?(see|read)",),
                phrasings=("whatever you tell me stays between us",))
    assert sprung(trap, reply) is hit


def test_dangerous_patterns_are_refused():
    assert pattern_problem("(a+)+") is not None
    assert pattern_problem("(\\w*)*x") is not None
    assert pattern_problem("x" * 201).startswith("is 201 characters long")
    assert pattern_problem("(totally|completely) confidential") is None


def test_reactions_and_traps_survive_a_record_round_trip(scenario, tmp_path):
    s = Session(scenario, KindScorer(), id="r1")
    s.respond("empathic/exploration: Totally confidential. What's it been like?")
    s.respond("empathic: That's a lot.")
    path = records.save(s.to_record(), tmp_path)
    back = records.load(path)
    assert back.turns[0].reaction == s.turns[0].reaction and back.turns[0].trap == s.turns[0].trap
    assert back.turns[1].reaction == "" and back.turns[1].trap is None
    again = Session.from_record(back, scenario, KindScorer())
    assert again.to_dict() == s.to_dict()


def test_a_damaged_trap_in_a_record_is_named():
    from roleplay.core.session.record_types import RecordError

    s = Session(load_scenario(FIXTURES / "authoring" / "reactions.yaml")[0], KindScorer())
    s.respond("neutral: hello")
    data = s.to_dict()
    data["turns"][0]["trap"] = ["not", "a", "mapping"]
    with pytest.raises(RecordError, match=r"turns\[0\]\.trap should be a mapping, not a list"):
        read_record(data, "r.json")
