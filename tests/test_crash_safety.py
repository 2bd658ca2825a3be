"""Kill a scripted session mid-way (SIGKILL, no chance to clean up) and resume it intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roleplay.core.session import records

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")

REPLIES = [
    "It sounds like having someone from the agency at your door feels like being accused already.",
    "You're worried that whatever you say could be used against you.",
    "What has it been like, managing the nights on your own?",
    "That sounds exhausting, carrying all of that by yourself.",
    "Help me understand what scares you most about this.",
    "It makes sense you'd be on guard, given what happened before.",
]


def _records(home: Path) -> list[dict]:
    folder = home / "sessions"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def test_sigkill_mid_session_loses_no_completed_turn(roleplay_home):
    env = {**os.environ, "ROLEPLAY_HOME": str(roleplay_home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "play", "mandated_parent", "--script", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True)
    try:
        for n, reply in enumerate(REPLIES[:3], start=1):
            proc.stdin.write(reply + "\n")
            proc.stdin.flush()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                saved = _records(roleplay_home)
                if saved and len(saved[0]["turns"]) >= n:
                    break
                time.sleep(0.02)
            else:
                pytest.fail(f"turn {n} was not saved: {proc.stderr.read() if proc.poll() is not None else ''}")
        # Half of the next reply is typed, then the machine dies.
        proc.stdin.write("It sounds like")
        proc.stdin.flush()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    before = _records(roleplay_home)
    assert len(before) == 1 and len(before[0]["turns"]) == 3
    assert not list((roleplay_home / "sessions").glob("*.tmp"))
    assert [r.id for r in records.unfinished(roleplay_home / "sessions")] == [before[0]["id"]]

    out = subprocess.run(
        [sys.executable, "-m", "roleplay.cli", "play", "mandated_parent", "--resume", "--script", "-", "--json"],
        input="\n".join(REPLIES[3:]) + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Resuming session" in out.stderr
    after = json.loads(out.stdout)
    assert after["id"] == before[0]["id"]
    assert after["turns"][:3] == before[0]["turns"]
    assert [t["reply"] for t in after["turns"]] == REPLIES[: len(after["turns"])]
    assert len(after["turns"]) > 3
