"""Issue 12: a picker with one selection, modes that hold (reveal, F8), the projector's stage, 80x24."""

from __future__ import annotations

from textual.widgets import ListItem

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.tui.screens.ask import ChoiceScreen, ConfirmScreen
from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.history import HistoryScreen
from roleplay.tui.screens.modals import ContentNoteScreen
from roleplay.tui.screens.picker import PickerScreen, ResumeCard, ScenarioCard
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.widgets.banner import LabelBanner, block_letters
from roleplay.tui.widgets.conversation import TurnFeedback

from .helpers import GOOD, TINY_DIR, KeywordScorer, screen_text, send, settle

SIZE = (100, 30)


def saved_unfinished(session_id: str = "20260301-090000-checkin-beef") -> None:
    scenario, _ = load_scenario(GOOD / "checkin.yaml")
    s = Session(scenario, KeywordScorer(), id=session_id, clock=lambda: "2026-03-01T09:00:00")
    s.respond("Do you want to rebook?")
    records.save(s.to_record())


def highlighted(app) -> list[ListItem]:
    return [item for item in app.screen.query_one("#cards").children if item.has_class("-highlight")]


async def open_checkin(pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContentNoteScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionScreen)


# --- the picker: one selection ---------------------------------------------------------------


async def test_after_an_unfinished_session_enter_opens_what_is_highlighted(make_app, roleplay_home):
    saved_unfinished()
    app = make_app([GOOD, TINY_DIR])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cards = app.screen.query_one("#cards")
        assert isinstance(cards.children[0], ResumeCard), "the offer is on the list, labelled"
        assert "RESUME" in screen_text(app) and "Unfinished" in screen_text(app)
        # The offer arrived after the first paint: the highlight stayed on the first scenario, and
        # exactly the highlighted card is the one Enter opens.
        assert highlighted(app) == [cards.highlighted_child]
        assert isinstance(cards.highlighted_child, ScenarioCard)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContentNoteScreen), "the highlighted scenario, not the old session"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up")  # onto the offer: now Enter resumes
        await pilot.pause()
        assert highlighted(app) == [cards.children[0]]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.session.id == "20260301-090000-checkin-beef"


async def test_every_card_is_visible_without_scrolling_at_100x30_and_80x24(make_app):
    for size, dirs in (((100, 30), [GOOD, TINY_DIR]), ((80, 24), [])):
        app = make_app(dirs, include_builtin=True)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            cards = app.screen.query_one("#cards")
            assert len(cards.children) >= 4  # three built-ins (and the fixtures at 100x30), the drill
            for item in cards.children:
                assert cards.region.contains_region(item.region), f"{size}: a card is cut off"


# --- reveal mode, F8 and resuming an ended session ------------------------------------------


async def test_f8_asks_and_an_ended_early_session_can_be_resumed_from_history(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # changed my mind
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.session.ended_early
        await pilot.press("f8", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert "ended early — Enter: debrief or resume" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and "ENDED EARLY" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter", "r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and len(screen.session.turns) == 1
        assert not screen.session.ended_early and screen.query_one("#reply").display
        await send(pilot, "That's a lot to carry")
        assert len(screen.session.turns) == 2
    assert not records.list_records()[0][0].header.ended_early, "saved as taken up again"


async def test_a_resumed_reveal_session_hides_labels_and_the_latest_reaction_waits(make_app, roleplay_home):
    app = make_app(feedback="reveal")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work took over")
        await pilot.press("f4", "f4")
        await pilot.pause()
        await send(pilot, "That's a lot to carry")
        await pilot.press("ctrl+q")
        await pilot.pause()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.mode == "reveal"
        assert not screen.query(TurnFeedback), "no label shows before the class reveals it"
        await send(pilot, "Do you want to book Thursday?")
        assert "reaction is hidden until the reveal" in screen_text(app)
        assert "Thursday works" not in screen_text(app)


# --- the projector's stage ---------------------------------------------------------------------


async def test_projector_stage_toggles_discussion_and_reveal_with_one_key(make_app):
    app = make_app(projector=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "You should have told us sooner")
        stage = app.screen.query_one("#stage")
        assert stage.query(LabelBanner) and stage.query_one(LabelBanner).label == "judgmental"
        for w in stage.children:
            assert w.content_region.width <= 72, "lines of at most about 70 characters"
        assert "Reveal" not in footer_keys(app)
        await pilot.press("f6")  # discussion: the label and the reaction are hidden
        await pilot.pause()
        assert not stage.query(LabelBanner)
        text = screen_text(app)
        assert "DISCUSSION" in text and "My mum's been in and out of hospital" not in text
        assert "Reveal" in footer_keys(app), "the footer offers the reveal while something is hidden"
        await pilot.press("f6")  # reveal: both at once
        await pilot.pause()
        assert stage.query(LabelBanner) and "My mum's been in and out of hospital" in screen_text(app)
        assert "Reveal" not in footer_keys(app)


def footer_keys(app) -> list[str]:
    return [k.description for k in app.screen.query("FooterKey")]


def test_block_letters_draw_every_label_word_within_70_columns():
    for word in ("EMPATHIC", "SYMPATHETIC", "JUDGMENTAL", "NEUTRAL"):
        rows = block_letters(word)
        assert rows is not None and len(rows) == 5 and max(len(r) for r in rows) <= 70


# --- 80x24 -----------------------------------------------------------------------------------


async def test_at_80x24_the_conversation_is_wide_the_label_in_view_and_the_footer_short(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        conversation = app.screen.query_one("#conversation")
        assert conversation.region.width >= 60
        assert app.screen.query_one("#persona-strip").display and app.screen.query_one("#persona-strip").region
        await send(pilot, "It sounds like work has taken over everything lately")
        await send(pilot, "I'm sure she'll be fine, don't worry")
        await pilot.pause()
        label = list(conversation.query(TurnFeedback))[-1]
        assert conversation.region.contains_region(label.region), "the latest label is in view"
        keys = [k.description for k in app.screen.query("FooterKey")]
        assert "Hint" in keys and "Debrief" in keys and "Projector" not in keys
        footer = app.screen.query_one("KeyFooter")
        assert sum(k.region.width for k in app.screen.query("FooterKey")) <= footer.region.width


async def test_last_change_names_the_latest_turn_also_after_the_final_turn(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_checkin(pilot)
        await send(pilot, "It sounds like work has taken over everything lately")
        assert "turn 1: +10 — felt understood" in screen_text(app)
        await send(pilot, "You should have told us sooner")  # the final turn: hung up
        assert app.screen.session.finished
        text = screen_text(app)
        assert "turn 2: -20 — felt blamed" in text and "turn 1: +10" not in text
