"""In the app, text from files never acts on the terminal: a hostile scenario, file name, record,
pasted reply or notification is shown (␛), and the terminal output itself carries no OSC, BEL,
screen clear, C1 or bidi control. A runaway rubric pattern does not stop Ctrl+Q."""

from __future__ import annotations

import faulthandler
import json
import re
import time

import pytest
from textual.content import Content
from textual.widgets import Static

from roleplay.core.session import records
from roleplay.tui.screens.history import HistoryScreen
from roleplay.tui.screens.modals import DiagnosticsScreen
from roleplay.tui.screens.session import SessionScreen

from .helpers import GOOD, screen_text, send, settle

SIZE = (100, 30)
RAW = "\x1b]52;c;aGk=\x07 \x1b[2J \x1b]0;pwn\x07 \u202eevil \x9b1m"
YAML = r"\e]52;c;aGk=\a \e[2J \e]0;pwn\a \u202Eevil \x9b1m"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def no_hang():
    faulthandler.dump_traceback_later(30, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def terminal_output(app) -> str:
    """What the app would write to the terminal for the whole screen, Textual's own sequences included."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_terminal_clean(app) -> None:
    out = terminal_output(app)
    for bad in ("\x1b]", "\x07", "\x1b[2J", "\x9b", "\u202e", "\x1bP", "\x1b_"):
        assert bad not in out, f"{bad!r} reached the terminal"
    text = re.sub("\x1b\\[[0-9;?]*[A-Za-z]", "", out)  # Textual's own cursor moves and colours
    assert not FORBIDDEN.search(text.replace("\r", "").replace("\n", ""))
    assert "\x1b" not in app.export_screenshot()
    assert not FORBIDDEN.search(str(app.title) + str(app.sub_title))


def hostile_folder(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    good = (GOOD / "checkin.yaml").read_text(encoding="utf-8")
    (folder / "escapes.yaml").write_text(
        good.replace("title: A phone check-in", f'title: "A phone check-in {YAML}"').replace("id: checkin", "id: escapes"),
        encoding="utf-8")
    (folder / f"named \x1b]0;pwn\x07.yaml").write_text(good.replace("id: checkin", "id: named"), encoding="utf-8")
    (folder / f"broken \x1b]0;pwn\x07.yaml").write_text("id: [\n", encoding="utf-8")
    (folder / "markup.yaml").write_text(
        good.replace("title: A phone check-in", 'title: "[@click=app.quit]Quit[/] [bold red]loud[/]"')
        .replace("id: checkin", "id: markup"), encoding="utf-8")
    return folder


async def test_a_hostile_scenario_and_file_name_show_harmlessly_on_the_picker(make_app, tmp_path, roleplay_home):
    app = make_app([hostile_folder(tmp_path)])
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "E014" in text, "the escape-laden scenario is a broken card with its position"
        assert "broken ␛]0;pwn␇.yaml" in text, "a file name is shown, visibly"
        assert "[@click=app.quit]Quit[/]" in text, "markup in a title is text"
        assert_terminal_clean(app)
        broken = next(i for i, c in enumerate(app.screen.cards) if "E014" in "".join(c.diagnostics))
        app.screen.query_one("#cards").index = broken
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosticsScreen)
        assert "E014" in screen_text(app)
        assert_terminal_clean(app)


async def test_palette_titles_are_not_markup(make_app, tmp_path, roleplay_home):
    app = make_app([hostile_folder(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen) if "Open scenario" in c.title]
        shown = [Content.from_markup(t).plain for t in titles]
        assert any("[@click=app.quit]Quit[/]" in s for s in shown), shown
        assert not any(FORBIDDEN.search(s) for s in shown)


async def test_a_hostile_record_is_shown_harmlessly_on_the_picker_history_and_resume(make_app, roleplay_home):
    from roleplay.core.scenario.loader import load_scenario
    from roleplay.core.session.engine import Session

    from .helpers import KeywordScorer

    scenario, _ = load_scenario(GOOD / "checkin.yaml")
    session = Session(scenario, KeywordScorer(), id="hostile-1", clock=lambda: "2026-03-02T10:00:00+00:00")
    session.respond("It sounds like work took over")
    data = session.to_dict()
    data.update(scenario_title=f"Check-in {RAW}", persona=f"Sam {RAW}")
    turn = data["turns"][0]
    turn.update(reply=f"It sounds like {RAW}", client_line=f"Yeah {RAW}")
    turn["assessment"]["feedback"] = f"Well {RAW} done"
    records.save(data)

    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "Check-in ␛]52;c;aGk=␇" in screen_text(app)
        assert_terminal_clean(app)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "Sam ␛]52" in screen_text(app)
        assert_terminal_clean(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        text = screen_text(app)
        assert "It sounds like ␛]52;c;aGk=␇" in text and "Well ␛]52" in text
        assert_terminal_clean(app)


async def test_a_pasted_escape_sequence_and_a_notification_are_shown_not_sent(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await send(pilot, f"It sounds like {RAW}")
        assert "It sounds like ␛]52;c;aGk=␇" in screen_text(app)
        app.notify(f"[bold]{RAW}[/bold] [@click=app.quit]x[/]", title=f"T {RAW}")
        await pilot.pause()
        assert_terminal_clean(app)
        assert app.is_running


async def test_the_line_filter_catches_what_a_widget_would_send_raw(make_app, roleplay_home):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.screen.mount(Static(Content(f"raw {RAW} end")))
        await pilot.pause()
        assert f"raw {RAW}"[:8] in screen_text(app), "the widget holds it raw..."
        assert_terminal_clean(app)  # ...but the terminal never gets it


@pytest.fixture(scope="module")
def slow_scorer(tmp_path_factory):
    """The built-in rubric plus a cue that backtracks for ever on a long word (E207 lets it load)."""
    from roleplay.core.scoring import scorer_for
    from roleplay.core.scoring.rubric import default_rubric_path

    text = default_rubric_path().read_text(encoding="utf-8")
    anchor = "          - {id: sounds-like,\n"
    path = tmp_path_factory.mktemp("rubric") / "slow.yaml"
    path.write_text(text.replace(anchor, "          - {id: slow-one, regex: '(?:\\w|\\w)+!'}\n" + anchor, 1))
    scorer, diags = scorer_for(rubric=str(path))
    assert scorer is not None, [str(d) for d in diags]
    return scorer


async def test_quit_works_while_a_runaway_rubric_pattern_is_scoring(make_app, roleplay_home, slow_scorer):
    app = make_app(scorer=slow_scorer)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        app.screen.query_one("#reply").text = "you seem abcdefghijklmnopqrstuvwxyzabcdefgh !"
        t = time.monotonic()
        await pilot.press("enter", "ctrl+q")
        await pilot.pause()
    assert time.monotonic() - t < 2, "Ctrl+Q is handled as soon as the budget stops the pattern"
    [info] = records.unfinished()
    assert "cut short" in records.load(info.path).turns[0].assessment.notes[0]
