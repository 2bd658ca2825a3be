"""Live authoring: notice when a scenario file changes, reload it, and keep the student's place.

Polling, not OS notifications: no extra dependency, works on every filesystem, and a trainer only
needs to look between turns. The terminal player looks before showing each client line and after
each reply; the app's session screen looks from a timer. Both hand the watcher to the practice
controller, which moves the session onto a new version (core/session/practice.py, rebase.py):

    watcher = ScenarioWatcher(path)
    watcher.adopt(session.scenario)
    practice.follow(watcher)
    ...
    news = practice.poll_scenario()   # None, or what happened: reloaded, broken, left behind
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from roleplay.core.io.diagnostics import Diagnostic
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.scenario.model import Scenario


@dataclass(frozen=True)
class _Stamp:
    mtime_ns: int
    size: int


def _stamp(path: Path) -> _Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _Stamp(st.st_mtime_ns, st.st_size)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class ScenarioWatcher:
    """Reloads a scenario file when its modification time or size changes.

    `scenario` is always the last version that loaded without errors: a broken save never
    replaces it, so a session can carry on while the author fixes the file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.scenario: Scenario | None = None
        self.diagnostics: list[Diagnostic] = []
        self._stamp: _Stamp | None = None
        self._digest: str | None = None

    def load(self) -> tuple[Scenario | None, list[Diagnostic]]:
        """Load the file now (the first time, or to force a reload)."""
        self._stamp = _stamp(self.path)
        self._digest = _digest(self.path)
        scenario, diags = load_scenario(self.path)
        self.diagnostics = diags
        if scenario is not None:
            self.scenario = scenario
        return scenario, diags

    def adopt(self, scenario: Scenario) -> None:
        """Watch from now on, with `scenario` (already loaded from this file) as the current version."""
        self._stamp = _stamp(self.path)
        self._digest = _digest(self.path)
        self.scenario = scenario

    def poll(self) -> tuple[bool, Scenario | None, list[Diagnostic]]:
        """(changed, scenario, diagnostics).

        Unchanged: (False, None, []). Changed and valid: (True, the new scenario, its warnings).
        Changed but broken or missing: (True, None, the errors), and `self.scenario` is kept.
        A file saved again with the same bytes does not count as a change.
        """
        stamp = _stamp(self.path)
        if stamp == self._stamp:
            return False, None, []
        self._stamp = stamp
        digest = _digest(self.path)
        if digest is not None and digest == self._digest:
            return False, None, []
        self._digest = digest
        scenario, diags = load_scenario(self.path)
        self.diagnostics = diags
        if scenario is not None:
            self.scenario = scenario
        return True, scenario, diags

