"""The pure debrief derivations (roleplay.core.reporting.debrief): counts, CARE-style items, strengths, next steps."""

from __future__ import annotations

import pytest

from roleplay.core.reporting import debrief as d
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session.record_check import read_record
from roleplay.core.session.records import RecordError

from tests.tui.helpers import GOOD


def turn(i, label, kind, before, after, node="hello", reason=""):
    changes = [{"var": "trust", "before": before, "after": after, "reason": reason}] if before != after else []
    return {"index": i, "node": node, "client_line": "...", "reply": "...", "label": label, "kind": kind,
            "assessment": {"label": label, "kinds": [kind] if kind else []}, "branch": 0, "next": node,
            "state_before": {"trust": before}, "state": {"trust": after}, "changes": changes}


def record(turns, **fields):
    """A record as it is read from disk: typed, every field checked."""
    return read_record({"scenario": "checkin", "turns": turns, **fields}, "test.json")


RECORD = record([
    turn(1, "empathic", "reflection", 40, 50, reason="felt understood"),
    turn(2, "sympathetic", "reassurance", 50, 52),
    turn(3, "judgmental", "moralising", 52, 42, reason="felt lectured"),
    turn(4, "empathic", "validation", 42, 57, reason="felt believed"),
    turn(5, "sympathetic", "reassurance", 57, 57),
    turn(6, "empathic", "reflection", 57, 60),
])


def test_counts_share_and_trust():
    assert d.label_counts(RECORD) == {"empathic": 3, "sympathetic": 2, "judgmental": 1, "neutral": 0}
    assert d.empathic_share(RECORD) == 0.5
    assert d.trust_series(RECORD) == [40, 50, 52, 42, 57, 57, 60]
    assert d.share_text(d.label_counts(RECORD), 6) == "3/6 empathic (50%)"


def test_care_items_show_their_derivation_and_name_the_turns():
    items = {i.name: i for i in d.care_items(RECORD)}
    assert items["Felt listened to"].describe() == \
        "Felt listened to: 3/5 — 3 of 6 replies empathic (turns 1, 4 and 6)"
    assert items["Felt understood"].turns == (1, 4, 6)
    assert items["Felt not judged"].describe() == \
        "Felt not judged: 4/5 — 5 of 6 replies free of judgment; judgmental at turn 3"
    assert items["Felt at ease with you"].because == "4 of 6 replies raised trust (turns 1, 2, 4 and 6)"


def test_scores_span_one_to_five_and_empty_is_not_rated():
    assert d.score_from_share(0, 4) == 1 and d.score_from_share(4, 4) == 5 and d.score_from_share(2, 4) == 3
    empty = d.care_items(record([]))
    assert all(i.score is None for i in empty)
    assert empty[0].describe() == "Felt listened to: not rated — no replies yet"
    assert d.strengths(record([])) == [] and d.next_steps(record([])) == []


def test_strengths_cite_only_empathic_turns_with_the_students_words():
    good = d.strengths(RECORD)
    assert [p.turn for p in good] == [1, 4, 4]
    assert "reflected back" in good[0].text and "again at turn 6" in good[0].text
    assert "validated" in good[1].text
    assert good[2].head == "trust +15" and "(felt believed)" in good[2].text
    assert all(p.turn in (1, 4, 6) for p in good)  # the empathic turns


def test_trust_rise_is_named_only_for_an_empathic_turn():
    rec = record([turn(1, "sympathetic", "reassurance", 40, 60, reason="relieved"),
                  turn(2, "empathic", "", 60, 65, reason="felt seen")])
    good = d.strengths(rec)
    assert [p.turn for p in good] == [2, 2] and "Trust rose most" in good[1].text and "felt seen" in good[1].text
    assert d.next_steps(rec)[0].text.startswith("Before reassuring")


def test_thoughts_follow_the_turns_and_trust_is_a_series():
    scenario, diags = load_scenario(GOOD / "checkin.yaml")
    assert scenario is not None, diags
    rec = record([turn(1, "empathic", "reflection", 40, 50, node="hello"),
                  turn(2, "neutral", "", 50, 51, node="deeper")])
    assert d.thoughts(rec, scenario) == [(1, "He expects to be told off, like last time."),
                                         (2, "He wants someone to notice how much he carries.")]
    summary = d.summarise(rec, scenario)
    assert summary.trust == [40, 50, 51] and summary.total == 2


def test_odd_records_are_refused_when_read_not_met_in_the_debrief():
    for turns, field in (([1], "turns[0]"), ([{"label": "empathic"}], "turns[0].index"),
                         ([{**turn(1, "empathic", "", 1, 2), "state": {"trust": "high"}}], "turns[0].state.trust")):
        with pytest.raises(RecordError) as err:
            record(turns)
        assert str(err.value).startswith(f"test.json: {field} ")
    assert d.trust_series(record([]), start=30) == [30]
    assert d.trust_series(record([])) == []
