"""One name for an ending in every view (issue 12 item 9)."""

from __future__ import annotations

from pathlib import Path

from roleplay.core.reporting.endings import ending_name
from roleplay.core.scenario.loader import load_scenario

CHECKIN = Path(__file__).resolve().parents[2] / "tui" / "fixtures" / "good" / "checkin.yaml"


def test_an_ending_is_named_by_its_title_and_the_kind_of_ending():
    scenario, _ = load_scenario(CHECKIN)
    assert ending_name("hung_up", scenario) == "Hung up (a difficult ending)"
    assert ending_name("rebooked", scenario) == "Rebooked (a positive ending)"


def test_without_the_scenario_the_record_words_give_the_same_kind_of_name():
    assert ending_name("hung_up", None, outcome="negative") == "Hung up (a difficult ending)"
    assert ending_name(None, ended_early=True) == "ended early"
    assert ending_name(None) == "unfinished"
