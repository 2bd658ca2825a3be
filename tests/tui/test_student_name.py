"""The first run asks the student's name once (skippable); new sessions record it."""

from __future__ import annotations

from roleplay.core.session import preferences
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.screens.student_name import StudentNameScreen

from .helpers import TINY_DIR, settle

SIZE = (100, 30)


async def test_first_run_asks_the_name_and_sessions_record_it(make_app, roleplay_home):
    app = make_app([TINY_DIR], ask_student=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudentNameScreen)
        await pilot.press(*"Ana Lima", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert preferences.load()[0].student == "Ana Lima"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.session.student == "Ana Lima"
        assert app.screen.session.to_record().student == "Ana Lima"


async def test_the_question_can_be_skipped_and_is_not_asked_again(make_app, roleplay_home):
    app = make_app([TINY_DIR], ask_student=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
    assert preferences.load()[0].student == ""
    again = make_app([TINY_DIR], ask_student=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, PickerScreen)
