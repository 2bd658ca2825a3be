"""Drill records on disk, beside the session records: saved atomically after every reply, listed.

Same rules as records.py: one JSON file per drill in data_home()/drills/, written by
records.atomic_write, read with its size limit; a file that is not a drill record is skipped
with a message, never a crash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from roleplay.core.io.paths import drills_dir
from roleplay.core.session.drill import DRILL_TYPE
from roleplay.core.session.records import RecordError, atomic_write, read_json, record_path


def is_drill(data: Any) -> bool:
    return isinstance(data, dict) and data.get("type") == DRILL_TYPE and isinstance(data.get("replies"), list)


def drill_path(drill_id: str, folder: Path | None = None) -> Path:
    return record_path(drill_id, folder or drills_dir())


def save(record: Mapping[str, Any], folder: Path | None = None) -> Path:
    path = drill_path(str(record["id"]), folder)
    atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1))
    return path


def load(path: Path) -> dict[str, Any]:
    data = read_json(path)
    if not is_drill(data):
        raise RecordError(f"{path.name}: not a roleplay drill record")
    return data


def list_drills(folder: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Every readable drill record, oldest first, and a message for each file skipped."""
    folder = folder or drills_dir()
    if not folder.is_dir():
        return [], []
    out, problems = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            out.append(load(path))
        except RecordError as exc:
            problems.append(f"skipped {exc}")
    out.sort(key=lambda d: (str(d.get("started_at") or ""), str(d.get("id") or "")))
    return out, problems
