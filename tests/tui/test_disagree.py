"""F7 in a session: "I think this was [label], because ..." is saved with the turn, shown in the
conversation, does not change the story, and reaches the class report (issue 12 item 10)."""

from __future__ import annotations

import json

from textual.widgets import Input, RadioSet

from roleplay.core.reporting import report
from roleplay.tui.screens.disagree import DisagreeScreen
from roleplay.tui.screens.session import SessionScreen

from .helpers import screen_text, send
from .test_app import SIZE, open_checkin


async def test_a_disagreement_is_saved_shown_and_reported(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and "Reply first" in " ".join(
            n.message for n in app._notifications)

        await send(pilot, "You should have told us sooner")
        session = app.screen.session
        node, state = session.node.id, dict(session.state)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, DisagreeScreen)
        text = screen_text(app)
        assert "Disagree with the label of turn 1" in text and "You should have told us sooner" in text
        radios = app.screen.query_one("#dispute-label", RadioSet)
        assert [str(b.label) for b in radios.query("RadioButton")] == ["empathic", "sympathetic", "neutral"]

        await pilot.press("enter")  # Enter on the note with no label chosen: asks for one, keeps the dialog
        await pilot.pause()
        assert isinstance(app.screen, DisagreeScreen)
        radios.focus()
        await pilot.press("down", "enter")  # the second choice: sympathetic
        await pilot.pause()
        assert app.focused is app.screen.query_one("#dispute-note", Input)
        await pilot.press(*"I was worried for him")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert "You disagreed: you think this was sympathetic, because I was worried for him." in screen_text(app)
        assert session.node.id == node and session.state == state  # the story did not change
        assert session.turns[0].label == "judgmental"

    saved = json.loads((roleplay_home / "sessions" / "test-checkin.json").read_text())
    assert saved["turns"][0]["dispute"]["label"] == "sympathetic"
    assert saved["turns"][0]["dispute"]["note"] == "I was worried for him"
    sessions, problems = report.collect([roleplay_home / "sessions"], scenarios={})
    rep = report.summarise(sessions, problems)
    assert [(d.turn, d.given, d.proposed, d.note) for d in rep.disputes] == \
        [(1, "judgmental", "sympathetic", "I was worried for him")]


async def test_escape_cancels_and_a_hidden_label_cannot_be_disputed_yet(make_app, roleplay_home):
    app = make_app(feedback="reveal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "You should have told us sooner")
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert "reveal it first (F4)" in " ".join(n.message for n in app._notifications)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, DisagreeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.turns[0].dispute is None
