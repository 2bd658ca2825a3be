"""What the app keeps on disk for a student: restoring, locking and saving session records, and
saving drill records. A mixin of RoleplayApp, kept apart so the app module stays about screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .services import PendingScorer
from .terminal_guard import shown_record

if TYPE_CHECKING:
    from roleplay.core.session.engine import Session
    from roleplay.core.session.record_lock import SessionLock
    from roleplay.core.session.record_types import SessionRecord
    from roleplay.core.scenario.model import Scenario


class RecordKeeping:
    """Needs from the app: notify(), clock; owns _locks and _save_told."""

    _locks: "dict[str, SessionLock]"
    _save_told: str | None

    def restore_session(self, record: "SessionRecord", scenario: "Scenario") -> "Session":
        from roleplay.core.session.engine import Session

        # A record is a file like any other: its text is shown, never sent to the terminal raw
        # (the id stays as it is: it names the record's file).
        data = record.to_dict()
        clean = {**shown_record(data), "id": data.get("id", "session")}
        return Session.from_dict(clean, scenario, PendingScorer(), clock=self.clock)

    def claim(self, session_id: str) -> str | None:
        """Lock a session's record for this app; a message when it is open in another roleplay."""
        from roleplay.core.session.record_lock import SessionBusy, SessionLock
        from roleplay.core.session.records import record_path

        if session_id in self._locks:
            return None
        try:
            self._locks[session_id] = SessionLock(record_path(session_id)).acquire()
        except SessionBusy as exc:
            return str(exc)
        except OSError:
            pass  # a folder that cannot be locked cannot be saved to either; the save says so
        return None

    def hold(self, session_id: str, lock: "SessionLock | None") -> None:
        """Keep a lock taken for this app (Practice.resume) until the session is closed."""
        if lock is not None:
            self._locks[session_id] = lock

    def release(self, session_id: str) -> None:
        lock = self._locks.pop(session_id, None)
        if lock is not None:
            lock.release()

    def write_session(self, record: "SessionRecord") -> None:
        """Save a record; raises what records.save raises (Practice says what went wrong)."""
        from roleplay.core.session import records

        records.save(record)

    def save_session(self, session: "Session") -> bool:
        """Save the record atomically; on failure tell the student once, and keep going."""
        from roleplay.core.session import records

        try:
            records.save(session.to_record())
        except (OSError, ValueError, TypeError) as exc:
            self.tell_save_problem(f"Could not save this session: {records.save_problem(exc)}. "
                                   "The session goes on, unsaved.")
            return False
        self.tell_save_problem(None)
        return True

    def tell_save_problem(self, message: str | None) -> None:
        """Notify a save problem once while it lasts (not after every reply), and its end."""
        if message == self._save_told:
            return
        told, self._save_told = self._save_told, message
        if message:
            self.notify(message, severity="error", timeout=12)
        elif told:
            self.notify("Saving works again: the session is saved.", timeout=5)

    def save_drill(self, record: dict) -> None:
        """The drill saver: raises OSError on failure, which the drill reports (Drill.last_error)."""
        from roleplay.core.session import drill_records

        drill_records.save(record)
