"""Session records on disk: saved atomically after every turn, listed, resumed, forgotten.

Records stay on this machine, in the user's data folder (see paths.data_home()). How a record is
laid out in its file is record_json.py's business; its values are checked into the types of
record_types.py by record_check.py, so everything past this module works on typed records.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Iterable, Mapping

from roleplay.core.io.atomic import atomic_write as _atomic_write
from roleplay.core.io.paths import sessions_dir
from roleplay.core.session import record_json
from roleplay.core.session.record_check import read_record
from roleplay.core.session.record_lock import lock_path
from roleplay.core.session.record_types import RecordError, RecordHeader, SessionRecord

__all__ = ["MAX_RECORD_BYTES", "RecordError", "RecordFull", "RecordInfo", "atomic_write", "clean_stray",
           "forget", "list_records", "load", "read_json", "matching", "new_session_id", "read_header", "record_path",
           "resumable", "save", "save_problem", "unfinished"]

MAX_RECORD_BYTES = 50_000_000
FULL_READ_BELOW = record_json.HEADER_BYTES  # smaller records are listed from a full, checked read
STRAY_AFTER = 60.0  # seconds: a temporary file this old was left by a process that was killed


class RecordFull(ValueError):
    """Saving would make a record larger than MAX_RECORD_BYTES, which could not be read back."""


@dataclass(frozen=True)
class RecordInfo:
    """A record as a list of sessions shows it: its file and its header."""

    path: Path
    header: RecordHeader

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def finished(self) -> bool:
        """Reached an ending or was ended early: nothing to resume."""
        return self.header.over

    @property
    def updated(self) -> str:
        return self.header.updated_at or self.header.started_at


def new_session_id(now: datetime, scenario_id: str) -> str:
    return f"{now.strftime('%Y%m%d-%H%M%S')}-{scenario_id}-{secrets.token_hex(2)}"


def atomic_write(path: Path, content: str | bytes | Iterable[str | bytes], *, limit: int | None = None) -> None:
    """io.atomic.atomic_write, raising RecordFull over `limit` bytes."""
    _atomic_write(path, content, limit=limit, too_large=RecordFull)


def record_path(session_id: str, folder: Path | None = None) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in session_id)[:120]
    return (folder or sessions_dir()) / f"{safe}.json"


def save(record: SessionRecord | Mapping[str, Any], folder: Path | None = None) -> Path:
    """Write the record (JSON values are checked first); RecordFull when it would be too large."""
    if not isinstance(record, SessionRecord):
        record = read_record(record, "record", "session")
    path = record_path(record.id, folder)
    # A lone surrogate cannot be written as UTF-8; replies are repaired before this (Practice),
    # so only a scenario's own text could carry one.
    atomic_write(path, (line.encode("utf-8", "replace") for line in record_json.lines(record)),
                 limit=MAX_RECORD_BYTES)
    return path


def save_problem(exc: BaseException, folder: Path | None = None) -> str:
    """Why a save failed, in words for a student (not an errno)."""
    folder = folder or sessions_dir()
    if isinstance(exc, RecordFull):
        return str(exc)
    code = getattr(exc, "errno", None)
    for p in (folder, *folder.parents):
        if p.exists() and not p.is_dir():
            return f"{p} is a file, not a folder (check ROLEPLAY_HOME)"
    if code == errno.ENOSPC:
        return "the disk is full"
    if code == getattr(errno, "EDQUOT", -1):
        return "your disk quota is used up"
    if code == errno.EFBIG:
        return "the file-size limit was reached"
    if code == errno.EROFS:
        return f"the data folder {folder} is on a read-only disk"
    if code in (errno.EACCES, errno.EPERM):
        return f"the data folder {folder} is not writable"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _open(path: Path) -> tuple[IO[bytes], int]:
    """The record's file, open for reading, when it is a regular file within the size limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    except OSError as exc:
        raise RecordError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise RecordError(f"{path.name}: not a regular file")
    if st.st_size > MAX_RECORD_BYTES:
        os.close(fd)
        raise RecordError(f"{path.name}: larger than {MAX_RECORD_BYTES // 1_000_000} MB")
    return os.fdopen(fd, "rb"), st.st_size


