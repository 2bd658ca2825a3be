"""Disputed labels from the command line (issue 12 item 10): `/disagree` in `roleplay play` keeps
the student's view with the turn, the class report lists it for the instructor, and
`report --disputes FILE` exports labelled replies that `roleplay train` and `roleplay eval` read."""

from __future__ import annotations

import json

from roleplay.cli import main
from tests.conftest import FIXTURES


def test_disagree_in_play_is_saved_reported_and_exported_for_train_and_eval(capsys, tmp_path, roleplay_home):
    script = tmp_path / "s.txt"
    script.write_text("You need to take these appointments seriously.\n"
                      "/disagree\n"
                      "/disagree kindly\n"
                      "/disagree empathic because I was naming how serious it felt to him\n"
                      "/quit\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "Usage: /disagree LABEL because" in out and "'kindly' is not a label" in out
    assert "You think turn 1 was empathic, not judgmental, because I was naming how serious it felt to him" in out
    assert "The story goes on as it was." in out
    assert "Practise next:" in out and "Turn 1 — judgmental" in out  # the debrief at the end names the turn

    saved = json.loads(next((roleplay_home / "sessions").glob("*.json")).read_text())
    assert len(saved["turns"]) == 1 and saved["turns"][0]["label"] == "judgmental"
    assert saved["turns"][0]["dispute"]["label"] == "empathic"
    assert saved["turns"][0]["dispute"]["note"] == "I was naming how serious it felt to him"

    exported = tmp_path / "disputes.jsonl"
    assert main(["report", str(roleplay_home / "sessions"), "--disputes", str(exported)]) == 0
    report = capsys.readouterr()
    assert "Disputed labels (1)" in report.out
    assert "judgmental -> empathic" in report.out and "because: I was naming how serious" in report.out
    assert "Wrote " + str(exported) + " (1 disputed label(s))" in report.err
    rows = [json.loads(line) for line in exported.read_text().splitlines()]
    assert rows == [{"reply": "You need to take these appointments seriously.", "label": "empathic",
                     "client": saved["turns"][0]["client_line"], "note": "I was naming how serious it felt to him"}]

    from roleplay.core.scoring.train import training_items

    items = training_items([str(exported)])  # what `roleplay train FILE` reads
    assert any(i.reply == rows[0]["reply"] and i.label == "empathic" for i in items)
    assert main(["eval", str(exported)]) == 0  # and `roleplay eval FILE`
    assert "replies: 1" in capsys.readouterr().out


def test_disputes_appear_in_the_markdown_and_json_reports_only_when_there_are_some(capsys, tmp_path, roleplay_home):
    script = tmp_path / "s.txt"
    script.write_text("Can we find another time this week?\n/quit\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script)]) == 0
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    assert main(["report", str(roleplay_home / "sessions"), "--md", str(md), "--json", str(js)]) == 0
    assert "Disputed labels" not in capsys.readouterr().out
    assert "Disputed" not in md.read_text() and "disputes" not in json.loads(js.read_text())

    script.write_text("/disagree empathic because it was an offer\n/quit\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script), "--resume"]) == 0
    assert main(["report", str(roleplay_home / "sessions"), "--md", str(md), "--json", str(js), "--force"]) == 0
    assert "## Disputed labels" in md.read_text() and "it was an offer" in md.read_text()
    assert json.loads(js.read_text())["disputes"][0]["proposed"] == "empathic"
