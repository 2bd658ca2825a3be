"""A rubric's regexes can't hang scoring: cue matching has a per-reply time budget, and when it
runs out the remaining cues are skipped and the assessment says so."""

from __future__ import annotations

import faulthandler
import threading
import time

import pytest

from roleplay.core.assessment import Assessment
from roleplay.core.scoring.budget import REPLY_BUDGET
from roleplay.core.scoring.rubric import default_rubric_path

# Not a nested quantifier (E207 lets it load), yet exponential on a long word with no "!" after it.
SLOW_CUE = "          - {id: slow-one, regex: '(?:\\w|\\w)+!'}\n"
SLOW_REPLY = "you seem abcdefghijklmnopqrstuvwxyzabcdefgh !"


def _slow_rubric(folder):
    """The default rubric with SLOW_CUE added, written into `folder`."""
    text = default_rubric_path().read_text(encoding="utf-8")
    anchor = "          - {id: sounds-like,\n"
    assert anchor in text
    path = folder / "slow.yaml"
    path.write_text(text.replace(anchor, SLOW_CUE + anchor, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def slow_scorer(tmp_path_factory):
    from roleplay.core.scoring import scorer_for

    path = _slow_rubric(tmp_path_factory.mktemp("rubric"))
    scorer, diags = scorer_for(rubric=str(path))
    assert scorer is not None, [str(d) for d in diags]
    return scorer


@pytest.fixture(autouse=True)
def no_hang():
    faulthandler.dump_traceback_later(20, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def test_a_runaway_pattern_is_stopped_and_the_assessment_says_so(slow_scorer):
    t = time.monotonic()
    a = slow_scorer.assess(SLOW_REPLY)
    assert time.monotonic() - t < REPLY_BUDGET + 1
    assert a.label in ("empathic", "sympathetic", "judgmental", "neutral")
    assert len(a.notes) == 1 and "cut short" in a.notes[0] and "skipped" in a.notes[0]
    assert Assessment.from_dict(a.to_dict()).notes == a.notes, "kept in the record"


def test_an_ordinary_reply_is_scored_whole_with_no_note(slow_scorer):
    a = slow_scorer.assess("It sounds like you have been carrying this on your own.")
    assert a.notes == () and "notes" not in a.to_dict()


def test_off_the_main_thread_the_budget_is_checked_between_patterns(slow_scorer):
    from roleplay.core.scoring.text import sentences

    fz = slow_scorer.fz
    norm = fz.normaliser.normalise("It sounds like you have been carrying this on your own, and at least it's over.")
    sents = sentences(norm, fz.lex)
    whole = fz.matcher.match(norm, sents)
    out = {}
    worker = threading.Thread(target=lambda: out.update(m=fz.matcher.match(norm, sents, budget=0.0)))
    worker.start()
    worker.join(5)
    assert not worker.is_alive()
    assert whole.skipped == 0 and out["m"].skipped > 0 and out["m"].tried == whole.tried
    assert set(out["m"]) <= set(whole), "what was found before the budget ran out is kept"


def test_batch_workers_stop_a_runaway_pattern_with_one_repeating_timer(tmp_path):
    """`score --jsonl` workers arm one repeating timer (budget.tick) instead of one per reply: the
    runaway reply is still cut short and says so, its neighbours are scored whole, and the
    process ends cleanly (no last tick killing it on the way out)."""
    import json
    import os
    import subprocess
    import sys

    rubric = _slow_rubric(tmp_path)
    batch = tmp_path / "batch.jsonl"
    ordinary = "It sounds like you have been carrying this on your own."
    batch.write_text("".join(json.dumps({"id": i, "reply": r}) + "\n"
                             for i, r in enumerate([ordinary, SLOW_REPLY, ordinary])), encoding="utf-8")
    env = {**os.environ, "ROLEPLAY_HOME": str(tmp_path / "home")}
    t = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "roleplay.cli", "score", "--rubric", str(rubric),
                           "--jsonl", str(batch), "--jobs", "2"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - t < 30
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == [0, 1, 2]
    assert "cut short" in rows[1]["notes"][0]
    assert "notes" not in rows[0] and "notes" not in rows[2]
