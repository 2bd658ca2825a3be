"""The practice controller both views drive: every change is saved, a failed save says why."""

from __future__ import annotations

import pytest

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


def test_a_reply_over_the_limit_is_refused_and_nothing_changes():
    from roleplay.core.session.engine import MAX_REPLY_CHARS, ReplyTooLong

    saved: list = []
    p = make(saved.append)
    with pytest.raises(ReplyTooLong) as err:
        p.submit("E: " + "x" * MAX_REPLY_CHARS)
    assert str(err.value).startswith(f"That reply is {MAX_REPLY_CHARS + 3:,} characters long")
    assert f"at most {MAX_REPLY_CHARS:,}" in str(err.value)
    assert p.session.turns == [] and saved == []


def test_a_turn_that_would_overfill_the_record_is_refused_before_it_is_accepted(roleplay_home, monkeypatch):
    from roleplay.core.session import records
    from roleplay.core.session.practice import RecordFullError, save_record

    p = make(save_record)
    p.submit("E: that sounds like a lot")
    path = records.record_path("p")
    before = path.read_bytes()
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", len(before) + 200)
    with pytest.raises(RecordFullError) as err:
        p.submit("N: " + "a long reply " * 100)
    assert str(err.value).startswith("Not added: with this reply the session's record would grow past what can "
                                     "be read back (the record would be larger than 0 MB).")
    assert len(p.session.turns) == 1 and path.read_bytes() == before  # the turn was not accepted
    assert records.load(path).turns == tuple(p.session.turns)
    assert p.last_error is None  # nothing failed: the reply was refused


def test_text_that_is_not_text_is_replaced_and_the_turn_says_so():
    p = make(None)
    turn = p.submit("E: caf\udce9 and \ud800 too")  # invalid UTF-8 (surrogate-escaped) and a lone surrogate
    assert turn.reply == "E: caf\ufffd and \ufffd too"
    assert turn.notes == ("2 characters that were not valid text (invalid UTF-8) replaced with U+FFFD",)
    assert p.session.to_dict()["turns"][0]["notes"] == list(turn.notes)
    assert p.submit("E: fine").notes == ()
