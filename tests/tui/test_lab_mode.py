"""The app as `roleplay serve` runs it for each student: it saves and quits when nobody has used it
for a while, and exports stay in the student's own data folder."""

from __future__ import annotations

import asyncio
import json

from textual.widgets import Input

from roleplay.tui.screens.debrief import DebriefScreen

from .helpers import send, settle
from .test_app import SIZE, open_checkin


async def test_an_idle_session_is_saved_and_the_app_quits(make_app, roleplay_home):
    app = make_app(idle_seconds=60)  # checked every 15 s: the check is called directly below
    now = [1000.0]
    app.idle_clock = lambda: now[0]
    app.last_input = now[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work has been swallowing everything.")
        now[0] += 50
        await pilot.press("a")  # still typing: not idle
        now[0] += 50
        await app._quit_if_idle()
        assert app.is_running
        now[0] += 61
        await app._quit_if_idle()
        for _ in range(50):
            if not app.is_running:
                break
            await asyncio.sleep(0.05)
        assert not app.is_running
    [record] = (roleplay_home / "sessions").glob("*.json")
    assert len(json.loads(record.read_text())["turns"]) == 1


async def test_without_an_idle_time_the_app_stays(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.sleep(0.5)
        assert app.is_running and app.idle_seconds == 0


async def test_in_a_lab_exports_stay_in_the_students_folder(make_app, roleplay_home, tmp_path):
    app = make_app(lab=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like a lot")
        await pilot.press("f8", "enter")  # F8 asks first
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        box = app.screen.query_one("#export-dir", Input)
        assert box.disabled and box.value == str(roleplay_home / "exports")
        box.value = str(tmp_path / "elsewhere")  # not possible by typing; ignored all the same
        await pilot.press("f9")
        await pilot.pause()
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(p.suffix for p in (roleplay_home / "exports").iterdir()) == [".csv", ".json", ".md", ".md"]


async def test_a_reply_sent_while_the_last_one_is_still_being_shown_is_not_lost(make_app):
    """A reply typed while the scorer loads is sent once it is ready; a second reply sent while that
    first one is still being shown (a fast typist, a busy lab machine) is sent next, not dropped."""
    from roleplay.tui.widgets.reply_input import ReplyInput

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        screen = app.screen
        screen.scorer_ready = False  # as while the real scorer is still loading
        await send(pilot, "It sounds like work has been swallowing everything.")
        assert screen.session.turns == []
        screen._scorer_loaded(app.scorer_for(screen.scenario), None)
        box = screen.query_one("#reply", ReplyInput)
        box.post_message(ReplyInput.Submitted(box, "That makes sense, with so much on you."))
        for _ in range(40):
            await settle(pilot)
            if len(screen.session.turns) == 2:
                break
        assert [t.reply for t in screen.session.turns] == [
            "It sounds like work has been swallowing everything.", "That makes sense, with so much on you."]
