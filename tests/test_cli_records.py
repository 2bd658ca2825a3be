"""Records on the command line under damage, concurrency and limits: `play --resume` and `report`
name a damaged record and skip it; a second resume of a live session is refused and loses
nothing; a folder that cannot be written, a file-size limit or a full disk give one message and
the session goes on; invalid input is repaired and the record says so. Each case is bounded in
time (a subprocess timeout, or a measured in-process run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roleplay.cli import main
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from tests.conftest import FIXTURES, FakeScorer
from tests.core.session.test_record_types import SEVEN, _write

TINY = str(FIXTURES / "tiny.yaml")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "PYTHONUNBUFFERED": "1"}


def unfinished(sid: str = "20260101-000000-tiny-beef") -> Path:
    """A saved tiny session after one reply, waiting to be resumed."""
    scenario, _ = load_scenario(FIXTURES / "tiny.yaml")
    s = Session(scenario, FakeScorer(), id=sid, clock=lambda: "2026-01-01T00:00:00")
    s.respond("E: that sounds like a lot")
    return records.save(s.to_record())


def run(args: list[str], home: Path, stdin: str | bytes = "", timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roleplay.cli", *args], input=stdin, capture_output=True,
                          env={**ENV, "ROLEPLAY_HOME": str(home)}, timeout=timeout,
                          text=isinstance(stdin, str), **kw)


@pytest.mark.parametrize("kind", sorted(SEVEN) + ["unknown_node"])
def test_play_resume_names_a_damaged_record_and_skips_it(kind, capsys, roleplay_home, tmp_path):
    unfinished()
    good = records.load(records.record_path("20260101-000000-tiny-beef"))
    sessions = roleplay_home / "sessions"
    if kind == "unknown_node":  # valid JSON and types, but a place the scenario does not have
        rec = json.loads(json.dumps(good.to_dict()))
        rec["turns"][0]["next"] = "nowhere"
        path = sessions / "20260102-000000-tiny-dead.json"
        path.write_text(json.dumps({**rec, "id": path.stem, "updated_at": "2026-01-02T00:00:00"}))
        expected = f"Skipped {path.name}: its place in the conversation is not in the scenario 'tiny'"
    else:
        text, message = SEVEN[kind]
        path = _write(sessions, f"20260102-000000-tiny-{kind}", text)
        expected = f"Skipped a damaged record: {path.name}: {message}"
    script = tmp_path / "s.txt"
    script.write_text("E: and it goes on\n")
    t = time.perf_counter()
    assert main(["play", TINY, "--resume", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert expected in out, out
    assert time.perf_counter() - t < 20
    # The good record is the one resumed, and its turn was kept.
    assert f"Resuming session {good.id} after turn 1." in out
    after = records.load(records.record_path(good.id))
    assert after.turns[0] == good.turns[0] and len(after.turns) == 2


@pytest.mark.parametrize("kind", sorted(SEVEN))
def test_report_names_a_damaged_record_and_skips_it(kind, capsys, tmp_path):
    text, message = SEVEN[kind]
    path = _write(tmp_path / "class" / "alice", kind, text)
    assert main(["report", str(tmp_path / "class")]) == 1
    err = capsys.readouterr().err
    assert f"roleplay report: {path}: skipped ({message}" in err
    assert "no readable session records found" in err


def test_two_concurrent_resumes_lose_nothing(roleplay_home):
    """The second `play --resume` of a live session is refused at once: it shows no feedback it
    could not keep, and every turn the first one showed is in the record."""
    path = unfinished()
    env = {**ENV, "ROLEPLAY_HOME": str(roleplay_home)}
    first = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "play", TINY, "--resume", "--script", "-"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = ""
        while "Resuming session" not in line:
            line = first.stdout.readline()
            assert line, first.stderr.read()
        second = run(["play", TINY, "--resume", "--script", "-"], roleplay_home, "E: the second window\n", timeout=60)
        assert second.returncode == 1
        assert "is open in another roleplay window; finish or quit it there first" in second.stdout
        assert "->" not in second.stdout  # no feedback was shown for a turn that would be lost
        out, err = first.communicate("It sounds like you have been carrying a lot.\n", timeout=60)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
    rec = records.load(path)
    assert [t.reply for t in rec.turns] == ["E: that sounds like a lot", "It sounds like you have been carrying a lot."]
    # Once the first has finished, nothing holds the session any more.
    third = run(["play", TINY, "--resume", "--script", "-"], roleplay_home, "/quit\n")
    assert third.returncode == 0 and "open in another roleplay window" not in third.stdout


def test_racing_resumes_one_wins_and_the_record_has_all_its_turns(roleplay_home):
    path = unfinished()
    env = {**ENV, "ROLEPLAY_HOME": str(roleplay_home)}
    procs = [subprocess.Popen([sys.executable, "-m", "roleplay.cli", "play", TINY, "--resume", "--script", "-"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    replies = [f"Can we book another time, {n}?" for n in range(2)]
    results = [p.communicate(reply + "\n", timeout=90) for reply, p in zip(replies, procs)]
    kept = [t.reply for p in (roleplay_home / "sessions").glob("*.json") for t in records.load(p).turns]
    shown = [reply for reply, (out, _) in zip(replies, results) if "\n  -> " in out]
    refused = [out for out, _ in results if "open in another roleplay window" in out]
    assert shown and len(shown) + len(refused) == 2  # each either went on or was refused
    assert sorted(p.returncode for p in procs) == [0] * len(shown) + [1] * len(refused)
    for reply in shown:  # every turn whose feedback was shown is kept, once
        assert kept.count(reply) == 1, (reply, kept)
    assert records.load(path).turns[0].reply == "E: that sounds like a lot"


def test_a_record_that_is_full_refuses_the_turn_and_says_so(capsys, roleplay_home, tmp_path, monkeypatch):
    path = unfinished()
    before = path.read_bytes()
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", len(before) + 300)
    script = tmp_path / "s.txt"
    script.write_text("It sounds like " + "a lot " * 100 + "\n/quit\n")
    assert main(["play", TINY, "--resume", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "Not added: with this reply the session's record would grow past what can be read back" in out
    assert path.read_bytes() == before


def test_a_reply_over_the_limit_is_refused_and_the_session_goes_on(capsys, roleplay_home, tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("x" * 20_001 + "\nCan we book another time?\n")
    assert main(["play", TINY, "--script", str(script), "--json"]) == 0
    out = capsys.readouterr()
    assert "That reply is 20,001 characters long" in out.err
    assert [t["reply"] for t in json.loads(out.out)["turns"]] == ["Can we book another time?"]


def test_invalid_utf8_on_stdin_is_replaced_and_the_record_says_so(roleplay_home):
    proc = run(["play", TINY, "--script", "-", "--json"], roleplay_home, b"Can we talk caf\xe9 \xff?\n")
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    turn = json.loads(proc.stdout)["turns"][0]
    assert turn["reply"] == "Can we talk caf\ufffd \ufffd?"
    assert turn["notes"] == ["2 characters that were not valid text (invalid UTF-8) replaced with U+FFFD"]
    saved = records.load(next((roleplay_home / "sessions").glob("*.json")))
    assert saved.turns[0].notes == tuple(turn["notes"])


def _unsaved_run(home: Path, **kw) -> subprocess.CompletedProcess:
    proc = run(["play", TINY, "--script", "-"], home, "Can we book another time?\nE: that sounds hard\n", **kw)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_roleplay_home_pointing_at_a_file_is_one_message(tmp_path):
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    out = _unsaved_run(home).stdout
    assert out.count("Could not save this session: ") == 1
    assert f"{home} is a file, not a folder (check ROLEPLAY_HOME). The session goes on, but it is not being saved." in out
    assert "the session could not be saved (see above)" in out or "Ending:" in out
    assert out.count("\n  -> ") == 2  # both replies were scored and shown


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write a read-only folder")
def test_a_read_only_data_folder_is_one_message(tmp_path):
    home = tmp_path / "home"
    (home / "sessions").mkdir(parents=True)
    os.chmod(home / "sessions", 0o500)
    try:
        out = _unsaved_run(home).stdout
    finally:
        os.chmod(home / "sessions", 0o700)
    assert out.count("Could not save this session: the data folder") == 1 and "is not writable" in out


@pytest.mark.skipif(os.name != "posix", reason="uses RLIMIT_FSIZE")
def test_a_file_size_limit_is_one_message(tmp_path):
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, 1_000))

    out = _unsaved_run(tmp_path / "home", preexec_fn=limit).stdout
    assert out.count("Could not save this session: the file-size limit was reached.") == 1


def test_a_full_disk_is_one_message(capsys, roleplay_home, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(records.os, "fsync", full)
    script = tmp_path / "s.txt"
    script.write_text("Can we book another time?\n/quit\n")
    assert main(["play", TINY, "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert out.count("Could not save this session: the disk is full. The session goes on, but it is not "
                     "being saved.") == 1
    assert "the session could not be saved (see above)" in out
    assert not list((roleplay_home / "sessions").glob(".*.tmp"))


def test_stray_temporary_files_from_a_kill_are_cleaned_up_when_old(roleplay_home, tmp_path, capsys):
    sessions = roleplay_home / "sessions"
    sessions.mkdir(parents=True)
    old, fresh = sessions / ".x.json.abc123.tmp", sessions / ".y.json.def456.tmp"
    old.write_text("{half a rec")
    fresh.write_text("{being writ")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    script = tmp_path / "s.txt"
    script.write_text("/quit\n")
    assert main(["play", TINY, "--script", str(script)]) == 0
    assert not old.exists() and fresh.exists()  # a save in progress elsewhere is left alone


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_resuming_the_largest_record_stays_under_300_mb(roleplay_home):
    """A record at the size limit whose replies each hold an emoji (so every character takes 4
    bytes in memory): read a line at a time and written back a turn at a time, the whole resume
    stays well under 300 MB (it took 1.2 GB for a 48 MB record)."""
    from dataclasses import replace

    from roleplay.core.assessment import Assessment

    scenario, _ = load_scenario(FIXTURES / "tiny.yaml")
    s = Session(scenario, FakeScorer(), id="20260101-000000-tiny-full", clock=lambda: "2026-01-01T00:00:00")
    first = replace(s.respond_with(Assessment("empathic", 0.9, {"empathic": 0.9}), "x"), next_id="hello", ending=None)
    reply = "It sounds like a lot \U0001F642 {} " + "x" * 19_960
    turns = [replace(first, index=i + 1, reply=reply.format(i)) for i in range(2_400)]
    path = records.save(replace(s.to_record(), turns=tuple(turns), finished=False, ending=None, outcome=None))
    assert path.stat().st_size > 49_000_000
    probe = ("import sys\nfrom roleplay.cli import main\ncode = main(sys.argv[1:])\n"
             "print([l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1], file=sys.stderr)\n"
             "sys.exit(code)\n")
    proc = subprocess.run([sys.executable, "-c", probe, "play", TINY, "--resume", "--script", "-"],
                          input="It sounds like that was hard.\n", capture_output=True, text=True, timeout=120,
                          env={**ENV, "ROLEPLAY_HOME": str(roleplay_home)})
    assert proc.returncode == 0, proc.stderr
    assert "Resuming session 20260101-000000-tiny-full after turn 2400." in proc.stdout
    peak_mb = int(proc.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 300, peak_mb
    assert "Not added: with this reply" in proc.stdout or len(records.load(path).turns) == 2_401
