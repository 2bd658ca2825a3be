"""Live authoring in the app: a saved scenario file is reloaded in an open session, the student keeps
their place, a broken save is reported without losing the session, and the picker shows edited files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.picker import PickerScreen, ScenarioCard
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.widgets.conversation import ClientSays

from .helpers import TINY_DIR, make, screen_text, send

SIZE = (100, 30)
OLD_LINE = "It's not just work. My mum's been in and out of hospital."
NEW_LINE = "It's not just work. My dad is unwell and I'm the only one who drives."


@pytest.fixture
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(TINY_DIR / "tiny.yaml", folder / "tiny.yaml")
    # The timer is tested on its own (test_the_timer_picks_up_a_save); elsewhere the tests poll directly.
    monkeypatch.setattr(SessionScreen, "WATCH_INTERVAL", 3600.0)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    write(path, text.replace(old, new))


def write(path: Path, text: str) -> None:
    """Save as an editor would; the modification time moves on even within one clock tick."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    if st.st_mtime_ns <= before:
        os.utime(path, ns=(st.st_atime_ns, before + 1_000_000))


def spy_notes(app) -> list[tuple[str, str, str]]:
    """(severity, title, message) of every notification."""
    notes: list[tuple[str, str, str]] = []
    original = app.notify

    def notify(message, *, title="", severity="information", **kw):
        notes.append((severity, title, str(message)))
        return original(message, title=title, severity=severity, **kw)

    app.notify = notify
    return notes


async def open_tiny(pilot) -> SessionScreen:
    await pilot.pause()
    await pilot.press("enter")  # the only card; "content_note: none" opens the session directly
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    assert screen.watcher is not None
    return screen


def current_line(app) -> str:
    return str(app.screen.query(ClientSays).last().content)


def status(app) -> Static:
    return app.screen.query_one("#reload-status", Static)


