"""The habit profile over hand-built session and drill records: exact counts, shares and windows."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from roleplay.core.reporting.habits import profile_of, recently_drilled, replies_of

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc)


def session(at: str, *turns: tuple[str, str]) -> dict:
    """A session record as records.save writes it (Turn.to_dict), with only what matters here."""
    return {"scenario": "s", "started_at": at, "turns": [
        {"index": i, "node": f"n{i}", "label": lab, "kind": kind, "at": at,
         "assessment": {"label": lab, "kinds": [kind] if kind else []}}
        for i, (lab, kind) in enumerate(turns, 1)]}


def drill(at: str, *replies: tuple[str, str]) -> dict:
    return {"type": "drill", "version": 1, "id": f"d-{at}", "student": "Ada", "started_at": at,
            "replies": [{"n": i, "situation": f"s{i}", "attempt": 1, "label": lab, "kind": kind, "at": at}
                        for i, (lab, kind) in enumerate(replies, 1)]}


S_REASSURE = ("sympathetic", "reassurance")
J_QUESTION = ("judgmental", "interrogating")
E_REFLECT = ("empathic", "reflection")


@pytest.fixture
def records():
    return [
        # 40 days ago (the earlier window): 9 replies, 4 of them reassurance
        session("2026-02-19T10:00:00+00:00", S_REASSURE, S_REASSURE, E_REFLECT, J_QUESTION),
        drill("2026-02-20T09:00:00Z", S_REASSURE, S_REASSURE, E_REFLECT, E_REFLECT, ("neutral", "")),
        # 10 days ago (the last 30 days): 13 replies, 4 reassurance and 5 interrogating
        session("2026-03-21T10:00:00+00:00", S_REASSURE, J_QUESTION, J_QUESTION, E_REFLECT, E_REFLECT),
        drill("2026-03-22T10:00:00+00:00", S_REASSURE, S_REASSURE, S_REASSURE, J_QUESTION, J_QUESTION,
              J_QUESTION, E_REFLECT, ("neutral", "information")),
        # 90 days ago: in the totals, in neither window
        session("2025-12-31T10:00:00+00:00", S_REASSURE, E_REFLECT),
    ]


def test_counts_and_shares_are_exact(records):
    p = profile_of(records, NOW)
    assert p.total == 24 and p.recent_total == 13 and p.earlier_total == 9
    assert p.sources == {"session": 11, "drill": 13}
    assert p.labels == {"empathic": 7, "sympathetic": 9, "judgmental": 6, "neutral": 2}
    assert [(h.kind, h.count) for h in p.habits] == [
        ("reassurance", 9), ("reflection", 7), ("interrogating", 6), ("information", 1)]
    r = p.habit("reassurance")
    assert r.share == 9 / 24 and r.recent == 4 and r.recent_share == 4 / 13
    assert r.earlier == 4 and r.earlier_share == 4 / 9
    assert r.describe() == "reassurance in 31% of replies, down from 44% a month ago"
    q = p.habit("interrogating")
    assert q.describe() == "interrogating in 38% of replies, up from 11% a month ago"
    # The most frequent non-empathic kind of the last 30 days (13 replies there, enough to go by).
    assert p.top_habit() == "interrogating"


def test_nothing_is_said_about_change_without_an_earlier_window(records):
    p = profile_of(records[2:4], NOW)
    assert p.earlier_total == 0
    assert p.habit("reassurance").describe() == "reassurance in 31% of replies"
    assert p.habit("reassurance").earlier_share is None


def test_few_recent_replies_fall_back_to_all_of_them(records):
    p = profile_of(records[:2] + [session("2026-03-30T10:00:00+00:00", J_QUESTION)], NOW)
    assert p.recent_total == 1 and p.top_habit() == "reassurance"
    assert profile_of([], NOW).top_habit() is None
    assert profile_of([session("2026-03-30T10:00:00Z", E_REFLECT)], NOW).top_habit() is None


def test_odd_entries_do_not_count_and_times_fall_back_to_the_record(records):
    rec = {"scenario": "s", "updated_at": "2026-03-30T10:00:00", "turns": [
        {"label": "sympathetic", "kind": "pity"}, {"label": "bogus"}, "junk", {"label": "neutral", "kind": "\x1b[2J"},
        {"assessment": {"label": "judgmental", "kinds": ["blaming"]}, "at": "not a time"}]}
    got = replies_of(rec)
    assert [(r.label, r.kind) for r in got] == [("sympathetic", "pity"), ("neutral", ""), ("judgmental", "blaming")]
    assert all(r.at == datetime(2026, 3, 30, 10, tzinfo=timezone.utc) for r in got)


def test_recently_drilled_situations(records):
    assert recently_drilled([records[1], records[3]], last=3) == {"s6", "s7", "s8"}
