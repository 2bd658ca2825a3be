"""Records: atomic saves in the data folder, corrupt files skipped by name, exports, forgetting."""

from __future__ import annotations

import csv
import io
import json

import pytest

from roleplay.core.reporting import export
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.scenario.loader import load_scenario


@pytest.fixture
def played(tiny_path, fake_scorer):
    scenario, _ = load_scenario(tiny_path)
    s = Session(scenario, fake_scorer, id="20260101-000000-tiny-beef", clock=lambda: "2026-01-01T00:00:00")
    s.respond("E: sounds like work has eaten your week")
    s.respond("E: you've been carrying a lot")
    return scenario, s


def test_save_goes_to_roleplay_home_and_round_trips(played, roleplay_home):
    _, s = played
    path = records.save(s.to_dict())
    assert path.parent == roleplay_home / "sessions"
    assert records.load(path).to_dict() == json.loads(json.dumps(s.to_dict()))
    assert json.loads(path.read_text())["turns"] == s.to_dict()["turns"]  # plain JSON on disk
    assert not list(path.parent.glob("*.tmp"))


def test_corrupt_and_truncated_records_are_skipped_by_name(played, roleplay_home):
    _, s = played
    path = records.save(s.to_dict())
    folder = path.parent
    (folder / "truncated.json").write_text(path.read_text()[:50])
    (folder / "junk.json").write_bytes(b"\xff\x00garbage")
    (folder / "other.json").write_text('{"hello": 1}')
    infos, problems = records.list_records()
    assert [i.id for i in infos] == [s.id]
    assert len(problems) == 3
    assert any("truncated.json" in p for p in problems) and any("junk.json" in p for p in problems)


def test_unfinished_sessions_are_found_for_resuming(tiny_path, fake_scorer):
    scenario, _ = load_scenario(tiny_path)
    s = Session(scenario, fake_scorer, id="half", clock=lambda: "2026-01-02T00:00:00")
    s.respond("E: sounds hard")
    records.save(s.to_dict())
    waiting = records.unfinished(scenario_id="tiny")
    assert [r.id for r in waiting] == ["half"]
    resumed = Session.from_record(records.load(waiting[0].path), scenario, fake_scorer)
    assert resumed.current.node_id == "deeper" and resumed.state == s.state


def test_forget_one_and_all(played):
    _, s = played
    records.save(s.to_dict())
    records.save({**s.to_dict(), "id": "second"})
    assert [p.stem for p in records.forget("second")] == ["second"]
    assert len(records.list_records()[0]) == 1
    assert len(records.forget(None)) == 1
    assert records.list_records() == ([], [])


def test_csv_export_has_one_row_per_turn(played):
    _, s = played
    rows = list(csv.DictReader(io.StringIO(export.to_csv(s.to_record()))))
    assert [r["turn"] for r in rows] == ["1", "2"]
    assert rows[0]["label"] == "empathic" and rows[0]["sub_kind"] == "test"
    assert (rows[0]["trust_before"], rows[0]["trust_after"]) == ("40", "50")
    assert rows[1]["client_line"] == "It's not just work. My mum's been in and out of hospital."


def test_markdown_and_process_recording(played):
    scenario, s = played
    s.reflection = "Next time I will slow down."
    md = export.to_markdown(s.to_record(), scenario)
    assert "**You:** E: you've been carrying a lot" in md
    assert "What the client was thinking:** He expects to be told off." in md
    assert "**Ending:** Rebooked (a positive ending)" in md and "Next time I will slow down." in md
    pr = export.to_process_recording(s.to_record(), scenario)
    assert "| Dialogue | Student's reactions | Skill used | Supervisor comments |" in pr
    assert pr.count("\n| **Client:**") == 2
    assert json.loads(export.render(s.to_record(), "json"))["ending"] == "rebooked"
    with pytest.raises(ValueError):
        export.render(s.to_record(), "pdf")


def test_forgetting_a_record_removes_its_lock_file_too(played):
    from roleplay.core.session.record_lock import SessionLock, lock_path

    _, s = played
    path = records.save(s.to_record())
    SessionLock(path).acquire().release()
    assert lock_path(path).is_file()
    assert records.forget(s.id) == [path]
    assert not path.exists() and not lock_path(path).exists()
