"""Taking a saved session up again: which records can be, the lock that keeps a second window
off one, and why one cannot (damaged, or its place gone from an edited scenario), in words for a
student. Practice.resume walks these steps for `roleplay play` and the app alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from roleplay.core.io.terminal import terminal_safe
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.session.record_lock import SessionLock
from roleplay.core.session.record_types import SessionRecord
from roleplay.core.session.records import RecordInfo

# Makes the session from its record: each view knows its scorer and clock (and the app cleans
# the record's text for the screen first).
Restore = Callable[[SessionRecord], Session]


@dataclass(frozen=True)
class Skip:
    """A record that cannot be taken up again: `message` is said while going on to another record
    (or a new session), `refusal` when it was the one the student picked."""

    message: str
    refusal: str

    def __str__(self) -> str:
        return self.message


class CannotResume(Exception):
    def __init__(self, skip: Skip) -> None:
        super().__init__(skip.refusal)
        self.skip = skip


def resumable(scenario_id: str, prefix: str | None = None) -> tuple[list[RecordInfo], list[str]]:
    """The unfinished sessions of a scenario, newest first (those whose id begins with `prefix`,
    when given), and a message for each damaged record that could not even be listed."""
    found, problems = records.resumable(scenario_id=scenario_id)
    if prefix:
        found = [r for r in found if r.id.startswith(prefix)]
    return found, [f"Skipped a damaged record: {p.removeprefix('skipped ')}" for p in problems]


def take_up(info: RecordInfo, restore: Restore) -> tuple[Session, SessionLock | None]:
    """Lock the record, then read it (so what is read is what no one else is writing) and make
    its session, with the lock (None where the folder cannot be locked: saving says what is wrong
    with it). Raises SessionBusy when it is open in another roleplay, CannotResume when it is
    damaged or its place is gone; then the lock is let go."""
    lock: SessionLock | None = SessionLock(info.path)
    try:
        lock.acquire()
    except OSError:
        lock = None
    try:
        session = restore(records.load(info.path))
    except records.RecordError as exc:
        skip = Skip(f"Skipped a damaged record: {exc}", f"Cannot resume: the record is damaged: {exc}")
    except BaseException:
        _let_go(lock)
        raise
    else:
        if session.node is not None or session.finished:
            return session, lock
        skip = Skip(f"Skipped {terminal_safe(info.path.name)}: its place in the conversation is not in the "
                    f"scenario {session.scenario.id!r} any more (was the scenario edited?).",
                    "Cannot resume: this session's place no longer exists in the scenario (it was edited).")
    _let_go(lock)
    raise CannotResume(skip)


def _let_go(lock: SessionLock | None) -> None:
    if lock is not None:
        lock.release()
