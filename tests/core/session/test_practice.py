"""The practice controller both views drive: every change is saved, a failed save says why."""

from __future__ import annotations

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session.practice import Practice
from roleplay.core.session.engine import Session
from tests.conftest import FIXTURES, FakeScorer


def make(saver):
    sc, _ = load_scenario(FIXTURES / "tiny.yaml")
    return Practice(Session(sc, FakeScorer(), id="p", seed=1, clock=lambda: "t"), saver=saver)


def test_every_change_is_saved_as_it_happens():
    saved: list = []
    p = make(saved.append)
    hint = p.hint()
    assert hint.startswith("Notice:") and "Ask yourself" in hint
    assert not any(ex in hint for exs in p.session.node.exemplars.values() for ex in exs)  # not a reply to copy
    p.submit("E: that sounds like a lot")
    assert len(saved) == 1 and len(saved[-1].turns) == 1
    assert p.rewind() is not None and len(saved) == 2 and saved[-1].turns == ()
    assert p.rewind() is None and len(saved) == 2  # nothing to take back: nothing saved
    assert p.end_early() is False  # no reply yet: nothing to end
    p.submit("J: you should have called")
    before = len(saved)
    assert p.end_early() is True and p.session.ended_early
    assert len(saved) == before + 1 and len(saved[-1].turns) == 1


def test_a_failed_save_is_reported_and_the_session_goes_on():
    def full_disk(record):
        raise OSError(28, "No space left on device")

    p = make(full_disk)
    turn = p.submit("E: that sounds like a lot")
    assert turn.label == "empathic"
    assert p.last_error == ("Could not save this session: the disk is full. "
                            "The session goes on, but it is not being saved.")
    assert len(p.session.turns) == 1
    assert p.news() == p.last_error  # told once ...
    p.rewind()
    assert p.news() is None and len(p.session.turns) == 0  # ... not after every change while it lasts
    p.saver = lambda record: None
    p.submit("E: the disk has room again")
    assert p.last_error is None and p.news() == "Saving works again: the session is saved."


def test_without_a_saver_nothing_is_written():
    p = make(None)
    p.submit("E: fine")
    assert p.save() is False and p.last_error is None


def test_the_words_shown_are_the_turns_own_labels_phrases():
    p = make(None)
    turn = p.submit("E: it sounds hard")
    assert [e.text for e in Practice.evidence(turn)] == ["E:"]
