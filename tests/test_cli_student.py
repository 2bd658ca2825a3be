"""The student's name: --student on play (remembered), the stored preference, asked once at a
terminal; it is in the record, every export and the class report."""

from __future__ import annotations

import io
import json

import pytest

from roleplay.cli import common as cli_common
from roleplay.cli import main
from roleplay.core.session import preferences, records
from roleplay.core.io.paths import sessions_dir
from tests.conftest import FIXTURES, FakeScorer


@pytest.fixture
def home(roleplay_home, monkeypatch):
    scorer = FakeScorer()
    monkeypatch.setattr(cli_common, "load_scorer", lambda rubric=None, scenario=None: (scorer, []))
    return roleplay_home


def _play(monkeypatch, *extra):
    monkeypatch.setattr("sys.stdin", io.StringIO("E: that sounds hard\nE: you carry a lot\n"))
    return main(["play", str(FIXTURES / "tiny.yaml"), "--script", "-", *extra])


def _saved():
    (path,) = sorted(sessions_dir().glob("*.json"))
    return records.load(path)


def test_play_student_is_recorded_and_remembered(home, monkeypatch, capsys):
    assert _play(monkeypatch, "--student", "Ana Lima") == 0
    assert "Remembered: your sessions are recorded as 'Ana Lima'" in capsys.readouterr().out
    assert _saved().student == "Ana Lima"
    assert preferences.load()[0].student == "Ana Lima"
    for p in sessions_dir().glob("*.json"):
        p.unlink()
    assert _play(monkeypatch) == 0  # the next session, without --student
    assert _saved().student == "Ana Lima"


def test_the_drill_preference_is_used_by_play(home, monkeypatch):
    preferences.save(preferences.Preferences(student="S1234567"))
    assert _play(monkeypatch) == 0
    assert _saved().student == "S1234567"


def test_asked_once_at_a_terminal_and_a_skip_is_remembered(home, monkeypatch, capsys):
    asked = []
    monkeypatch.setattr("roleplay.cli.safe_output.input", lambda prompt: asked.append(prompt) or "  Ben  Okafor ",
                        raising=False)
    assert cli_common.student_name(None, True, "play") == "Ben Okafor"
    assert len(asked) == 1 and "Enter to skip" in asked[0]
    assert cli_common.student_name(None, True, "play") == "Ben Okafor" and len(asked) == 1
    preferences.save(preferences.Preferences(student=""))  # skipped once: never asked again
    assert cli_common.student_name(None, True, "play") is None and len(asked) == 1


def test_not_asked_when_not_at_a_terminal(home):
    assert cli_common.student_name(None, False, "play") is None
    assert not preferences.preferences_path().exists()


def test_the_student_is_in_every_export(home, monkeypatch, capsys):
    from roleplay.core.reporting import export

    assert _play(monkeypatch, "--student", "Chloé Martin", "--json") == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["student"] == "Chloé Martin"  # --json keeps stdout to the record
    rec = _saved()
    assert "- Student: Chloé Martin" in export.to_markdown(rec)
    assert "Student: Chloé Martin" in export.to_process_recording(rec)
    assert json.loads(export.to_json(rec))["student"] == "Chloé Martin"
    assert export.to_csv(rec).splitlines()[1].endswith(",Chloé Martin")
