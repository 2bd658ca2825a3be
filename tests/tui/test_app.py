"""The app driven by Pilot, as a student would use it: pick, confirm, reply, rewind, debrief, export."""

from __future__ import annotations

import json

from textual.widgets import Button, Input, TextArea

from roleplay.core.session import records
from roleplay.tui.screens.ask import ConfirmScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.modals import ContentNoteScreen, DiagnosticsScreen, GuideScreen
from roleplay.tui.screens.picker import PickerScreen
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.widgets.conversation import ClientSays, HiddenFeedback, TurnFeedback
from roleplay.tui.widgets.reply_input import ReplyInput

from .helpers import BROKEN, GOOD, TINY_DIR, ExplodingScorer, screen_text, send, settle

SIZE = (100, 30)


def feedback_labels(app) -> list[str]:
    return [w.label for w in app.screen.query(TurnFeedback)]


async def open_checkin(pilot) -> None:
    """From the picker: Enter on the card, Enter on the content note."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContentNoteScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)


async def test_whole_session_pick_confirm_reply_rewind_debrief_export(make_app, roleplay_home):
    app = make_app()
    saved_at: list[tuple[int, int]] = []  # (turns in the record, client lines on screen) at each save
    original = app.write_session

    def spy(record):
        original(record)
        if isinstance(app.screen, SessionScreen):
            saved_at.append((len(record.turns), len(app.screen.query(ClientSays))))

    app.write_session = spy
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert "A phone check-in" in screen_text(app) and "Content note:" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContentNoteScreen)
        assert "serious illness" in screen_text(app)
        await pilot.press("escape")  # Esc goes back to the picker
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await open_checkin(pilot)
        box = app.screen.query_one("#reply", ReplyInput)
        assert app.focused is box, "the reply box is focused as the session opens"
        assert "Work ran late again" in screen_text(app)

        # Type the first reply key by key; shift+enter and ctrl+j add lines, Enter sends.
        await pilot.press(*"it sounds like work", "ctrl+j", *"took over")
        assert box.text == "it sounds like work\ntook over"
        await pilot.press("enter")
        await pilot.pause()
        assert feedback_labels(app) == ["empathic"]
        text = screen_text(app)
        assert "EMPATHIC" in text and "reflection" in text
        assert "“sounds like” (empathic)" in text
        assert "Trust 40 → 50 (+10) — felt understood" in text
        assert "Opened up: yes" in text
        assert "My mum's been in and out of hospital" in text
        assert box.text == ""
        # Evidence is highlighted inside the student's own reply (a span on the words).
        student = app.screen.query(".student").last()
        spans = [(sp.start, sp.end) for sp in student.content.spans if "underline" in str(sp.style)]
        assert spans, "evidence words carry a style inside the reply"
        plain = student.content.plain
        assert any(plain[a:b].lower() == "sounds like" for a, b in spans)

        await send(pilot, "You should have told us sooner")
        assert app.screen.session.finished and app.screen.session.ending.id == "hung_up"
        assert "JUDGMENTAL" in screen_text(app)
        assert app.focused is app.screen.query_one("#to-debrief", Button)

        await pilot.press("ctrl+r")  # rewind the judgmental reply and try again
        await pilot.pause()
        assert len(app.screen.session.turns) == 1 and not app.screen.session.finished
        assert box.text == "You should have told us sooner", "the rewound reply comes back to edit"
        assert app.focused is box
        saved = json.loads((roleplay_home / "sessions" / "test-checkin.json").read_text())
        assert len(saved["turns"]) == 1, "the rewind is saved"

        await send(pilot, "That's a lot to carry on your own")
        await send(pilot, "It sounds like it's hard to plan anything right now")
        s = app.screen.session
        assert [t.label for t in s.turns] == ["empathic", "empathic", "empathic"]
        assert s.ending.id == "rebooked"
        assert "Thursday works" in screen_text(app)

        await pilot.press("enter")  # the focused button opens the debrief
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Rebooked (a positive ending)" in text and "Sam felt heard" in text
        assert "Felt listened to" in text and "5/5 — 3 of 3 replies empathic (turns 1, 2 and 3)" in text
        assert "turn 1" in text and "He expects to be told off" in text
        assert "Turn 1 · empathic (reflection)" in text and "reflected back" in text
        assert "Every reply was empathic" in text
        assert "start" in text and "turn 3" in text  # the trust chart

        area = app.screen.query_one("#reflection", TextArea)
        area.focus()
        await pilot.press(*"next time I will slow down")
        await pilot.press("q")  # q is typed, not a shortcut, while writing
        assert area.text.endswith("q")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = json.loads((roleplay_home / "sessions" / "test-checkin.json").read_text())
        assert saved["reflection"].startswith("next time I will slow down")
        assert saved["finished"] is True and len(saved["turns"]) == 3

        await pilot.press("f9")
        await pilot.pause()
        export_dir = roleplay_home / "exports"
        names = sorted(p.name for p in export_dir.iterdir())
        assert names == ["test-checkin.csv", "test-checkin.json", "test-checkin.md", "test-checkin.process.md"]
        assert "next time I will slow down" in (export_dir / "test-checkin.md").read_text()
        assert str(export_dir / "test-checkin.md") in screen_text(app)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)

    # The record was on disk before each next client line was shown.
    first_saves = [x for x in saved_at if x[0] >= 1]
    assert first_saves[0] == (1, 1), saved_at


async def test_session_without_content_note_starts_at_once_and_esc_leaves(make_app):
    app = make_app([TINY_DIR])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_arrow_keys_move_between_cards(make_app):
    app = make_app([TINY_DIR, GOOD])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cards = app.screen.query_one("#cards")
        assert cards.index == 0
        await pilot.press("down")
        assert cards.index == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContentNoteScreen) and app.screen.scenario.id == "checkin"


async def test_feedback_end_mode_hides_labels_until_the_debrief(make_app):
    app = make_app(feedback="end")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        assert feedback_labels(app) == []
        text = screen_text(app)
        assert "EMPATHIC" not in text and "felt understood" not in text
        assert "My mum's been in and out of hospital" in text, "the client still reacts"
        assert "shown at the debrief" in text
        student = app.screen.query(".student").last()
        assert not [sp for sp in student.content.spans if "underline" in str(sp.style)]
        await pilot.press("f8")  # asks first: Esc keeps practising, Enter ends
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "End this session now?" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.session.ended_early
        await pilot.press("f8", "y")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "ENDED EARLY" in screen_text(app)
        assert "1 of 1 replies empathic" in screen_text(app)


async def test_feedback_reveal_mode_hides_the_label_then_the_reaction_until_f4(make_app):
    app = make_app(feedback="reveal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "You should have known")
        assert feedback_labels(app) == []
        assert len(app.screen.query(HiddenFeedback)) == 1
        text = screen_text(app)
        assert "F4 reveals it" in text and "Trust\nshown" not in text
        # The class cannot read the verdict off the reaction: next line, mood and trust wait too.
        assert "My mum's been in and out of hospital" not in text and "worried" not in text
        assert "reaction is hidden until the reveal" in text
        persona = str(app.screen.query_one("#persona-meter .meter-number").content)
        assert "40/100" in persona, "trust is not updated before the reveal"
        assert not app.screen.query_one("#reply-row").display, "no reply to a line not yet shown"
        await pilot.press("f4")  # first the label
        await pilot.pause()
        assert feedback_labels(app) == ["judgmental"]
        text = screen_text(app)
        assert "My mum's been in and out of hospital" not in text and "felt scolded" not in text
        assert "40/100" in str(app.screen.query_one("#persona-meter .meter-number").content)
        await pilot.press("f4")  # then the reaction
        await pilot.pause()
        text = screen_text(app)
        assert "My mum's been in and out of hospital" in text and "felt scolded" in text
        assert "Mood: worried" in text.replace("\n", " ") or "worried" in text
        assert "30/100" in str(app.screen.query_one("#persona-meter .meter-number").content)
        assert app.screen.query_one("#persona-meter ProgressBar").progress == 30
        assert app.focused is app.screen.query_one("#reply")


async def test_immediate_mode_has_no_reveal_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        assert app.screen.check_action("reveal", ()) is False
        await send(pilot, "It sounds like a hard week")
        await pilot.press("f4")  # nothing happens
        assert feedback_labels(app) == ["empathic"]


async def test_projector_flag_and_toggle(make_app):
    app = make_app(projector=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.has_class("-projector") and app.theme == "roleplay-projector"
        assert app.screen.query_one(".zoom-hint").display
        assert "Zoom: Ctrl/Cmd + '+'" in str(app.screen.query_one(".zoom-hint").content)
        await open_checkin(pilot)
        assert app.screen.query_one("#persona-strip").display
        assert not app.screen.query_one("#persona-trust").display
        await pilot.press("f5")
        await pilot.pause()
        assert not app.has_class("-projector") and app.theme == "textual-dark"
        assert not app.screen.query_one(".zoom-hint").display
        await pilot.press("f5")
        assert app.has_class("-projector")


async def test_hint_model_reply_and_guide(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await pilot.press("f2")
        await pilot.pause()
        text = screen_text(app)
        assert "Notice: Sam seems tired." in text and "Ask yourself" in text
        assert "swallowing" not in text, "a hint is a nudge, never a sentence to copy"
        await pilot.press("f3")  # nothing to show before the first reply: a message, no crash
        await send(pilot, "Do you want to rebook?")
        assert feedback_labels(app) == ["neutral"]
        assert "Ask yourself" not in screen_text(app), "the hint goes once the turn is answered"
        await pilot.press("f3")
        await pilot.pause()
        assert "A model reply: Sounds like work has been swallowing everything lately." in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        text = screen_text(app)
        for word in ("EMPATHIC", "SYMPATHETIC", "JUDGMENTAL", "NEUTRAL"):
            assert word in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.focused is app.screen.query_one("#reply")


async def test_empty_and_enormous_replies_give_a_message(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await pilot.press("enter")
        await send(pilot, "   \n  ")
        assert app.screen.session.turns == []
        assert any("Nothing to send" in n.message for n in app._notifications)
        await send(pilot, "a" * 100_000)
        assert app.screen.session.turns == []
        assert any("100,000 characters" in n.message for n in app._notifications)
        assert len(app.screen.query_one("#reply", ReplyInput).text) == 100_000, "the text is kept to shorten"
        await send(pilot, "It sounds like " + "so much " * 2000)  # long but allowed: shown trimmed
        assert len(app.screen.session.turns) == 1
        assert "more characters not shown" in screen_text(app)


async def test_a_scorer_failure_is_a_message_not_a_traceback(make_app):
    app = make_app(scorer=ExplodingScorer())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like a lot")
        assert app.screen.session.turns == []
        assert any("could not be assessed" in n.message for n in app._notifications)
        assert app.screen.query_one("#reply", ReplyInput).text == "It sounds like a lot"


async def test_missing_scorer_is_a_message(make_app, monkeypatch):
    from roleplay.tui import app as app_module

    def unavailable(self, scenario):
        raise app_module.ScorerUnavailable("The reply scorer is not installed in this build.")

    monkeypatch.setattr(app_module.RoleplayApp, "scorer_for", unavailable)
    app = make_app(scorer=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await send(pilot, "It sounds like a lot")
        assert app.screen.session.turns == []
        assert any("not installed" in n.message for n in app._notifications)


async def test_broken_scenario_shows_the_validator_messages(make_app):
    app = make_app([GOOD, BROKEN])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "BROKEN" in text and "broken.yaml" in text
        assert "endings needs at least 1 item" not in text  # the card names the first errors; the rest are one Enter away
        assert "broken.yaml:1:1: error[E103]" in text
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosticsScreen)
        text = screen_text(app)
        assert "broken.yaml:8:10: error[E105]: endings needs at least 1 item" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_unfinished_session_is_offered_on_the_picker_and_resumes(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        await pilot.press("ctrl+q")  # saves, then quits
        await pilot.pause()
    assert len(records.unfinished()) == 1

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "RESUME" in screen_text(app) and "you stopped after turn 1" in screen_text(app)
        await pilot.press("r")  # the offer's own key (Enter opens the highlighted card)
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert len(app.screen.session.turns) == 1
        assert "My mum's been in and out of hospital" in screen_text(app)
        await send(pilot, "That's a lot to carry")
        assert len(app.screen.session.turns) == 2
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert "you stopped after turn 2" in screen_text(app), "the offer is refreshed"


async def test_history_lists_sessions_skips_corrupt_records_and_resumes(make_app, roleplay_home):
    app = make_app(clock=lambda: "2026-03-01T09:00:00+00:00")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        await send(pilot, "You should have told us")  # hung up: finished
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    sessions = roleplay_home / "sessions"
    (sessions / "corrupt.json").write_text("{not json")
    (sessions / "truncated.json").write_text('{"id": "x", "turns": [')
    app = make_app(session_id=lambda s: "second")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "Do you want to rebook?")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        text = screen_text(app)
        assert "Skipped 2 unreadable records" in text
        assert "corrupt.json" in text and "truncated.json" in text
        assert "1/2 empathic (50%)" in text and "0/1 empathic (0%)" in text
        assert "50% → 0%" in text
        assert "unfinished — Enter resumes" in text
        await pilot.press("enter")  # newest first: the unfinished one
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.session.id == "second"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("down", "enter")  # the finished one opens its debrief
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "Hung up (a difficult ending)" in screen_text(app), "the name History gives it too"
        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_export_to_an_unwritable_folder_is_a_message(make_app, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like a lot")
        await pilot.press("f8", "enter")  # F8 asks; Enter ends
        await pilot.pause()
        app.screen.query_one("#export-dir", Input).value = str(blocker / "sub")
        await pilot.press("f9")
        await pilot.pause()
        assert "Could not export" in screen_text(app)


async def test_palette_has_an_entry_for_each_main_action(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open scenario: A phone check-in" in titles and "History of past sessions" in titles
        assert "Projector mode" in titles and "Guide to reply types" in titles
        await open_checkin(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for t in ("Rewind the last turn", "Show a hint", "Show the model reply", "End early and debrief"):
            assert t in titles
        await send(pilot, "It sounds like a lot")
        await pilot.press("f8", "enter")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export the session" in titles and "Save reflection" in titles


async def test_ctrl_q_saves_mid_session(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like a lot")
        await pilot.press("ctrl+q")
        await pilot.pause()
    data = json.loads((roleplay_home / "sessions" / "test-checkin.json").read_text())
    assert len(data["turns"]) == 1 and not data["finished"]


async def test_feedback_mode_can_be_changed_on_the_picker(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert app.feedback == "end"
        await pilot.press("m")
        assert app.feedback == "reveal"
        assert "Feedback: reveal" in screen_text(app)


async def test_a_damaged_unfinished_record_is_named_and_skipped(make_app, roleplay_home):
    sessions = roleplay_home / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "odd.json").write_text(json.dumps(
        {"id": "odd", "scenario": "checkin", "scenario_title": "A phone check-in", "persona": "Sam Ortiz",
         "updated_at": "2026-03-02T09:00:00", "turns": [{"index": 1, "label": "empathic"}]}))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "RESUME" not in screen_text(app)
        assert any("Skipped 1 damaged session record: odd.json" in n.message for n in app._notifications)
        await pilot.press("h")
        await pilot.pause()
        text = screen_text(app)
        assert "Skipped 1 unreadable record" in text and "odd.json: turns[0].node is missing" in text


async def test_ctrl_q_on_the_debrief_saves_the_reflection(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "It sounds like a lot")
        await pilot.press("f8", "enter")
        await pilot.pause()
        area = app.screen.query_one("#reflection", TextArea)
        area.focus()
        await pilot.press(*"quiet")
        await pilot.press("ctrl+q")
        await pilot.pause()
    data = json.loads((roleplay_home / "sessions" / "test-checkin.json").read_text())
    assert data["reflection"] == "quiet" and data["ended_early"]


async def test_q_leaves_a_finished_session_but_is_typed_in_the_reply_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await pilot.press("q")
        assert app.screen.query_one("#reply", ReplyInput).text == "q"
        await send(pilot, "It sounds like work took over")
        await send(pilot, "You should have told us")  # hung up
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_a_reply_sent_while_the_scorer_loads_is_scored_when_it_is_ready(make_app, monkeypatch):
    import threading

    from roleplay.tui import app as app_module

    from .helpers import KeywordScorer

    gate = threading.Event()

    def slow(self, scenario):
        gate.wait(5)
        return KeywordScorer()

    monkeypatch.setattr(app_module.RoleplayApp, "scorer_for", slow)
    app = make_app(scorer=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        assert not app.screen.scorer_ready
        await send(pilot, "It sounds like work took over")
        assert app.screen.session.turns == []
        assert any("still loading" in n.message for n in app._notifications)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.label for t in app.screen.session.turns] == ["empathic"]
        assert feedback_labels(app) == ["empathic"]


async def test_garbage_collection_is_back_on_once_the_picker_shows(make_app):
    """Start-up pauses the cyclic collector for speed; it must not stay off for the session."""
    import gc

    app = make_app([TINY_DIR])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert gc.isenabled()


async def test_a_resumed_reveal_mode_session_keeps_its_mode_and_hides_its_labels(make_app, roleplay_home):
    app = make_app(feedback="reveal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_checkin(pilot)
        await send(pilot, "E: It sounds like work took over")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert records.unfinished()[0].header.feedback == "reveal"

    app = make_app()  # started in the default mode: the session's own mode wins
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.mode == "reveal"
        assert feedback_labels(app) == [], "labels stay hidden until the class reveals them"
        await pilot.press("f4")
        await pilot.pause()
        assert feedback_labels(app) == ["empathic"]
