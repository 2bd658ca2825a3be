"""End to end with the real scorer on the built-in scenarios, through the app."""

from __future__ import annotations

import json

import pytest

from roleplay.tui.screens.debrief import DebriefScreen
from roleplay.tui.screens.modals import ContentNoteScreen
from roleplay.core.reporting.endings import ending_name
from roleplay.tui.screens.session import SessionScreen
from roleplay.tui.widgets.conversation import TurnFeedback

from .helpers import make, screen_text, send, settle

BUILT_INS = ["mandated_parent", "grieving_patient", "trauma_survivor"]


async def open_builtin(pilot, scenario_id: str) -> None:
    app = pilot.app
    ids = [c.id for c in app.cards]
    assert scenario_id in ids, f"built-in scenario {scenario_id} is missing: {ids}"
    for _ in range(ids.index(scenario_id)):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ContentNoteScreen), "every built-in has a content note"
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)
    await app.workers.wait_for_complete()  # the real scorer loads in a worker thread
    await pilot.pause()
    assert app.screen.scorer_ready, app.screen.scorer_error


@pytest.mark.parametrize("scenario_id", BUILT_INS)
async def test_built_in_scenario_played_with_the_real_scorer(scenario_id, roleplay_home):
    app = make((), scorer=None, include_builtin=True, session_id=lambda s: f"real-{s.id}")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_builtin(pilot, scenario_id)
        screen = app.screen
        session = screen.session
        rewound = False
        for _ in range(40):
            if session.finished:
                break
            node = session.node
            reply = node.exemplars["empathic"][0]
            if not rewound and session.turns:
                # One judgmental try, rewound, then the empathic reply instead.
                await send(pilot, node.exemplars["judgmental"][0])
                assert session.turns[-1].label in ("judgmental", "sympathetic", "neutral", "empathic")
                await pilot.press("ctrl+r")
                await pilot.pause()
                rewound = True
            n = len(session.turns)
            await send(pilot, reply)
            assert len(session.turns) == n + 1, "each reply is one turn"
            shown = [w.label for w in app.screen.query(TurnFeedback)]
            assert shown == [t.label for t in session.turns], "every reply shows its label"
            saved = json.loads((roleplay_home / "sessions" / f"real-{scenario_id}.json").read_text())
            assert len(saved["turns"]) == len(session.turns), "saved after every turn"
        assert session.finished, "empathic exemplars reach an ending"
        labels = [t.label for t in session.turns]
        assert labels.count("empathic") >= len(labels) * 0.7, labels
        assert rewound
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert ending_name(session.ending.id, session.scenario) in text  # the name History and the CLI give it
        assert f"{labels.count('empathic')} of {len(labels)} replies empathic" in text
        await pilot.press("f9")
        await pilot.pause()
        assert (roleplay_home / "exports" / f"real-{scenario_id}.process.md").is_file()


async def test_a_scenario_whose_rubric_is_broken_gives_a_message(tmp_path, roleplay_home):
    from .helpers import GOOD

    folder = tmp_path / "mine"
    folder.mkdir()
    # The file exists (a missing one is refused when the scenario loads, E107) but is not a rubric.
    text = (GOOD / "checkin.yaml").read_text().replace("minutes: 5\n", "minutes: 5\nrubric: rubrics/broken.yaml\n")
    (folder / "checkin.yaml").write_text(text)
    (folder / "rubrics").mkdir()
    (folder / "rubrics" / "broken.yaml").write_text("labels: [not, a, rubric]\n")
    app = make((folder,), scorer=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.scorer_error and "rubric cannot be used" in app.screen.scorer_error
        await send(pilot, "It sounds like a lot")
        assert app.screen.session.turns == []