async def test_editing_the_current_line_shows_it_and_keeps_the_turns(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    app = make([scenario_dir])
    notes = spy_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tiny(pilot)
        assert not await screen.poll_scenario(), "nothing changed yet"
        await send(pilot, "It sounds like work has taken over")
        assert OLD_LINE in current_line(app)
        first = screen.session.turns[0]

        edit(path, OLD_LINE, NEW_LINE)
        edit(path, "    thought: He wants someone", "    mood: worried\n    thought: He wants someone")
        edit(path, "title: A short check-in", "title: A longer check-in")
        assert await screen.poll_scenario()
        await pilot.pause()

        assert NEW_LINE in current_line(app)
        text = screen_text(app)
        assert "Mood: worried" in text and "A longer check-in" in text
        assert screen.session.turns == [first], "the turn already played is kept as it was"
        assert screen.session.scenario.title == "A longer check-in"
        assert any(m.startswith("Scenario reloaded;") and "'deeper'" in m for _, _, m in notes)
        assert not status(app).display

        # The session goes on in the new version; a second identical save is not a change.
        write(path, path.read_text(encoding="utf-8"))
        assert not await screen.poll_scenario()
        await send(pilot, "That's a lot to carry at once")
        assert len(screen.session.turns) == 2
        assert screen.session.turns[1].client_line == NEW_LINE


async def test_a_broken_save_is_reported_and_the_session_goes_on_until_it_is_fixed(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    good = path.read_text(encoding="utf-8")
    app = make([scenario_dir])
    notes = spy_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tiny(pilot)
        edit(path, "goto: maybe_later", "goto: nowhere_yet")
        assert await screen.poll_scenario()
        await pilot.pause()

        errors = [(t, m) for sev, t, m in notes if sev == "error"]
        assert errors and "has errors" in errors[-1][0]
        assert f"{path.name}:" in errors[-1][1] and "nowhere_yet" in errors[-1][1], "path:line:col lines"
        assert "error[E" in errors[-1][1]
        shown = status(app)
        assert shown.display and "tiny.yaml has errors" in str(shown.content)
        assert isinstance(app.screen, SessionScreen), "not blocked by a dialog"

        # The last good version carries on: a reply still works.
        await send(pilot, "It sounds like work has taken over")
        assert len(screen.session.turns) == 1
        assert OLD_LINE in current_line(app)
        assert status(app).display, "the line stays until the file is fixed"

        write(path, good.replace(OLD_LINE, NEW_LINE))
        assert await screen.poll_scenario()
        await pilot.pause()
        assert not status(app).display
        assert NEW_LINE in current_line(app)
        assert notes[-1][2].startswith("Scenario reloaded")
        assert len(screen.session.turns) == 1


def without_deeper(text: str) -> str:
    """tiny.yaml with the node 'deeper' deleted (and the branches into it sent to an ending)."""
    start, end = text.index("  - id: deeper"), text.index("endings:")
    text = text[:start] + text[end:]
    text = text[:text.index("tests:")]
    return text.replace("goto: deeper", "goto: maybe_later")


async def test_deleting_the_node_the_student_is_on_says_so_and_offers_the_debrief(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    app = make([scenario_dir])
    notes = spy_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tiny(pilot)
        await send(pilot, "It sounds like work has taken over")
        old = screen.session.scenario
        write(path, without_deeper(path.read_text(encoding="utf-8")))
        assert await screen.poll_scenario()
        await pilot.pause()

        assert screen.session.scenario is old, "carries on with the previous version"
        message = str(status(app).content)
        assert status(app).display and "'deeper' is no longer in tiny.yaml" in message
        assert "F8 ends here with the debrief" in message and "Esc leaves" in message
        assert any(sev == "warning" and "no longer in tiny.yaml" in m for sev, _, m in notes)
        assert OLD_LINE in current_line(app), "the conversation can go on"

        # A rewind goes back to a turn the new version has: the next check moves onto it.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert await screen.poll_scenario()
        await pilot.pause()
        assert screen.session.scenario is not old and "deeper" not in screen.session.scenario.nodes
        assert not status(app).display
        await send(pilot, "It sounds like work has taken over")
        assert screen.session.finished and screen.session.ending_id == "maybe_later"


async def test_a_deleted_node_then_the_debrief(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    app = make([scenario_dir])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tiny(pilot)
        await send(pilot, "It sounds like work has taken over")
        write(path, without_deeper(path.read_text(encoding="utf-8")))
        await screen.poll_scenario()
        await pilot.press("f8", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_a_deleted_file_is_reported_and_a_restored_one_reloads(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    good = path.read_text(encoding="utf-8")
    app = make([scenario_dir])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tiny(pilot)
        path.unlink()
        assert await screen.poll_scenario()
        await pilot.pause()
        assert status(app).display
        await send(pilot, "It sounds like work has taken over")
        assert len(screen.session.turns) == 1
        write(path, good.replace(OLD_LINE, NEW_LINE))
        assert await screen.poll_scenario()
        await pilot.pause()
        assert not status(app).display and NEW_LINE in current_line(app)


async def test_the_timer_picks_up_a_save(scenario_dir, monkeypatch):
    monkeypatch.setattr(SessionScreen, "WATCH_INTERVAL", 0.05)
    path = scenario_dir / "tiny.yaml"
    app = make([scenario_dir])
    async with app.run_test(size=SIZE) as pilot:
        await open_tiny(pilot)
        edit(path, "Work ran late again.", "The bus never came.")
        edit(path, "I know, I know. I missed it.", "The bus never came, again.")
        for _ in range(20):
            await pilot.pause(0.05)
            if "The bus never came" in current_line(app):
                break
        assert "The bus never came" in current_line(app)


async def test_the_picker_shows_edited_and_new_files_when_shown_again(scenario_dir):
    path = scenario_dir / "tiny.yaml"
    app = make([scenario_dir])
    async with app.run_test(size=SIZE) as pilot:
        await open_tiny(pilot)
        edit(path, "title: A short check-in", "title: A renamed check-in")
        text = (TINY_DIR / "tiny.yaml").read_text(encoding="utf-8")
        write(scenario_dir / "zz_second.yaml",
              text.replace("id: tiny", "id: second").replace("title: A short check-in", "title: A second client"))
        write(scenario_dir / "zz_broken.yaml", text.replace("start: hello", "start: nowhere"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        shown = screen_text(app)
        assert "A renamed check-in" in shown and "A second client" in shown
        assert "zz_broken.yaml" in shown and "BROKEN" in shown
        assert "2 scenarios" in shown
        cards = [c for c in app.screen.query(ScenarioCard)]
        assert [c.card.path.name for c in cards] == ["tiny.yaml", "zz_broken.yaml", "zz_second.yaml"]
        assert app.screen.query_one("#cards").highlighted_child is cards[0], "the cursor stays on its card"
