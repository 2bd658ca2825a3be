"""The command line, the app and the process recording name the same words for a turn."""

from __future__ import annotations

import re

import pytest

from roleplay.core.assessment import shown_evidence, shown_words
from roleplay.core.scenario.catalog import resolve
from roleplay.core.scoring import default_scorer
from roleplay.core.session.engine import Session

REPLIES = [
    "That sounds like a horrible position to be in. You need a back up plan.",
    "You should have called. You need to plan. You must rest. Why didn't you ask? You should eat.",
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
    words = [w for w, _ in shown_words(turn.assessment, reply)[0]]
    assert words == [e.text for e in shown_evidence(turn.assessment, reply)][:len(words)]

    cli = next((line for line in _feedback_lines(turn, scenario) if "because of:" in line), "")
    app = evidence_line(turn)
    screen = re.findall(r"“([^”]+)”", app.plain) if app is not None else []
    recording = to_process_recording(session.to_record(), scenario)
    row = next(line for line in recording.splitlines() if reply[:20] in line)
    process = re.findall(r"\u201c([^\u201d]+)\u201d", row.split("Words: ")[1].split(" |")[0]) if words else []
    assert process == screen == re.findall(r'"([^"]+)"', cli) == words
    if words:  # and the same count of the rest, when there are more than fit
        tail = lambda text: re.findall(r"and (\d+) more", text)
        assert tail(row) == tail(app.plain) == tail(cli)
    else:
        assert "Words:" not in row and app is None


def test_the_process_recording_of_a_saved_record_names_the_screens_words(tmp_path):
    """The same record, read back from disk: the export and the app name the same words."""
    from roleplay.core.reporting.export import to_process_recording
    from roleplay.core.session import records
    from roleplay.tui.widgets.conversation import evidence_line

    scenario, _ = resolve("grieving_patient")
    session = Session(scenario, default_scorer(), id="t", seed=1, clock=lambda: "2026-01-01T00:00:00+00:00")
    for reply in REPLIES[:2]:
        if session.finished:
            break
        session.respond(reply)
    path = records.save(session.to_record(), tmp_path)
    record = records.load(path)
    recording = to_process_recording(record, scenario)
    for turn in record.turns:
        row = next(line for line in recording.splitlines() if turn.reply[:20] in line)
        app = evidence_line(turn)
        screen = re.findall(r"“([^”]+)”", app.plain) if app is not None else []
        process = re.findall(r"\u201c([^\u201d]+)\u201d", row.split("Words: ")[1].split(" |")[0]) \
            if "Words: " in row else []
        assert process == screen


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
    shown = [w for w, _ in shown_words(attempt.assessment, reply)[0]]
    assert re.findall(r'"([^"]+)"', cli) == shown
    app = evidence_line(attempt)
    assert (re.findall(r"“([^”]+)”", app.plain) if app is not None else []) == shown
    assert [e["text"] for e in saved[-1]["replies"][0]["evidence"]] == words


def test_more_phrases_than_fit_are_counted_the_same_everywhere():
    from roleplay.cli.practice import _feedback_lines
    from roleplay.core.reporting.export import to_process_recording
    from roleplay.core.session.record_check import read_record
    from roleplay.tui.widgets.conversation import evidence_line

    reply = "you should rest, you must eat, you need to sleep, why didn't you call, you should go, you should rest"
    spans = ["you should rest", "you must eat", "you need to sleep", "why didn't you call", "you should go",
             "you should rest"]  # the last repeats the first: named once
    ev, at = [], 0
    for text in spans:
        start = reply.index(text, at)
        ev.append({"start": start, "end": start + len(text), "text": text, "label": "judgmental",
                   "kind": "moralising", "source": "cue:should"})
        at = start + len(text)
    record = read_record({"scenario": "x", "turns": [{
        "index": 1, "node": "n", "client_line": "hi", "reply": reply, "branch": 0, "next": "n",
        "state_before": {}, "state": {}, "assessment": {"label": "judgmental", "evidence": ev}}]}, "r.json")
    turn = record.turns[0]
    scenario, _ = resolve("grieving_patient")
    cli = next(line for line in _feedback_lines(turn, scenario) if "because of:" in line)
    app = evidence_line(turn).plain
    row = next(line for line in to_process_recording(record).splitlines() if "Words:" in line)
    first_four = spans[:4]
    assert re.findall(r'"([^"]+)"', cli) == re.findall(r"“([^”]+)”", app) == \
        re.findall(r"\u201c([^\u201d]+)\u201d", row.split("Words: ")[1]) == first_four
    assert "and 1 more" in cli and "and 1 more" in app and "and 1 more" in row
