"""One writer per session record: a second holder is refused, and a crash never leaves it locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from roleplay.core.session.record_lock import SessionBusy, SessionLock, lock_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses fork-free subprocesses and SIGKILL")

HOLD = """
import sys, time
from pathlib import Path
from roleplay.core.session.record_lock import SessionLock
lock = SessionLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_holder_in_this_process_is_refused_until_the_first_lets_go(tmp_path):
    record = tmp_path / "s.json"
    first = SessionLock(record).acquire()
    with pytest.raises(SessionBusy, match="^Session s is open in another roleplay window"):
        SessionLock(record).acquire()
    first.release()
    with SessionLock(record) as again:
        assert again.held and lock_path(record).is_file()
    assert not again.held


def test_a_lock_held_by_a_killed_process_is_free_at_once(tmp_path):
    record = tmp_path / "s.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(record)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(SessionBusy):
            SessionLock(record).acquire()
        os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up: the operating system lets go
        proc.wait(timeout=10)
        assert SessionLock(record).acquire().held
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_a_folder_that_cannot_hold_a_lock_is_an_os_error_not_busy(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        SessionLock(blocker / "sessions" / "s.json").acquire()
