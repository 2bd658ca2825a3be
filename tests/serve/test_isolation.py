"""Two students cannot see each other's history: each student's trainer runs with their own folder
as its data folder (the environment the lab gives it), so the resume offer and the history screen
show only that student's sessions."""

from __future__ import annotations

import pytest

from roleplay.serve.access import Lab
from roleplay.tui.screens.history import HistoryScreen, SessionItem
from roleplay.tui.screens.picker import ResumeCard

from ..tui.helpers import make, screen_text, send, settle
pytest.importorskip("textual_serve", reason="the serve extra is not installed: pip install -e '.[test]'")

from roleplay.serve.server import StudentAppService  # noqa: E402
from textual_serve.download_manager import DownloadManager  # noqa: E402

SIZE = (100, 30)


def home_of(student) -> str:
    """ROLEPLAY_HOME as the lab sets it for this student's trainer."""
    async def nothing(*_):
        return None

    service = StudentAppService("unused", student_home=student.folder, write_bytes=nothing, write_str=nothing,
                                close=nothing, download_manager=DownloadManager())
    return service._build_environment()["ROLEPLAY_HOME"]


async def practise_one_turn() -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the card
        await pilot.pause()
        await pilot.press("enter")  # its content note
        await pilot.pause()
        await send(pilot, "It sounds like work has been swallowing everything.")
        await settle(pilot)
        await pilot.press("ctrl+q")


async def what_the_student_sees() -> tuple[bool, list[str], str]:
    """(a resume offer on the picker, the sessions in the history, the history's text)."""
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        offered = bool(app.screen.query(ResumeCard))
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        listed = [str(item.info.path) for item in app.screen.query(SessionItem)]
        return offered, listed, screen_text(app)


async def test_two_students_cannot_see_each_others_history(tmp_path, monkeypatch):
    lab = Lab(tmp_path / "students", None, 4)
    alice, bob = lab.join("Alice"), lab.join("Bob")
    assert home_of(alice) != home_of(bob)

    monkeypatch.setenv("ROLEPLAY_HOME", home_of(alice))
    await practise_one_turn()
    [record] = (alice.folder / "sessions").glob("*.json")

    monkeypatch.setenv("ROLEPLAY_HOME", home_of(bob))
    offered, listed, text = await what_the_student_sees()
    assert not offered and listed == [] and "No saved sessions yet" in text

    monkeypatch.setenv("ROLEPLAY_HOME", home_of(alice))
    offered, listed, text = await what_the_student_sees()
    assert offered and listed == [str(record)]
