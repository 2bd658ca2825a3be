"""Practice follows the scenario file an author is editing: a saved edit is played from the
student's place on (and saved), a broken save leaves the last good version playing, a deleted
turn leaves the session on its version until a rewind brings its place back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roleplay.core.authoring.watch import ScenarioWatcher
from roleplay.core.session.engine import Session
from roleplay.core.session.practice import BEHIND, BROKEN, CAUGHT_UP, RELOADED, Practice
from tests.conftest import FIXTURES, FakeScorer

OLD_LINE = "It's not just work."


def save(path: Path, text: str) -> None:
    """Write and move the mtime on, as an editor would (some filesystems have coarse mtimes)."""
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", path)
    return path


def following(file: Path, saved: list) -> Practice:
    """A practice on `file` after one reply (at 'deeper'), following the file."""
    watcher = ScenarioWatcher(file)
    scenario, _ = watcher.load()
    p = Practice(Session(scenario, FakeScorer(), id="w", clock=lambda: "t"), saver=saved.append)
    p.follow(watcher)
    p.submit("E: that sounds like a lot")
    assert p.session.node.id == "deeper" and p.poll_scenario() is None  # nothing changed yet
    return p


def test_a_saved_edit_is_played_from_the_students_place_and_saved(file):
    saved: list = []
    p = following(file, saved)
    save(file, file.read_text().replace(OLD_LINE, "Honestly? It's not only work."))
    news = p.poll_scenario()
    assert news.kind == RELOADED and "you are still at 'deeper'" in news.note
    assert p.session.current.text.startswith("Honestly? It's not only work.")
    assert len(p.session.turns) == 1 and saved[-1].turns == tuple(p.session.turns)
    assert p.poll_scenario() is None  # told once


def test_a_broken_save_keeps_the_last_good_version(file):
    saved: list = []
    p = following(file, saved)
    good = p.session.scenario
    save(file, file.read_text().replace("goto: maybe_later", "goto: maybe_latr"))
    news = p.poll_scenario()
    assert news.kind == BROKEN and [d.code for d in news.diagnostics] == ["E202"]
    assert p.session.scenario is good
    p.submit("N: which hospital?")  # the conversation goes on in the last good version
    assert p.session.ending_id == "maybe_later"


def test_a_deleted_turn_says_so_and_a_rewind_catches_up(file):
    saved: list = []
    p = following(file, saved)
    old = p.session.scenario
    text = file.read_text()
    start, end = text.index("  - id: deeper"), text.index("endings:")
    save(file, (text[:start] + text[end:text.index("tests:")]).replace("goto: deeper", "goto: maybe_later"))
    news = p.poll_scenario()
    assert news.kind == BEHIND and news.place == "deeper" and "not in the new version" in news.note
    assert p.session.scenario is old and p.session.node.id == "deeper"  # it goes on
    assert p.poll_scenario() is None  # the place is still gone: nothing new
    p.rewind()  # back at 'hello', which the new version has
    news = p.poll_scenario()
    assert news.kind == CAUGHT_UP and "still at 'hello'" in news.note
    assert "deeper" not in p.session.scenario.nodes
    p.submit("E: that sounds like a lot")
    assert p.session.ending_id == "maybe_later"


def test_a_rewind_fits_the_state_to_a_version_loaded_since(file):
    saved: list = []
    p = following(file, saved)
    p.submit("N: which hospital?")
    save(file, file.read_text().replace("max: 100\n    start: 40", "max: 45\n    start: 40"))
    assert p.poll_scenario().kind == RELOADED
    p.rewind()  # back to a turn played under the old range
    assert p.session.state["trust"] == 45 and saved[-1].state["trust"] == 45  # not 50, past the new max
