"""Drills in the app, driven by Pilot: a whole drill, a retry, exclusions, auto focus, reveal mode."""

from __future__ import annotations

import asyncio
import json

from roleplay.tui.screens.drill import DrillScreen
from roleplay.tui.screens.drill_setup import DrillSetupScreen
from roleplay.tui.screens.picker import DrillCard, PickerScreen
from roleplay.tui.widgets.conversation import HiddenFeedback
from roleplay.tui.widgets.drill import DrillFeedback, Example
from roleplay.tui.widgets.reply_input import ReplyInput

from .helpers import (ExplodingScorer, drill_reply, make_drill_app, next_line, open_drill, screen_text, settle,
                      until)

SIZE = (100, 30)
REPLIES = ["It sounds like that has been so hard", "Don't worry, I'm sure it'll be fine",
           "You should have asked for help sooner", "Do you have a support worker?"]


def labels(app) -> list[str]:
    return [w.label for w in app.screen.query(DrillFeedback)]


def drill_records(home) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((home / "drills").glob("*.json"))]


def write_drill(home, name: str, label: str, kind: str, n: int) -> None:
    (home / "drills").mkdir(parents=True, exist_ok=True)
    replies = [{"situation": f"old{i}", "label": label, "kind": kind, "at": "2026-03-01T10:00:00+00:00"}
               for i in range(n)]
    (home / "drills" / f"{name}.json").write_text(json.dumps({"type": "drill", "version": 1, "id": name,
                                                              "replies": replies}))


async def test_a_ten_line_drill_start_to_finish(roleplay_home):
    app = make_drill_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cards = app.screen.query_one("#cards")
        assert isinstance(cards.children[-1], DrillCard) and "DRILL" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DrillSetupScreen) and "12 client lines" in screen_text(app)
        app.screen.query_one("#setup-name").value = "Ada"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DrillScreen) and screen.drill.total == 10
        seen = []
        for i in range(10):
            item = screen.drill.current
            text = screen_text(app)
            assert f"{i + 1}/10" in text and item.setting in text and item.client in text
            assert app.focused is screen.query_one("#reply", ReplyInput)
            await drill_reply(pilot, REPLIES[i % 4])
            text = screen_text(app)
            assert labels(app) == [["empathic", "sympathetic", "judgmental", "neutral"][i % 4]]
            assert "Words that shaped it" in text or i % 4 == 3
            assert f"An empathic reply from the corpus: {item.example}" in text
            seen.append(item.situation)
            await next_line(pilot)  # Enter: the Next button has the focus
        text = screen_text(app)
        assert "Drill over" in text and "10 of 10 lines answered" in text and "empathic at the first try: 3 of 10" in text
        assert "Most frequent in this drill: reassurance" in text or "Most frequent in this drill" in text
        [record] = drill_records(roleplay_home)
        assert record["student"] == "Ada" and record["finished"] is True
        assert [r["situation"] for r in record["replies"]] == seen and len(set(seen)) == 10
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PickerScreen))
    prefs = json.loads((roleplay_home / "preferences.json").read_text())
    assert prefs["student"] == "Ada"


async def test_a_line_can_be_retried_once(roleplay_home):
    app = make_drill_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_drill(pilot)
        first = app.screen.drill.current
        await drill_reply(pilot, "You should have asked for help sooner")
        await pilot.press("ctrl+r")
        box = app.screen.query_one("#reply", ReplyInput)
        await until(pilot, lambda: app.focused is box)
        assert app.focused is box and box.text == "You should have asked for help sooner"
        await drill_reply(pilot, "It sounds like asking for help has been hard")
        assert labels(app) == ["judgmental", "empathic"] and app.screen.drill.current is first
        assert "Retry:" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not app.screen.query_one("#reply-row").display  # no third try
        assert any("once" in n.message for n in app._notifications)
        [record] = drill_records(roleplay_home)
        assert [(r["situation"], r["attempt"]) for r in record["replies"]] == [(first.situation, 1),
                                                                              (first.situation, 2)]


async def test_an_excluded_setting_never_appears(roleplay_home):
    roleplay_home.mkdir(parents=True, exist_ok=True)
    (roleplay_home / "preferences.json").write_text(json.dumps({"excluded": ["self_harm"]}))
    app = make_drill_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        exclude = app.screen.query_one("#setup-exclude")
        assert exclude.selected == ["self_harm"]  # remembered from last time
        exclude.select("child_protection")
        await pilot.press("ctrl+s")
        await settle(pilot)
        drill = app.screen.drill
        assert drill.total == 8  # 12 lines, 4 of them self-harm or child protection
        assert not [it for it in drill.items if "self_harm" in it.content or it.area == "child_protection"]
        for _ in range(2):
            assert "self-harm" not in screen_text(app) and "Child protection" not in screen_text(app)
            await drill_reply(pilot, "It sounds like a lot")
            await next_line(pilot)
    prefs = json.loads((roleplay_home / "preferences.json").read_text())
    assert prefs["excluded"] == ["child_protection", "self_harm"]


