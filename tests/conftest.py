"""Shared test helpers: a small fake scorer, fixtures, an isolated data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.assessment import Assessment, Context, Evidence

FIXTURES = Path(__file__).parent / "fixtures"


class FakeScorer:
    """Labels by a keyword at the start of the reply: 'E: ...', 'S: ...', 'J: ...', else neutral."""

    PREFIX = {"E:": "empathic", "S:": "sympathetic", "J:": "judgmental", "N:": "neutral"}

    def __init__(self) -> None:
        self.seen: list[tuple[str, Context]] = []

    def assess(self, reply: str, context: Context) -> Assessment:
        self.seen.append((reply, context))
        label = self.PREFIX.get(reply[:2], "neutral")
        ev = (Evidence(0, 2, reply[:2], label, "test", "rule:prefix"),) if reply[:2] in self.PREFIX else ()
        return Assessment(label=label, confidence=0.9, scores={label: 1.0}, kinds=("test",),
                          evidence=ev, feedback=f"{label} feedback")


@pytest.fixture
def fake_scorer() -> FakeScorer:
    return FakeScorer()


@pytest.fixture(autouse=True)
def roleplay_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder: no test touches a real student's records."""
    home = tmp_path / "roleplay-home"
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    return home


@pytest.fixture
def tiny_path() -> Path:
    return FIXTURES / "tiny.yaml"


# -- the shipped model, retrained beside the suite ---------------------------------------------------
# Retraining the model from the corpus takes about half a minute. It runs in a subprocess from the
# start of the session (one thread, on the second core), so the reproducibility test only waits for
# what is left of it (tests/core/scoring/test_train.py).

_RETRAIN: dict = {}


def pytest_sessionstart(session):
    import os
    import subprocess
    import sys
    import tempfile

    if os.environ.get("ROLEPLAY_SKIP_RETRAIN"):
        return
    out = Path(tempfile.mkdtemp(prefix="roleplay-retrain-")) / "default.rpm"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    _RETRAIN["out"] = out
    _RETRAIN["proc"] = subprocess.Popen(
        [sys.executable, "-m", "roleplay.cli", "train", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)


def pytest_sessionfinish(session, exitstatus):
    proc = _RETRAIN.get("proc")
    if proc is not None and proc.poll() is None:
        proc.kill()


@pytest.fixture(scope="session")
def retrained_model() -> Path:
    """The model file `roleplay train` wrote from the built-in corpus during this session."""
    proc = _RETRAIN.get("proc")
    if proc is None:
        pytest.skip("ROLEPLAY_SKIP_RETRAIN is set")
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output
    return _RETRAIN["out"]
