"""One writer per session record: a lock on a file beside it, held while a session is open.

A second `play --resume` (or the app) on a session that is open elsewhere is refused instead of
both writing the record in turn and one losing the other's turns. The operating system lets go of
the lock when the process ends, however it ends, so a crash never leaves a session locked.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def lock_path(record: Path) -> Path:
    return record.with_name(f".{record.name}.lock")


class SessionBusy(Exception):
    """The session is open in another roleplay; the message says so for a student."""


class SessionLock:
    """An exclusive, non-blocking lock on one record. `acquire()` raises SessionBusy when another
    process holds it; OSError when the lock file cannot be made (the caller carries on unlocked:
    such a folder cannot be saved to either, and the save says so)."""

    def __init__(self, record: Path) -> None:
        self.record = record
        self.path = lock_path(record)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "SessionLock":
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                except OSError as exc:
                    raise BlockingIOError(str(exc)) from None
        except BlockingIOError:
            os.close(fd)
            raise SessionBusy(f"Session {self.record.stem} is open in another roleplay window; "
                              "finish or quit it there first (its record is kept as it is).") from None
        except OSError:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        # The lock file stays: removing it would let a later process lock a new file while an
        # earlier one still waits on the old. `forget` removes it with the record.
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing lets go of the lock

    def __enter__(self) -> "SessionLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
