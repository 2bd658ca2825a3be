"""The command line, the app and the process recording name the same words for a turn."""

from __future__ import annotations

import re

import pytest

from roleplay.core.assessment import shown_evidence
from roleplay.core.scenario.catalog import resolve
from roleplay.core.scoring import default_scorer
from roleplay.core.session.engine import Session

REPLIES = [
    "That sounds like a horrible position to be in. You need a back up plan.",
    "tea four times and u still feel like ur not doing enough, thats a lot",
    "oh you poor thing, honestly it'll all be fine x",
    "Is Claire driving down tonight?",
]


@pytest.mark.parametrize("reply", REPLIES)
def test_cli_app_and_export_name_the_same_words(reply):
    from roleplay.cli.practice import _feedback_lines
    from roleplay.core.reporting.export import to_process_recording
    from roleplay.tui.widgets.conversation import evidence_line

    scenario, _ = resolve("grieving_patient")
    session = Session(scenario, default_scorer(), id="t", seed=1, clock=lambda: "2026-01-01T00:00:00+00:00")
    turn = session.respond(reply)
    words = [e.text for e in shown_evidence(turn.assessment, reply)]

    cli = next((line for line in _feedback_lines(turn, scenario) if "because of:" in line), "")
    assert re.findall(r'"([^"]+)"', cli) == words[:4]

    app = evidence_line(turn)
    assert (re.findall(r"“([^”]+)”", app.plain) if app is not None else []) == words[:5]

    recording = to_process_recording(session.to_record(), scenario)
    row = next(line for line in recording.splitlines() if reply[:20] in line)
    assert re.findall(r"\u201c([^\u201d]+)\u201d", row.split("Words: ")[1].split(" |")[0]) == words[:3] \
        if words else "Words:" not in row


@pytest.mark.parametrize("reply", REPLIES)
def test_a_drill_reply_names_the_same_words_in_the_cli_the_app_and_its_record(reply):
    from roleplay.cli.drill import _feedback
    from roleplay.core.session.drill import Drill
    from roleplay.core.session.drill_corpus import load_items
    from roleplay.tui.widgets.conversation import evidence_line
    from tests.conftest import FIXTURES

    items, _ = load_items(FIXTURES / "drill_corpus")
    saved: list[dict] = []
    drill = Drill(items[:1], default_scorer(), saver=saved.append)
    attempt = drill.submit(reply)
    words = [e.text for e in shown_evidence(attempt.assessment, reply)]
    printed: list[str] = []
    _feedback(attempt, attempt.item, printed.append)
    cli = next((line for line in printed if "because of:" in line), "")
    assert re.findall(r'"([^"]+)"', cli) == words[:4]
    app = evidence_line(attempt)
    assert (re.findall(r"“([^”]+)”", app.plain) if app is not None else []) == words[:5]
    assert [e["text"] for e in saved[-1]["replies"][0]["evidence"]] == words
