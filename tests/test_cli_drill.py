"""`roleplay drill` in the plain terminal, driven by --script: lines, feedback, retry, records, choices."""

from __future__ import annotations

import json

import pytest

from roleplay.cli import main
from tests.conftest import FIXTURES

CORPUS = str(FIXTURES / "drill_corpus")


def drill(tmp_path, *lines: str, args=()) -> list[str]:
    script = tmp_path / "replies.txt"
    script.write_text("\n".join(lines) + "\n")
    return ["drill", "--corpus", CORPUS, "--script", str(script), *args]


def saved(home) -> list[dict]:
    folder = home / "drills"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def test_a_scripted_drill_with_a_retry_is_shown_and_saved(capsys, tmp_path, roleplay_home):
    argv = drill(tmp_path, "Don't worry, I'm sure it will all be fine.", "/retry",
                 "It sounds like you feel nobody hears you.", "You should have done more.", "/quit",
                 args=["--n", "3", "--seed", "5", "--student", "Ada"])
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Drill: 3 lines." in out and "[1/3]" in out and "[2/3]" in out and "[3/3]" not in out
    assert out.count("Client: ") == 2 and out.count("An empathic reply from the corpus: ") == 3
    assert "-> SYMPATHETIC (reassurance" in out and 'because of: "' in out and "> /retry" in out
    assert "retries: 1 (1 became empathic)" in out
    [record] = saved(roleplay_home)
    assert record["type"] == "drill" and record["student"] == "Ada" and record["seed"] == 5
    assert [(r["n"], r["attempt"], r["label"]) for r in record["replies"]] == [
        (1, 1, "sympathetic"), (1, 2, "empathic"), (2, 1, "judgmental")]
    assert record["replies"][0]["evidence"] and record["replies"][0]["kind"] == "reassurance"
    assert record["finished"] is False and len(record["items"]) == 3


def test_exclusions_are_remembered_until_included(capsys, tmp_path, roleplay_home):
    args = ["--n", "12", "--no-save"]
    assert main(drill(tmp_path, "/quit", args=args + ["--exclude", "self-harm", "child_protection"])) == 0
    out = capsys.readouterr().out
    assert "Remembered: self-harm is left out" in out and "Left out: child protection, self-harm." in out
    assert "Drill: 8 lines." in out
    assert main(drill(tmp_path, *["/next"] * 12, args=args)) == 0  # remembered: still left out
    out = capsys.readouterr().out
    assert out.count("Client: ") == 8
    for line in ("It's not a big deal", "Everyone would be fine without me", "So the school rang you",
                 "Every week it's a new face"):  # the self-harm and child-protection lines
        assert line not in out
    assert main(drill(tmp_path, "/quit", args=args + ["--include", "self_harm"])) == 0
    out = capsys.readouterr().out
    assert "Drill: 10 lines." in out and "Left out: child protection." in out
    assert json.loads((roleplay_home / "preferences.json").read_text())["excluded"] == ["child_protection"]
    assert saved(roleplay_home) == []  # --no-save


@pytest.mark.parametrize("args, message", [
    (["--focus", "reasurance"], "unknown focus 'reasurance' (did you mean \"reassurance\"?)"),
    (["--setting", "adiction"], "unknown setting 'adiction' (did you mean \"addiction\"?)"),
    (["--exclude", "self_harn"], "unknown content tag or setting 'self_harn' (did you mean \"self_harm\"?)"),
])
def test_unknown_names_get_a_did_you_mean(capsys, tmp_path, args, message):
    assert main(drill(tmp_path, "/quit", args=args)) == 2
    assert message in capsys.readouterr().err


def test_nothing_matching_says_why(capsys, tmp_path):
    assert main(drill(tmp_path, "/quit", args=["--setting", "work", "--focus", "pity"])) == 1
    err = capsys.readouterr().err
    assert "no drill lines match (setting work; focus pity)" in err


def test_focus_auto_aims_at_the_students_habit(capsys, tmp_path, roleplay_home):
    (roleplay_home / "drills").mkdir(parents=True)
    (roleplay_home / "drills" / "old.json").write_text(json.dumps({
        "type": "drill", "version": 1, "id": "old", "started_at": "2026-01-01T00:00:00+00:00",
        "replies": [{"situation": "x", "label": "judgmental", "kind": "interrogating",
                     "at": "2026-01-01T00:00:00+00:00"}] * 3}))
    assert main(drill(tmp_path, *["/next"] * 3, args=["--n", "3", "--focus", "auto", "--no-save"])) == 0
    out = capsys.readouterr().out
    assert "Aimed at your most frequent habit: interrogating in 100% of replies." in out
    assert "Client: So the school rang you." in out or "Client: Why does everyone" in out


def test_damaged_preferences_are_reported_and_the_drill_goes_on(capsys, tmp_path, roleplay_home):
    roleplay_home.mkdir(parents=True)
    (roleplay_home / "preferences.json").write_text("{broken")
    assert main(drill(tmp_path, "/quit", args=["--no-save"])) == 0
    captured = capsys.readouterr()
    assert "could not be read" in captured.err and "Drill: 10 lines." in captured.out


def test_list_names_settings_tags_and_habits(capsys):
    assert main(["drill", "--corpus", CORPUS, "--list"]) == 0
    out = capsys.readouterr().out
    assert "12 drill lines" in out and "grief_and_illness" in out and "self_harm" in out and "interrogating" in out


def test_report_shows_drills_in_their_own_section(capsys, tmp_path, roleplay_home):
    assert main(drill(tmp_path, "Don't worry, it'll be fine.", "/next", "You should have asked.", "/quit",
                      args=["--n", "3", "--seed", "2", "--student", "Ada"])) == 0
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(tmp_path / "replies.txt")]) == 0
    capsys.readouterr()
    out_json = tmp_path / "r.json"
    assert main(["report", str(roleplay_home), "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    sessions_part, _, drills_part = out.partition("\nDrills: ")
    assert sessions_part.startswith("1 session(s) from 1 student(s)")
    assert drills_part.startswith("1 drill(s) with 2 replies from 1 student(s)")
    assert "Ada" in drills_part and "The class's most common habits" in drills_part
    data = json.loads(out_json.read_text())
    assert data["sessions"] == 1 and data["drills"]["students"][0]["student"] == "Ada"
    # Drill records alone make a report of their own.
    assert main(["report", str(roleplay_home / "drills")]) == 0
    assert capsys.readouterr().out.startswith("Drills: 1 drill(s)")
