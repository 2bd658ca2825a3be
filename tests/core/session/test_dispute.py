"""Disagreeing with a label (issue 12 item 10): kept with the turn, saved, read back, and the
story does not change. Records written before disputes existed still read."""

from __future__ import annotations

import json

import pytest

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.session.practice import Practice
from roleplay.core.session.record_check import read_record
from roleplay.core.session.records import RecordError
from tests.conftest import FIXTURES, FakeScorer


def make(saver=None):
    sc, _ = load_scenario(FIXTURES / "tiny.yaml")
    return Practice(Session(sc, FakeScorer(), id="d", seed=1, clock=lambda: "2026-01-01T10:00:00"), saver=saver)


def test_a_dispute_is_saved_with_the_turn_and_changes_nothing_else():
    saved: list = []
    p = make(saved.append)
    p.submit("J: you should have rung")
    before = p.session.to_record()
    turn = p.dispute("Empathic", "  I named how hard   it was  ")
    assert turn.label == "judgmental" and turn.dispute.label == "empathic"
    assert turn.dispute.note == "I named how hard it was" and turn.dispute.at == "2026-01-01T10:00:00"
    after = saved[-1]
    assert after.turns[0].dispute == turn.dispute
    assert after.state == before.state and after.node == before.node and after.ending == before.ending
    assert p.session.node.id == before.node  # the story goes on from where it was


@pytest.mark.parametrize("label, note, message", [
    ("judgmental", "", "already labelled judgmental"),
    ("kind", "", "not a label"),
    ("neutral", "x" * 2_001, "keep the reason to 2,000 characters"),
])
def test_a_dispute_that_cannot_be_kept_says_why(label, note, message):
    p = make()
    with pytest.raises(ValueError, match="Reply first"):
        p.dispute("empathic")
    p.submit("J: you should have rung")
    with pytest.raises(ValueError, match=message):
        p.dispute(label, note)
    assert p.session.turns[0].dispute is None


def test_a_dispute_is_written_and_read_back(tmp_path):
    p = make()
    p.submit("J: you should have rung")
    p.dispute("sympathetic", "it was kind")
    path = records.save(p.session.to_record(), tmp_path)
    data = json.loads(path.read_text())
    assert data["turns"][0]["dispute"] == {"label": "sympathetic", "note": "it was kind", "at": "2026-01-01T10:00:00"}
    again = records.load(path)
    assert again.turns[0].dispute == p.session.turns[0].dispute
    assert records.load(records.save(again, tmp_path)).turns[0].dispute.note == "it was kind"


def test_older_records_without_disputes_read_and_damaged_ones_are_named():
    raw = {"index": 1, "node": "n", "client_line": "hi", "reply": "r", "branch": 0, "next": "n",
           "state_before": {}, "state": {}, "assessment": {"label": "neutral"}}
    assert read_record({"scenario": "x", "turns": [raw]}, "old.json").turns[0].dispute is None
    with pytest.raises(RecordError, match=r"turns\[0\]\.dispute\.label is 'kind'"):
        read_record({"scenario": "x", "turns": [{**raw, "dispute": {"label": "kind"}}]}, "bad.json")
    with pytest.raises(RecordError, match=r"turns\[0\]\.dispute should be a mapping"):
        read_record({"scenario": "x", "turns": [{**raw, "dispute": "empathic"}]}, "bad.json")


def test_the_exports_carry_the_dispute_for_supervision():
    from roleplay.core.reporting.export import to_markdown, to_process_recording

    p = make()
    p.submit("J: you should have rung")
    p.dispute("sympathetic", "it was kind")
    record = p.session.to_record()
    assert "Student disputes the label: sympathetic, because it was kind" in to_process_recording(record)
    assert "**You disputed the label:** sympathetic, because it was kind" in to_markdown(record)