def load(path: Path) -> SessionRecord:
    """The whole record, every field checked; RecordError names the file and what is wrong."""
    fh, _ = _open(path)
    with fh:
        try:
            return record_json.read_record(fh, path.name, path.stem)
        except OSError as exc:
            raise RecordError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def read_header(path: Path) -> RecordHeader:
    """What a list of sessions shows: from the start of the file when it is large, else from a
    full read (which also checks every turn)."""
    fh, size = _open(path)
    with fh:
        try:
            header = record_json.read_header(fh, path.name, path.stem, size) if size > FULL_READ_BELOW else None
            if header is None:
                fh.seek(0)
                header = record_json.read_record(fh, path.name, path.stem).header
            return header
        except OSError as exc:
            raise RecordError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def read_json(path: Path) -> Any:
    """A record file's JSON (a drill record's), read with the rules every record reader keeps:
    a regular file only, never blocking, within the size limit; RecordError if unreadable."""
    fh, _ = _open(path)
    with fh:
        try:
            return json.loads(fh.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise RecordError(f"{path.name}: cannot be read ({type(exc).__name__}: {exc})") from None


def list_records(folder: Path | None = None) -> tuple[list[RecordInfo], list[str]]:
    """All readable records, newest first, and a message for each one that was skipped."""
    folder = folder or sessions_dir()
    if not folder.is_dir():
        return [], []
    infos, problems = [], []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError as exc:  # a folder that cannot be read: nothing to list, and say why
        return [], [f"skipped {folder}: cannot be read ({exc.strerror or exc})"]
    for path in paths:
        try:
            infos.append(RecordInfo(path, read_header(path)))
        except RecordError as exc:
            problems.append(f"skipped {exc}")
    infos.sort(key=lambda r: (r.updated, r.id), reverse=True)
    return infos, problems


def resumable(folder: Path | None = None, scenario_id: str | None = None) -> tuple[list[RecordInfo], list[str]]:
    """Unfinished records with at least one turn, newest first, and what was skipped as damaged."""
    infos, problems = list_records(folder)
    return [r for r in infos if not r.finished and r.header.turns
            and (scenario_id is None or r.header.scenario == scenario_id)], problems


def unfinished(folder: Path | None = None, scenario_id: str | None = None) -> list[RecordInfo]:
    return resumable(folder, scenario_id)[0]


def clean_stray(folder: Path | None = None, older_than: float = STRAY_AFTER) -> list[Path]:
    """Remove temporary files a killed save left behind. Only old ones: a save in progress in
    another window has a fresh one."""
    folder = folder or sessions_dir()
    gone = []
    try:
        strays = list(folder.glob(".*.tmp"))
    except OSError:
        return []
    cutoff = time.time() - older_than
    for p in strays:
        try:
            if p.is_file() and p.stat().st_mtime < cutoff:
                p.unlink()
                gone.append(p)
        except OSError:
            pass  # a read-only folder: nothing to be done, and nothing is lost
    return gone


def matching(session_id: str, folder: Path | None = None) -> list[Path]:
    """The records `session_id` names: the exact id if there is one, else every id it begins."""
    folder = folder or sessions_dir()
    if not folder.is_dir() or not session_id:
        return []
    exact = record_path(session_id, folder)
    if exact.is_file():
        return [exact]
    return sorted(p for p in folder.glob("*.json") if p.stem.startswith(session_id))


def forget(session_id: str | None = None, folder: Path | None = None, *, paths: list[Path] | None = None) -> list[Path]:
    """Delete the given records, or one session's exact record, or all of them (None). A prefix
    is never enough here: the command line asks first (matching) and passes the paths."""
    folder = folder or sessions_dir()
    if paths is not None:
        targets = [p for p in paths if p.is_file()]
    elif not folder.is_dir():
        return []
    elif session_id is None:
        targets = list(folder.glob("*.json")) + list(folder.glob(".*.tmp"))
    else:
        targets = [p for p in [record_path(session_id, folder)] if p.is_file()]
    for p in targets:
        p.unlink(missing_ok=True)
        if p.suffix == ".json":
            lock_path(p).unlink(missing_ok=True)
    return targets
