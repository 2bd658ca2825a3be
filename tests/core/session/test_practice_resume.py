"""Practice.resume, for `roleplay play --resume` and the app alike: it finds a scenario's unfinished
sessions, locks the one it takes up, skips (and names) damaged records and those whose place is
gone from the scenario, and refuses a session already open elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.session.practice import Practice
from roleplay.core.session.record_lock import SessionBusy, SessionLock
from roleplay.core.session.resume import resumable
from tests.conftest import FIXTURES, FakeScorer

SCENARIO, _ = load_scenario(FIXTURES / "tiny.yaml")
GOOD = "20260101-000000-tiny-good"


def restore(record):
    return Session.from_record(record, SCENARIO, FakeScorer())


def saved(sid: str, updated: str, **change) -> Path:
    """An unfinished tiny session after one reply, saved as `sid`; `next` moves its place."""
    s = Session(SCENARIO, FakeScorer(), id=sid, clock=lambda: updated)
    s.respond("E: that sounds like a lot")
    data = s.to_dict()
    data["turns"][0].update(change)
    path = records.record_path(sid)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def folder(roleplay_home):
    """A good session, a newer one whose place the scenario no longer has, a newer one still that
    is damaged after it was listed, and a file too damaged to be listed at all."""
    saved(GOOD, "2026-01-01T00:00:00")
    gone = saved("20260102-000000-tiny-gone", "2026-01-02T00:00:00", next="nowhere")
    late = saved("20260103-000000-tiny-late", "2026-01-03T00:00:00")
    (gone.parent / "20260104-000000-tiny-bad.json").write_text("{")
    candidates, problems = resumable("tiny")
    late.write_text(late.read_text().replace('"reply": "E: that sounds like a lot"', '"reply": 7'))
    return candidates, problems


def test_resume_skips_what_cannot_be_taken_up_and_locks_what_it_takes(folder):
    candidates, problems = folder
    assert [c.id for c in candidates] == ["20260103-000000-tiny-late", "20260102-000000-tiny-gone", GOOD]
    assert len(problems) == 1 and problems[0].startswith("Skipped a damaged record: 20260104-000000-tiny-bad.json")
    got = Practice.resume(candidates, restore)
    try:
        damaged, gone = (str(s) for s in got.skipped)
        assert damaged.startswith("Skipped a damaged record: 20260103-000000-tiny-late.json: turns[0].reply ")
        assert gone == ("Skipped 20260102-000000-tiny-gone.json: its place in the conversation is not in the "
                        "scenario 'tiny' any more (was the scenario edited?).")
        assert got.refused is None and got.practice.session.id == GOOD and len(got.practice.session.turns) == 1
        with pytest.raises(SessionBusy):  # held for this practice
            SessionLock(records.record_path(GOOD)).acquire()
        for c in candidates[:2]:  # what was skipped is not held
            SessionLock(c.path).acquire().release()
        got.practice.submit("E: and it goes on")  # saved where it came from
        assert len(records.load(records.record_path(GOOD)).turns) == 2

        again = Practice.resume(candidates, restore)  # a second window
        assert again.practice is None and again.lock is None
        assert "open in another roleplay window; finish or quit it there first" in again.refused
    finally:
        got.lock.release()
    assert Practice.resume(candidates, restore).practice.session.id == GOOD  # let go of: free again


def test_one_session_asked_for_is_found_by_the_beginning_of_its_id_or_refused_in_words(folder):
    candidates, _ = folder
    assert [c.id for c in resumable("tiny", "20260102")[0]] == ["20260102-000000-tiny-gone"]
    assert resumable("another")[0] == []
    got = Practice.resume(candidates[1:2], restore)
    assert got.practice is None and got.refused is None
    assert got.skipped[0].refusal == ("Cannot resume: this session's place no longer exists in the scenario "
                                      "(it was edited).")
    got = Practice.resume(candidates[:1], restore)
    assert got.skipped[0].refusal.startswith("Cannot resume: the record is damaged: 20260103-000000-tiny-late.json")
