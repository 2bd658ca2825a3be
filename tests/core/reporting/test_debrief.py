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


def test_care_items_show_their_derivation():
    items = {i.name: i for i in d.care_items(RECORD)}
    assert items["Felt understood"].describe() == "Felt understood: 3/5 — 3 of 6 replies empathic"
    assert items["Felt listened to"].score == 4  # 5 of 6 empathic or sympathetic: 1 + 4*5/6 = 4.33
    assert items["Felt not judged"].describe() == "Felt not judged: 4/5 — 5 of 6 replies free of judgment"
    assert items["Felt at ease with you"].because == "4 of 6 replies raised trust"


def test_scores_span_one_to_five_and_empty_is_not_rated():
    assert d.score_from_share(0, 4) == 1 and d.score_from_share(4, 4) == 5 and d.score_from_share(2, 4) == 3
    empty = d.care_items(record([]))
    assert all(i.score is None for i in empty)
    assert empty[0].describe() == "Felt listened to: not rated — no replies yet"


def test_strengths_and_next_steps_come_from_the_sub_kinds():
    good = d.strengths(RECORD)
    assert any("reflected back" in s and "(turn 1)" in s for s in good)
    assert any("validated" in s and "(turn 4)" in s for s in good)
    steps = d.next_steps(RECORD)
    assert len(steps) == 2
    assert steps[0].startswith("Before reassuring") and steps[0].endswith("(reassurance: 2 replies)")
    assert "(moralising: 1 reply)" in steps[1]


def test_trust_rise_is_named_and_unknown_kinds_fall_back_to_the_label():
    rec = record([turn(1, "neutral", "", 40, 40), turn(2, "empathic", "", 40, 55, reason="felt seen")])
    assert "Trust rose most at turn 2 (+15: felt seen)." in d.strengths(rec)
    assert d.next_steps(rec)[0].startswith("Add a feeling word")


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
