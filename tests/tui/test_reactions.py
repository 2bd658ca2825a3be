"""The app shows the client's reaction after a reply (held back in reveal mode until the reveal),
a sprung trap as a note under the reply, and the debrief lists the teaching moments."""

from __future__ import annotations

import shutil

from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.modals import ContentNoteScreen
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.widgets.conversation import ClientSays, TrapNote
from tests.conftest import FIXTURES

from .helpers import make, screen_text, send, settle

SIZE = (100, 30)


def _folder(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(FIXTURES / "authoring" / "reactions.yaml", folder)
    return folder


async def _open(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(pilot.app.screen, ContentNoteScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)


async def test_reaction_and_trap_note_follow_the_reply_and_the_debrief_lists_the_trap(tmp_path, roleplay_home):
    app = make(dirs=(_folder(tmp_path),))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await send(pilot, "Tell me more. This is totally confidential, by the way.")
        said = [str(w.content) for w in app.screen.query(ClientSays)]
        assert "What's it like? Honestly? Like running for a bus that's already gone." in said[1]
        assert "It's not just work." in said[2]  # the reaction comes before the next turn's line
        note, = app.screen.query(TrapNote)
        assert str(note.content) == ("Teaching moment — a promise of confidentiality: A worker cannot promise "
                                     "that nobody else will ever read the notes.")
        await send(pilot, "That's a lot to carry.")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Teaching moments" in text
        assert "Turn 1: a promise of confidentiality. A worker cannot promise" in text


async def test_reveal_mode_holds_the_reaction_back_until_the_reveal(tmp_path, roleplay_home):
    app = make(dirs=(_folder(tmp_path),), feedback="reveal")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await send(pilot, "Tell me more about it.")
        assert "running for a bus" not in screen_text(app)
        await pilot.press("f4")  # the label first: the reaction still waits, so the class can discuss
        await pilot.pause()
        assert "running for a bus" not in screen_text(app)
        await pilot.press("f4")
        await pilot.pause()
        assert "running for a bus" in screen_text(app)
