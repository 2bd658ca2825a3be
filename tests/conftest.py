"""Shared test helpers: a small fake scorer, fixtures, an isolated data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.assessment import Assessment, Context, Evidence

FIXTURES = Path(__file__).parent / "fixtures"


def _quicker_idle_checks() -> None:
    """Pilot waits for the app to go idle after every key and pause by sleeping in 20 ms slices until
    one passes without work: at least 40 ms of nothing per key, most of an app test's time. A 5 ms
    slice keeps the same rule (under 5% busy means idle) and waits a quarter as long."""
    import textual._wait as wait
    import textual.screen as screen

    wait.SLEEP_GRANULARITY = 1 / 200
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20.0
    screen.UPDATE_PERIOD = 1 / 250


_quicker_idle_checks()


def _css_parsed_once_per_process() -> None:
    """Textual parses every widget's CSS again for each app (its cache lives in the app's stylesheet);
    a test process starts hundreds of apps from the same CSS, so it keeps the parsed rules for all of
    them, keyed by the text and the theme's variables as well."""
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    parsed: dict = {}

    def parse_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        if key not in parsed:
            parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_once


_css_parsed_once_per_process()


def _reproducible_hypothesis() -> None:
    """Property tests draw the same examples on every run and machine, and keep no example database:
    a failure seen once is seen again, and no run depends on what an earlier one saved."""
    from hypothesis import settings

    settings.register_profile("roleplay", derandomize=True, database=None)
    settings.load_profile("roleplay")


_reproducible_hypothesis()


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
# start of the session (one thread, beside the tests), so the reproducibility test only waits for
# what is left of it (tests/core/scoring/test_train.py). Under pytest-xdist (-n 2) it is started
# once, by the controller, and the workers read where it goes from the environment they inherit.

_RETRAIN: dict = {}
_OUT, _PID, _LOG = "ROLEPLAY_RETRAIN_OUT", "ROLEPLAY_RETRAIN_PID", "ROLEPLAY_RETRAIN_LOG"


def pytest_sessionstart(session):
    import os
    import subprocess
    import sys
    import tempfile

    if os.environ.get("ROLEPLAY_SKIP_RETRAIN"):
        return
    if hasattr(session.config, "workerinput") and os.environ.get(_OUT):
        return  # an xdist worker: the controller's retrain is shared
    folder = Path(tempfile.mkdtemp(prefix="roleplay-retrain-"))
    out, log = folder / "default.rpm", folder / "train.log"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    _RETRAIN["out"] = out
    with log.open("w") as fh:
        _RETRAIN["proc"] = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "train", "--out", str(out)],
                                            stdout=fh, stderr=subprocess.STDOUT, env=env, text=True)
    os.environ.update({_OUT: str(out), _PID: str(_RETRAIN["proc"].pid), _LOG: str(log)})


def pytest_sessionfinish(session, exitstatus):
    proc = _RETRAIN.get("proc")
    if proc is not None and proc.poll() is None:
        proc.kill()


def _running(pid: int) -> bool:
    """Whether the retrain still runs: a process that ended but is not yet reaped (a zombie,
    since the controller is busy) counts as ended."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for_shared(out: Path, pid: int, log: Path, timeout: float = 600) -> None:
    """Wait for the controller's retrain: the model file appears at the very end (written
    atomically), or the process ends without it and the log says why."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end and not out.is_file() and _running(pid):
        time.sleep(0.2)
    if not out.is_file():
        raise AssertionError("retraining wrote no model:\n" + (log.read_text() if log.is_file() else "(no log)"))


@pytest.fixture(scope="session")
def retrained_model() -> Path:
    """The model file `roleplay train` wrote from the built-in corpus during this session."""
    import os

    proc = _RETRAIN.get("proc")
    if proc is not None:
        proc.wait(timeout=600)
        log = Path(os.environ.get(_LOG, ""))
        assert proc.returncode == 0, log.read_text() if log.is_file() else ""
        return _RETRAIN["out"]
    if os.environ.get(_OUT) and not os.environ.get("ROLEPLAY_SKIP_RETRAIN"):
        out = Path(os.environ[_OUT])
        _wait_for_shared(out, int(os.environ[_PID]), Path(os.environ[_LOG]))
        return out
    pytest.skip("ROLEPLAY_SKIP_RETRAIN is set")
