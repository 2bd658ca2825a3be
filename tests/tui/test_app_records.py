"""The app with records that are damaged, large, locked or cannot be saved: the picker, history
and resume name the problem and carry on; a save problem is told once."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.session.record_lock import SessionBusy, SessionLock
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.screens.session import SessionScreen

from tests.core.session.test_record_types import SEVEN, _write

from .helpers import GOOD, KeywordScorer, screen_text, send, settle
from .test_app import SIZE, open_checkin


def unfinished(turns: int = 1) -> Session:
    """A saved, unfinished check-in session (the app's fixture scenario)."""
    scenario, _ = load_scenario(GOOD / "checkin.yaml")
    s = Session(scenario, KeywordScorer(), id="20260301-090000-checkin-beef", clock=lambda: "2026-03-01T09:00:00")
    s.respond("Do you want to rebook?")
    records.save(replace(s.to_record(), turns=s.to_record().turns * turns))
    return s


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.parametrize("kind", sorted(SEVEN))
async def test_a_damaged_record_is_named_and_skipped_in_the_picker_and_history(kind, make_app, roleplay_home):
    path = _write(roleplay_home / "sessions", kind, SEVEN[kind][0])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen) and "RESUME" not in screen_text(app)
        assert f"Skipped 1 damaged session record: {path.name}" in " ".join(notes(app))
        await pilot.press("h")
        await settle(pilot)
        assert f"{path.name}: {SEVEN[kind][1]}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_a_large_record_damaged_past_its_header_is_refused_when_resumed(make_app, roleplay_home):
    unfinished(turns=200)  # large enough to be listed from its first lines
    path = records.record_path("20260301-090000-checkin-beef")
    text = path.read_text()
    cut = text.rindex('"reply": ')
    path.write_text(text[:cut] + '"reply": 7, ' + text[cut:].split(", ", 1)[1])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "RESUME" in screen_text(app) and "you stopped after turn 200" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any(m.startswith(f"Cannot resume: the record is damaged: {path.name}: turns[199].reply should be "
                                "text, not a whole number") for m in notes(app))
        await pilot.press("h", "enter")  # the same from history
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
    assert path.read_text().count('"reply": 7') == 1  # left as it was


async def test_a_session_open_in_another_window_is_not_resumed(make_app, roleplay_home):
    unfinished()
    elsewhere = SessionLock(records.record_path("20260301-090000-checkin-beef")).acquire()
    before = records.record_path("20260301-090000-checkin-beef").read_bytes()
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("up", "enter")  # moved onto the RESUME card, Enter opens it
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)
            assert any("is open in another roleplay window; finish or quit it there first" in m for m in notes(app))
            elsewhere.release()
            await pilot.press("enter")  # let go of there: now it opens here
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen) and len(app.screen.session.turns) == 1
            with pytest.raises(SessionBusy):  # now this app holds it
                SessionLock(records.record_path(app.screen.session.id)).acquire()
            await pilot.press("escape")  # leaving the session lets go of it
            await pilot.pause()
            SessionLock(records.record_path("20260301-090000-checkin-beef")).acquire().release()
    finally:
        elsewhere.release()
    assert records.record_path("20260301-090000-checkin-beef").read_bytes() != before  # saved on leaving


async def test_a_save_problem_is_told_once_and_the_session_goes_on(make_app, tmp_path, monkeypatch):
    home = tmp_path / "home-is-a-file"
    home.write_text("x")
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        await send(pilot, "Tell me more")
        said = [m for m in notes(app) if m.startswith("Could not save this session")]
        assert said == [f"Could not save this session: {home} is a file, not a folder (check ROLEPLAY_HOME). "
                        "The session goes on, but it is not being saved."]
        assert isinstance(app.screen, SessionScreen) and len(app.screen.session.turns) == 2


async def test_a_reply_the_record_cannot_take_stays_in_the_box(make_app, roleplay_home, monkeypatch):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        size = records.record_path("test-checkin").stat().st_size
        monkeypatch.setattr(records, "MAX_RECORD_BYTES", size + 100)
        await send(pilot, "Tell me more " * 20)
        assert any(m.startswith("Not added: with this reply the session's record would grow past") for m in notes(app))
        assert len(app.screen.session.turns) == 1
        assert app.screen.query_one("#reply").text == "Tell me more " * 20
    assert len(json.loads(records.record_path("test-checkin").read_text())["turns"]) == 1
