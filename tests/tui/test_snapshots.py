"""Snapshot tests (pytest-textual-snapshot): picker, session with feedback, debrief, projector mode, drills.

Deterministic: fixed clock and session id, no built-in scenarios (they change as authors edit them),
no cursor blink, a fixed export folder name, and no notifications on screen.
Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from .helpers import GOOD, TINY_DIR, drill_reply, make, make_drill_app, open_drill, send, settle, until


async def _open_checkin(pilot) -> None:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def _two_replies(pilot) -> None:
    await _open_checkin(pilot)
    await send(pilot, "It sounds like work has taken over everything lately")
    await send(pilot, "You should have told us sooner, why didn't you call?")


async def _to_debrief(pilot) -> None:
    await _open_checkin(pilot)
    await send(pilot, "It sounds like work has taken over")
    await send(pilot, "I'm sure she'll be fine, don't worry")
    await send(pilot, "Do you want Thursday?")
    await pilot.press("enter")
    await pilot.pause()


def test_picker(snap_compare):
    app = make([GOOD, TINY_DIR])
    assert snap_compare(app, terminal_size=(100, 30))


def test_content_note(snap_compare):
    app = make([GOOD])
    assert snap_compare(app, terminal_size=(100, 30), press=["enter"])


def test_session_with_feedback(snap_compare):
    app = make([GOOD])
    assert snap_compare(app, terminal_size=(100, 30), run_before=_two_replies)


def test_session_reveal_mode_hides_the_label(snap_compare):
    async def run_before(pilot):
        await _open_checkin(pilot)
        await send(pilot, "It sounds like work has taken over everything lately")

    app = make([GOOD], feedback="reveal")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_session_end_mode_keeps_labels_for_the_debrief(snap_compare):
    app = make([GOOD], feedback="end")
    assert snap_compare(app, terminal_size=(100, 30), run_before=_two_replies)


def test_debrief(snap_compare):
    app = make([GOOD], export_dir="exports")
    assert snap_compare(app, terminal_size=(100, 30), run_before=_to_debrief)


def test_debrief_160x45(snap_compare):
    app = make([GOOD], export_dir="exports")
    assert snap_compare(app, terminal_size=(160, 45), run_before=_to_debrief)


def test_projector_session_100x30(snap_compare):
    app = make([GOOD], projector=True)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_two_replies)


def test_projector_session_160x45(snap_compare):
    app = make([GOOD], projector=True)
    assert snap_compare(app, terminal_size=(160, 45), run_before=_two_replies)


def test_projector_picker_160x45(snap_compare):
    app = make([GOOD, TINY_DIR], projector=True)
    assert snap_compare(app, terminal_size=(160, 45))


def test_guide(snap_compare):
    app = make([GOOD])
    assert snap_compare(app, terminal_size=(100, 30), press=["f1"])


def test_debrief_scrolled_to_reflection_and_export(snap_compare):
    async def run_before(pilot):
        await _to_debrief(pilot)
        pilot.app.screen.query_one("#reflection").text = "Next time I will name the worry before I reassure."
        await pilot.press("ctrl+s")
        pilot.app.screen.query_one("#debrief").scroll_end(animate=False)
        await pilot.pause()

    app = make([GOOD], export_dir="exports")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_history(snap_compare, roleplay_home):
    async def run_before(pilot):
        await _to_debrief(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()

    (roleplay_home / "sessions").mkdir(parents=True)
    (roleplay_home / "sessions" / "damaged.json").write_text("{")
    app = make([GOOD])
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


async def _drill_reply(pilot) -> None:
    await settle(pilot)
    await open_drill(pilot)
    await drill_reply(pilot, "Don't worry, I'm sure it'll be fine")


def test_drill_setup(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_drill_app(), terminal_size=(100, 30), run_before=run_before)


def test_drill_feedback_and_example(snap_compare):
    assert snap_compare(make_drill_app(), terminal_size=(100, 30), run_before=_drill_reply)


def test_drill_projector_reveal_hides_the_label_160x45(snap_compare):
    app = make_drill_app(projector=True, feedback="reveal")
    assert snap_compare(app, terminal_size=(160, 45), run_before=_drill_reply)


def test_drill_projector_revealed_160x45(snap_compare):
    async def run_before(pilot):
        await _drill_reply(pilot)
        await pilot.press("f4")
        await until(pilot, lambda: pilot.app.screen.query(".feedback.-sympathetic"))

    app = make_drill_app(projector=True, feedback="reveal")
    assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)


# --- issue 12: 80x24, and the projector's stage ------------------------------------------------


def test_picker_80x24(snap_compare):
    app = make([GOOD, TINY_DIR])
    assert snap_compare(app, terminal_size=(80, 24))


def test_session_with_feedback_80x24(snap_compare):
    app = make([GOOD])
    assert snap_compare(app, terminal_size=(80, 24), run_before=_two_replies)


def test_debrief_80x24(snap_compare):
    app = make([GOOD], export_dir="exports")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_to_debrief)


def test_projector_discussion_hides_label_and_reaction_160x45(snap_compare):
    async def run_before(pilot):
        await _open_checkin(pilot)
        await send(pilot, "It sounds like work has taken over everything lately")

    app = make([GOOD], projector=True, feedback="reveal")
    assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)


def test_projector_discussion_100x30(snap_compare):
    async def run_before(pilot):
        await _open_checkin(pilot)
        await send(pilot, "It sounds like work has taken over everything lately")

    app = make([GOOD], projector=True, feedback="reveal")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
