"""Live reload: the watcher notices changes by mtime and keeps the last good version (what the
session does with a new version: tests/core/session/test_rebase.py, test_practice_watch.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roleplay.core.authoring.watch import ScenarioWatcher
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
