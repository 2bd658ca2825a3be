"""The drill controller both views drive: reply, retry once, next, finish; every reply saved."""

from __future__ import annotations

import json

import pytest

from roleplay.core.session import drill_records
from roleplay.core.session.drill import Drill, DrillStateError
from roleplay.core.session.drill_corpus import load_items
from roleplay.core.session.engine import EmptyReply
from roleplay.core.session.records import RecordError
from tests.conftest import FIXTURES, FakeScorer


@pytest.fixture(scope="module")
def items():
    return load_items(FIXTURES / "drill_corpus")[0][:3]


def make(items, saver=None, scorer=None):
    ticks = iter(f"2026-03-02T10:00:{s:02d}+00:00" for s in range(60))
    return Drill(items, scorer or FakeScorer(), id="drill-test", student="Ada", clock=lambda: next(ticks),
                 saver=saver, focus="reassurance", excluded=("self_harm",), seed=7)


def test_reply_retry_once_next_finish_with_every_reply_saved(items):
    saved: list[dict] = []
    scorer = FakeScorer()
    d = make(items, saved.append, scorer)
    assert d.current is items[0] and d.awaiting_reply and not d.can_retry
    first = d.submit("S: I'm sure she knows you're there")
    assert first.label == "sympathetic" and first.attempt == 1 and first.n == 1
    assert scorer.seen[-1][1].client == items[0].client  # scored against the client's line
    assert [e.text for e in first.evidence()] == ["S:"]
    assert len(saved) == 1 and saved[-1]["replies"][0]["label"] == "sympathetic"
    with pytest.raises(DrillStateError):
        d.submit("E: again without asking")  # a reply is not awaited until a retry
    assert d.can_retry and d.retry() and d.awaiting_reply
    second = d.submit("E: it sounds so lonely")
    assert second.attempt == 2 and second.label == "empathic" and len(saved) == 2
    assert not d.can_retry and d.retry() is False  # once only
    assert d.next() is items[1] and d.awaiting_reply
    with pytest.raises(EmptyReply):
        d.submit("   ")
    assert d.next() is items[2]  # a line may be skipped
    d.submit("J: you should have come sooner")
    assert d.next() is None and d.finished and d.current is None
    record = saved[-1]
    assert record["finished"] is True and record["type"] == "drill" and record["version"] == 1
    assert record["student"] == "Ada" and record["focus"] == "reassurance" and record["excluded"] == ["self_harm"]
    assert [r["situation"] for r in record["replies"]] == [items[0].situation] * 2 + [items[2].situation]
    assert [i["situation"] for i in record["items"]] == [it.situation for it in items]
    assert [r["at"] for r in record["replies"]] == ["2026-03-02T10:00:01+00:00", "2026-03-02T10:00:02+00:00",
                                                    "2026-03-02T10:00:03+00:00"]
    assert record["started_at"] == "2026-03-02T10:00:00+00:00" and record["updated_at"] == record["replies"][-1]["at"]
    assert d.summary() == {"lines": 3, "answered": 2, "empathic_first": 0, "retries": 1, "improved": 1}


def test_a_failed_save_is_reported_and_the_drill_goes_on(items):
    def full_disk(record):
        raise OSError(28, "No space left on device")

    d = make(items, full_disk)
    assert d.submit("E: that is a lot").label == "empathic"
    assert d.last_error and "No space left" in d.last_error


def test_leaving_before_any_reply_saves_nothing(items):
    saved: list[dict] = []
    d = make(items, saved.append)
    d.next(), d.next(), d.next()
    assert d.finished and saved == []


def test_records_are_saved_atomically_in_the_drills_folder_and_read_back(items, roleplay_home):
    d = make(items, drill_records.save)
    d.submit("E: that sounds lonely")
    path = roleplay_home / "drills" / "drill-test.json"
    assert json.loads(path.read_text())["replies"][0]["reply"] == "E: that sounds lonely"
    (roleplay_home / "drills" / "broken.json").write_text("{")
    (roleplay_home / "drills" / "session.json").write_text(json.dumps({"scenario": "x", "turns": []}))
    found, problems = drill_records.list_drills()
    assert [r["id"] for r in found] == ["drill-test"]
    assert len(problems) == 2 and any("not a roleplay drill record" in p for p in problems)
    with pytest.raises(RecordError):
        drill_records.load(roleplay_home / "drills" / "broken.json")
