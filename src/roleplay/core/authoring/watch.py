"""Live authoring: notice when a scenario file changes, reload it, and keep the student's place.

Polling, not OS notifications: no extra dependency, works on every filesystem, and a trainer only
needs to look between turns. The terminal player polls before showing each client line and after
each reply; the Textual app can call `poll()` from a timer.

    watcher = ScenarioWatcher(path)
    scenario, diags = watcher.load()
    ...
    changed, new, diags = watcher.poll()
    if changed and new is not None:
        note = rebase(session, new)   # keeps the place if that turn still exists
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
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


def rebase(session, scenario: Scenario) -> str:
    """Move a session onto a new version of its scenario, keeping the turns already played.

    Returns a message for the student/author. When the current client turn no longer exists in the
    new version, the session stays on the old one (so the conversation can go on) and the message
    says so; the next valid save is tried again.
    """
    if session.finished:
        session.scenario = scenario
        return "reloaded the scenario (this conversation has already ended)"
    here = session.node.id if session.node is not None else None
    if here is not None and here not in scenario.nodes:
        return (f"reloaded, but the current turn {here!r} is not in the new version; "
                "carrying on with the previous version (restart to play the new one)")
    session.scenario = scenario
    note = fit_state(session)
    where = f"; you are still at {here!r}" if here else ""
    return f"reloaded the scenario{where}" + (f" ({note})" if note else "")


def catch_up(watcher: ScenarioWatcher, session) -> str | None:
    """A session left on an older version (its turn was not in the newest) moves onto the newest
    good version as soon as its current turn exists there; the message, or None when nothing moved."""
    latest = watcher.scenario
    if latest is None or session.scenario is latest:
        return None
    if not session.finished and (session.node is None or session.node.id not in latest.nodes):
        return None
    return rebase(session, latest)


def fit_state(session) -> str:
    """Make the current state match the scenario's variables: new ones start at their start value,
    removed ones are dropped, ints are clamped to a changed range. Call it after an undo too, as the
    turn it goes back to may predate a reload."""
    scenario = session.scenario
    if not session.turns:
        return ""
    old = dict(session.turns[-1].state_after)
    fitted: dict[str, int | bool] = {}
    for name, var in scenario.variables.items():
        value = old.get(name)
        same_type = isinstance(value, bool) if var.type == "bool" else \
            isinstance(value, int) and not isinstance(value, bool)
        fitted[name] = var.clamp(value) if same_type else var.start
    if fitted == old:
        return ""
    changed = sorted(set(old) ^ set(fitted) | {k for k in fitted if k in old and fitted[k] != old[k]})
    session.turns[-1] = replace(session.turns[-1], state_after=fitted)
    return "state adjusted to the new variables: " + ", ".join(changed)
