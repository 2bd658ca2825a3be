"""Moving a session onto a new version of its scenario (an author saved the file while it is
played), keeping the turns already played. Only session and scenario types: the watcher that
notices the save lives with the authoring tools (core/authoring/watch.py), and Practice.follow
takes it from the view.
"""

from __future__ import annotations

from dataclasses import replace

from roleplay.core.scenario.model import Scenario
from roleplay.core.session.engine import Session


def place(session: Session) -> str:
    """Where the student is: the turn the client speaks next, or the ending reached."""
    if session.finished:
        return session.ending_id or ""
    return session.turns[-1].next_id if session.turns else session.scenario.start


def fits(session: Session, scenario: Scenario) -> bool:
    """Whether the session's place (its current turn, or its ending) exists in `scenario`."""
    if session.finished:
        return session.ending_id in scenario.endings
    return place(session) in scenario.nodes


def rebase(session: Session, scenario: Scenario) -> str:
    """Move the session onto `scenario` and say so, in words for the student or author.

    When its place is not in the new version, the session stays on the one it has (so the
    conversation can go on) and the words say so; a later version may have the place again.
    """
    here = place(session)
    if not fits(session, scenario):
        what = "ending" if session.finished else "current turn"
        return (f"reloaded, but the {what} {here!r} is not in the new version; "
                "carrying on with the previous version (restart to play the new one)")
    session.scenario = scenario
    if session.finished:
        return "reloaded the scenario (this conversation has already ended)"
    note = fit_state(session)
    return f"reloaded the scenario; you are still at {here!r}" + (f" ({note})" if note else "")


def fit_state(session: Session) -> str:
    """Make the current state match the scenario's variables: new ones start at their start value,
    removed ones are dropped, ints are clamped to a changed range. Needed after a rewind too, as the
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
