"""A session moved onto a new version of its scenario keeps its turns and its place, refuses when
its place is gone, and fits its state to changed variables."""

from __future__ import annotations

from pathlib import Path

from roleplay.core.authoring.scenario_tests import label_assessment
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session.engine import Session
from roleplay.core.session.rebase import fit_state, fits, place, rebase
from tests.conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text()


def version(tmp_path: Path, text: str, name: str = "tiny.yaml"):
    path = tmp_path / name
    path.write_text(text)
    scenario, diags = load_scenario(path)
    assert scenario is not None, diags
    return scenario


def at_deeper(tmp_path: Path) -> Session:
    s = Session(version(tmp_path, TINY, "old.yaml"), scorer=None)
    s.respond_with(label_assessment("empathic"))
    assert s.node.id == "deeper"
    return s


def test_rebase_keeps_the_place(tmp_path):
    s = at_deeper(tmp_path)
    new = version(tmp_path, TINY.replace("It's not just work.", "Honestly, it's not just work."))
    assert "still at 'deeper'" in rebase(s, new)
    assert s.scenario is new and s.current.text.startswith("Honestly")
    assert len(s.turns) == 1
    s.respond_with(label_assessment("empathic"))
    assert s.ending_id == "rebooked"


def test_rebase_refuses_when_the_current_turn_is_gone(tmp_path):
    s = at_deeper(tmp_path)
    old = s.scenario
    new = version(tmp_path, TINY.replace("deeper", "later_on"))
    assert place(s) == "deeper" and not fits(s, new)
    assert "'deeper' is not in the new version" in rebase(s, new) and s.scenario is old
    assert s.node.id == "deeper"  # the conversation can go on with the old version


def test_a_finished_session_keeps_its_ending_only_if_the_new_version_has_it(tmp_path):
    s = at_deeper(tmp_path)
    s.respond_with(label_assessment("empathic"))
    assert place(s) == "rebooked"
    gone = version(tmp_path, TINY.replace("rebooked", "booked_again"))
    assert "the ending 'rebooked' is not in the new version" in rebase(s, gone) and s.scenario is not gone
    kept = version(tmp_path, TINY.replace("title: A short check-in", "title: Another check-in"), "b.yaml")
    assert rebase(s, kept) == "reloaded the scenario (this conversation has already ended)" and s.scenario is kept


def test_rebase_fits_the_state_to_new_variables(tmp_path):
    s = at_deeper(tmp_path)
    text = TINY.replace(
        "  opened_up:\n    type: bool\n    start: false\n",
        "  asked_for_help:\n    type: bool\n    start: false\n").replace(
        "opened_up: true", "asked_for_help: true").replace("max: 100\n    start: 40", "max: 45\n    start: 40")
    assert "state adjusted" in rebase(s, version(tmp_path, text))
    assert s.state == {"trust": 45, "asked_for_help": False}
    s.respond_with(label_assessment("empathic"))  # the condition `trust >= 45` can be evaluated
    assert s.ending_id == "rebooked"


def test_fit_state_leaves_a_fitting_state_alone(tmp_path):
    s = Session(version(tmp_path, TINY), scorer=None)
    assert fit_state(s) == ""  # no turns: the start state is the scenario's
    s.respond_with(label_assessment("empathic"))
    assert fit_state(s) == ""
