"""The student's remembered choices: their name and the settings they leave out of drills.

Kept in data_home()/preferences.json, written atomically. A damaged or unreadable file never
stops practice: the defaults are used and a message says why.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from roleplay.core.io.paths import preferences_path

FORMAT = 1
MAX_NAME = 60
MAX_BYTES = 100_000  # a preferences file is a few lines; anything larger is not ours
MAX_EXCLUDED = 100
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,59}$")  # a content tag or an area


@dataclass(frozen=True)
class Preferences:
    student: str = ""
    excluded: tuple[str, ...] = ()  # content tags and/or areas a drill leaves out

    def excluding(self, keys: Iterable[str]) -> "Preferences":
        added = [k for k in keys if k not in self.excluded]
        return replace(self, excluded=tuple(sorted(set(self.excluded) | set(added))))

    def including(self, keys: Iterable[str]) -> "Preferences":
        gone = set(keys)
        return replace(self, excluded=tuple(k for k in self.excluded if k not in gone))

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "student": self.student, "excluded": list(self.excluded)}


def sanitise_name(name: Any) -> str:
    """A student name safe for a record and a terminal: no path separators, no control or
    format characters, spaces collapsed, at most MAX_NAME characters."""
    if not isinstance(name, str):
        return ""
    kept = []
    for ch in unicodedata.normalize("NFC", name):
        if ch in "/\\" or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            kept.append(" ")
        else:
            kept.append(ch)
    text = " ".join("".join(kept).split()).strip(". ")  # no "..", no hidden-file dot
    return text[:MAX_NAME].rstrip(". ")


def _clean_keys(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    keys = {v.strip().lower() for v in value if isinstance(v, str) and _KEY.match(v.strip().lower())}
    return tuple(sorted(keys))[:MAX_EXCLUDED]


def load(path: Path | None = None) -> tuple[Preferences, str | None]:
    """(preferences, None), or (defaults, a message for the student) when the file is damaged.
    No file yet is not a problem: the defaults, no message."""
    path = path or preferences_path()
    try:
        if not path.exists():
            return Preferences(), None
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("the file is far too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Preferences(), (f"Your saved preferences ({path}) could not be read ({why}); using the defaults. "
                               "They are written afresh when you next change one.")
    return Preferences(student=sanitise_name(data.get("student")), excluded=_clean_keys(data.get("excluded"))), None


def save(prefs: Preferences, path: Path | None = None) -> None:
    """Write atomically (a crash leaves the old file or the new one); raises OSError."""
    from roleplay.core.session.records import atomic_write

    clean = Preferences(sanitise_name(prefs.student), _clean_keys(list(prefs.excluded)))
    atomic_write(path or preferences_path(), json.dumps(clean.to_dict(), ensure_ascii=False, indent=1) + "\n")
