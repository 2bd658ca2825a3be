"""Session records on disk: saved atomically after every turn, listed, resumed, forgotten.

Records stay on this machine, in the user's data folder (see paths.data_home()).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from roleplay.core.io.paths import sessions_dir

MAX_RECORD_BYTES = 50_000_000


class RecordError(Exception):
    """A record that cannot be read: truncated, corrupt, or not a record at all."""


@dataclass(frozen=True)
class RecordInfo:
    path: Path
    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id", self.path.stem))

    @property
    def finished(self) -> bool:
        return bool(self.data.get("finished")) or bool(self.data.get("ended_early"))

    @property
    def updated(self) -> str:
        return str(self.data.get("updated_at") or self.data.get("started_at") or "")


def new_session_id(now: datetime, scenario_id: str) -> str:
    return f"{now.strftime('%Y%m%d-%H%M%S')}-{scenario_id}-{secrets.token_hex(2)}"


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.

    A crash at any moment leaves either the old file or the new one, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the rename is still atomic


def record_path(session_id: str, folder: Path | None = None) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in session_id)[:120]
    return (folder or sessions_dir()) / f"{safe}.json"


def save(record: Mapping[str, Any], folder: Path | None = None) -> Path:
    path = record_path(str(record["id"]), folder)
    atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1))
    return path


def read_json(path: Path) -> Any:
    """A record file's JSON, with the size limit every record reader keeps; RecordError if unreadable."""
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise RecordError(f"{path.name}: larger than {MAX_RECORD_BYTES // 1_000_000} MB")
        return json.loads(path.read_text(encoding="utf-8"))
    except RecordError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RecordError(f"{path.name}: cannot be read ({type(exc).__name__}: {exc})") from None


def load(path: Path) -> dict[str, Any]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list) or "scenario" not in data:
        raise RecordError(f"{path.name}: not a roleplay session record")
    return data


def list_records(folder: Path | None = None) -> tuple[list[RecordInfo], list[str]]:
    """All readable records, newest first, and a message for each one that was skipped."""
    folder = folder or sessions_dir()
    if not folder.is_dir():
        return [], []
    infos, problems = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            infos.append(RecordInfo(path, load(path)))
        except RecordError as exc:
            problems.append(f"skipped {exc}")
    infos.sort(key=lambda r: (r.updated, r.id), reverse=True)
    return infos, problems


def unfinished(folder: Path | None = None, scenario_id: str | None = None) -> list[RecordInfo]:
    infos, _ = list_records(folder)
    return [r for r in infos if not r.finished and r.data.get("turns")
            and (scenario_id is None or r.data.get("scenario") == scenario_id)]


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
    return targets
