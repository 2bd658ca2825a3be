"""Live reload: the watcher notices changes by mtime, keeps the last good version, and the session
keeps its place when its turn still exists."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roleplay.core.session.engine import Session
from roleplay.core.authoring.scenario_tests import label_assessment
from roleplay.core.authoring.watch import ScenarioWatcher, catch_up, fit_state, rebase
from tests.conftest import FIXTURES


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    p = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", p)
    return p


def save(path: Path, text: str) -> None:
    """Write and move the mtime on, as an editor would (some filesystems have coarse mtimes)."""
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_unchanged_file_is_not_reloaded(copy):
    w = ScenarioWatcher(copy)
    sc, diags = w.load()
    assert sc is not None and w.scenario is sc
    assert w.poll() == (False, None, [])
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 5_000_000_000))
    assert w.poll() == (False, None, [])  # touched, same bytes


def test_changed_file_is_reloaded(copy):
    w = ScenarioWatcher(copy)
    w.load()
    save(copy, copy.read_text().replace("It's not just work.", "It's not only work."))
    changed, sc, diags = w.poll()
    assert changed and sc is not None and diags == []
    assert sc.nodes["deeper"].lines[0].startswith("It's not only work.")
    assert w.scenario is sc
    assert w.poll() == (False, None, [])


def test_broken_save_keeps_the_last_good_version(copy):
    w = ScenarioWatcher(copy)
    good, _ = w.load()
    save(copy, copy.read_text().replace("goto: maybe_later", "goto: maybe_latr"))
    changed, sc, diags = w.poll()
    assert changed and sc is None
    assert [d.code for d in diags] == ["E202"] and diags[0].line > 1
    assert w.scenario is good
    save(copy, copy.read_text().replace("goto: maybe_latr", "goto: maybe_later"))
    changed, sc, diags = w.poll()
    assert changed and sc is not None and w.scenario is sc


def test_deleted_file_is_an_error_not_a_crash(copy):
    w = ScenarioWatcher(copy)
    good, _ = w.load()
    copy.unlink()
    changed, sc, diags = w.poll()
    assert changed and sc is None and diags[0].code == "E011"
    assert w.scenario is good


def test_rebase_keeps_the_place(copy):
    w = ScenarioWatcher(copy)
    sc, _ = w.load()
    s = Session(sc, scorer=None)
    s.respond_with(label_assessment("empathic"))
    assert s.node.id == "deeper"
    save(copy, copy.read_text().replace("It's not just work.", "Honestly, it's not just work."))
    _, new, _ = w.poll()
    msg = rebase(s, new)
    assert "still at 'deeper'" in msg
    assert s.scenario is new and s.current.text.startswith("Honestly")
    assert len(s.turns) == 1
    s.respond_with(label_assessment("empathic"))
    assert s.ending_id == "rebooked"


def test_rebase_refuses_when_the_current_turn_is_gone(copy):
    w = ScenarioWatcher(copy)
    sc, _ = w.load()
    s = Session(sc, scorer=None)
    s.respond_with(label_assessment("neutral"))
    text = copy.read_text().replace("deeper", "later_on")
    save(copy, text)
    _, new, _ = w.poll()
    assert new is not None
    msg = rebase(s, new)
    assert "not in the new version" in msg and s.scenario is sc
    assert s.node.id == "deeper"  # the conversation can go on with the old version


def test_rebase_fits_the_state_to_new_variables(copy):
    w = ScenarioWatcher(copy)
    sc, _ = w.load()
    s = Session(sc, scorer=None)
    s.respond_with(label_assessment("empathic"))
    text = copy.read_text().replace(
        "  opened_up:\n    type: bool\n    start: false\n",
        "  asked_for_help:\n    type: bool\n    start: false\n").replace(
        "opened_up: true", "asked_for_help: true").replace("max: 100\n    start: 40", "max: 45\n    start: 40")
    save(copy, text)
    _, new, diags = w.poll()
    assert new is not None, diags
    msg = rebase(s, new)
    assert "state adjusted" in msg
    assert s.state == {"trust": 45, "asked_for_help": False}
    s.respond_with(label_assessment("empathic"))  # the condition `trust >= 45` can be evaluated
    assert s.ending_id == "rebooked"


def test_fit_state_after_undo(copy):
    sc, _ = ScenarioWatcher(copy).load()
    s = Session(sc, scorer=None)
    assert fit_state(s) == ""  # no turns: the start state is the scenario's
    s.respond_with(label_assessment("empathic"))
    assert fit_state(s) == ""


def test_left_behind_by_a_rename_the_session_catches_up_at_a_turn_in_both(copy):
    """The author renames the turn the student is at: the session stays on the old version, and
    moves onto the newest one as soon as the student reaches a turn that exists in it."""
    w = ScenarioWatcher(copy)
    sc, _ = w.load()
    s = Session(sc, scorer=None)
    assert catch_up(w, s) is None  # on the newest version: nothing to do
    save(copy, copy.read_text().replace("start: hello", "start: greeting").replace("- id: hello", "- id: greeting")
         .replace("Work ran late again.", "Work ran late, again."))
    _, new, _ = w.poll()
    assert new is not None and "not in the new version" in rebase(s, new) and s.scenario is sc
    assert catch_up(w, s) is None  # still at 'hello', which the new version does not have
    s.respond_with(label_assessment("empathic"))
    assert s.node.id == "deeper"
    note = catch_up(w, s)
    assert note is not None and "still at 'deeper'" in note
    assert s.scenario is new and len(s.turns) == 1