async def test_auto_focus_aims_at_each_students_own_habit(tmp_path, monkeypatch):
    chosen = {}
    for habit, label in (("reassurance", "sympathetic"), ("interrogating", "judgmental")):
        home = tmp_path / habit
        monkeypatch.setenv("ROLEPLAY_HOME", str(home))
        write_drill(home, "old", label, habit, 6)
        app = make_drill_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert f"Your habit: {habit} in 100% of replies" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            drill = app.screen.drill
            assert drill.focus == habit and f"aimed at {habit}" in screen_text(app)
            assert all(it.temptation(habit) > 0 for it in drill.items)
            chosen[habit] = {it.situation for it in drill.items}
    assert chosen["reassurance"].isdisjoint(chosen["interrogating"])


async def test_reveal_mode_hides_labels_until_f4():
    app = make_drill_app(feedback="reveal", projector=True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await open_drill(pilot)
        await drill_reply(pilot, "Don't worry, I'm sure it'll be fine")
        assert labels(app) == [] and len(app.screen.query(HiddenFeedback)) == 1
        assert not app.screen.query(Example) and "SYMPATHETIC" not in screen_text(app)
        await pilot.press("f4")
        await until(pilot, lambda: labels(app) == ["sympathetic"])
        assert app.screen.query(Example)
        await next_line(pilot)
        await drill_reply(pilot, "It sounds like a lot")
        assert labels(app) == []  # the next line is hidden again


async def test_a_scorer_failure_keeps_the_reply_and_says_so(roleplay_home):
    app = make_drill_app(scorer=ExplodingScorer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_drill(pilot)
        await drill_reply(pilot, "It sounds like a lot")
        assert any("could not be assessed" in n.message for n in app._notifications)
        assert app.screen.query_one("#reply", ReplyInput).text == "It sounds like a lot"
        assert app.screen.drill.attempts == [] and not (roleplay_home / "drills").exists()


async def test_damaged_preferences_are_reported_and_the_drill_starts(roleplay_home):
    roleplay_home.mkdir(parents=True, exist_ok=True)
    (roleplay_home / "preferences.json").write_text("{not json")
    app = make_drill_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "could not be read" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)


async def test_history_shows_the_habit_profile_as_a_chart(roleplay_home):
    from textual.widgets import ProgressBar

    from roleplay.tui.screens.history import HistoryScreen
    from roleplay.tui.widgets.habits import HabitRow

    (roleplay_home / "drills").mkdir(parents=True)
    for name, at, kinds in (("a", "2026-01-20T10:00:00+00:00", ["reassurance"] * 4 + ["reflection"] * 5),
                            ("b", "2026-02-25T10:00:00+00:00", ["reassurance"] * 1 + ["reflection"] * 3)):
        replies = [{"situation": "s", "label": "sympathetic" if k == "reassurance" else "empathic", "kind": k,
                    "at": at} for k in kinds]
        (roleplay_home / "drills" / f"{name}.json").write_text(json.dumps({"type": "drill", "id": name,
                                                                           "replies": replies}))
    app = make_drill_app()  # its clock says 2026-03-02
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        rows = list(app.screen.query(HabitRow))
        assert [r.query_one(ProgressBar).progress for r in rows] == [25, 75]  # reassurance, then empathic
        text = screen_text(app)
        assert "1 reply · ↓ from 44% a month ago" in text and "from 13 drill replies" in text
        assert "aim auto (reassurance)" in text


async def test_leaving_while_a_reply_is_scored_keeps_the_reply(roleplay_home):
    import threading

    from .helpers import KeywordScorer

    gate = threading.Event()

    class SlowScorer(KeywordScorer):
        def assess(self, reply, context):
            gate.wait(10)
            return super().assess(reply, context)

    app = make_drill_app(scorer=SlowScorer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_drill(pilot)
        box = app.screen.query_one("#reply", ReplyInput)
        box.text = "It sounds like a lot"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#reply-row").display  # still scoring: the screen has not frozen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        gate.set()
        for _ in range(200):  # the scoring thread outlives the screen, and saves the reply
            if (roleplay_home / "drills").is_dir() and drill_records(roleplay_home):
                break
            await asyncio.sleep(0.02)
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
    [record] = drill_records(roleplay_home)
    assert [r["reply"] for r in record["replies"]] == ["It sounds like a lot"]


async def test_a_line_can_be_skipped_and_the_drill_ended_early(roleplay_home):
    app = make_drill_app(feedback="end")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_drill(pilot)
        first = app.screen.drill.current
        await pilot.press("ctrl+n")  # skip: no reply needed
        await until(pilot, lambda: app.screen.drill.position == 1 and app.focused is not None)
        await drill_reply(pilot, "Don't worry, I'm sure it'll be fine")
        assert labels(app) == [] and app.screen.query(Example)  # end mode: labels wait for the summary
        assert "shown in the summary" in screen_text(app)
        await pilot.press("f8")
        await until(pilot, lambda: "Drill over" in screen_text(app))
        text = screen_text(app)
        assert "1 of 10 lines answered" in text and "skipped" in text and "sympathetic (reassurance)" in text
        [record] = drill_records(roleplay_home)
        assert record["finished"] is True and first.situation not in [r["situation"] for r in record["replies"]]
