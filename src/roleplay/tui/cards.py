"""What the picker shows about each scenario file, remembered between start-ups.

The picker needs only a card per file (title, persona, setting, difficulty, minutes, content note,
or the validator's messages for a broken file). Validating every file on every start-up costs more
than the rest of the start-up, so the cards are kept in a small JSON index in the data folder,
keyed by each file's path, size and modification time and by the validator's own code. A file that
changed (or a changed validator) is validated again; the full scenario is loaded when it is opened.

No pickle: the index is plain JSON, and anything odd in it is ignored (the file is re-validated).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .terminal_guard import shown

INDEX_VERSION = 2  # 2: cards are terminal-safe, and files with control characters are broken (E014)
_CORE = Path(__file__).resolve().parent.parent / "core"


@dataclass(frozen=True)
class Card:
    path: Path
    builtin: bool
    ok: bool
    id: str = ""
    title: str = ""
    name: str = ""
    age: int = 0
    pronouns: str = ""
    setting: str = ""
    difficulty: str = ""
    minutes: int = 0
    summary: str = ""
    content_note: str = ""
    diagnostics: tuple[str, ...] = ()  # "path:line:col: error[CODE]: message", errors first
    errors: int = 0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        d["diagnostics"] = list(self.diagnostics)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Card":
        # The index is a file in the data folder: what it says is shown, never trusted raw.
        d = {k: shown(v) if isinstance(v, str) and k not in ("path", "id") else v for k, v in d.items()}
        d["path"] = Path(d["path"])
        d["diagnostics"] = tuple(shown(x) for x in d.get("diagnostics", ()))
        return cls(**d)


def card_for(path: Path, builtin: bool, scenario, diagnostics: Iterable) -> Card:
    diags = sorted(diagnostics, key=lambda d: (not d.is_error, d.line, d.col))
    lines = tuple(shown(d) for d in diags)
    errors = sum(1 for d in diags if d.is_error)
    if scenario is None:
        return Card(path=path, builtin=builtin, ok=False, diagnostics=lines, errors=errors)
    p = scenario.persona
    return Card(path=path, builtin=builtin, ok=True, id=scenario.id, title=shown(scenario.title), name=shown(p.name),
                age=int(p.age), pronouns=shown(p.pronouns), setting=shown(p.setting),
                difficulty=shown(scenario.difficulty), minutes=int(scenario.minutes),
                summary=shown(" ".join((scenario.summary or "").split())),
                content_note=shown(" ".join(p.content_note.split())), diagnostics=lines, errors=errors)


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def validator_fingerprint() -> str:
    """Changes whenever the validator's code does, so its messages are never stale."""
    from roleplay import __version__

    parts = [__version__, str(INDEX_VERSION)]
    try:
        # The validator is core/scenario and the bottom room below it (tests/test_import_rules.py
        # keeps them from importing the rest of core); stat-ing only those is a third of the files.
        files = [*(_CORE / "io").glob("*.py"), *(_CORE / "scenario").glob("*.py"), *_CORE.glob("*.py")]
        for f in sorted(files):
            st = f.stat()
            parts.append(f"{f.name}:{st.st_mtime_ns}:{st.st_size}")
    except OSError:
        parts.append("unknown")
    return "|".join(parts)


def index_path() -> Path:
    from roleplay.core.io.paths import cache_dir

    return cache_dir() / "cards.json"


def _read_index(path: Path, fingerprint: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _write_index(path: Path, fingerprint: str, files: dict[str, Any]) -> None:
    from roleplay.core.session.records import atomic_write

    try:
        atomic_write(path, json.dumps({"fingerprint": fingerprint, "files": files}, ensure_ascii=False))
    except OSError:
        pass  # a read-only data folder only costs start-up time


@dataclass
class CardIndex:
    """Cards for the built-in scenarios and the user's folders, validated only when files change."""

    extra_dirs: list[Path] = field(default_factory=list)
    include_builtin: bool = True
    use_index: bool = True
    validated: int = 0  # how many files were validated this time (0 on a warm start)

    def load(self) -> list[Card]:
        from roleplay.core.io.paths import builtin_dir, scenario_files

        files: list[tuple[bool, Path]] = []
        if self.include_builtin:
            files += [(True, p) for p in scenario_files([builtin_dir("scenarios")])]
        files += [(False, p) for p in scenario_files(self.extra_dirs)]
        fingerprint = validator_fingerprint() if self.use_index else ""
        where = index_path() if self.use_index else None
        known = _read_index(where, fingerprint) if where is not None else {}
        fresh: dict[str, Any] = {}
        cards: list[Card] = []
        for builtin, path in files:
            key = str(path.resolve()) if path.exists() else str(path)
            stat = _stat(path)
            entry = known.get(key)
            card = None
            if stat is not None and isinstance(entry, dict) and entry.get("stat") == stat:
                try:
                    card = Card.from_json(entry["card"])
                    if card.builtin != builtin or card.path != path:
                        card = Card.from_json({**entry["card"], "builtin": builtin, "path": str(path)})
                except (KeyError, TypeError, ValueError):
                    card = None
            if card is None:
                card = self.validate(path, builtin)
            cards.append(card)
            if stat is not None:
                fresh[key] = {"stat": stat, "card": card.to_json()}
        if where is not None and (self.validated or set(fresh) != set(known)):
            _write_index(where, fingerprint, fresh)
        return cards

    def validate(self, path: Path, builtin: bool) -> Card:
        from roleplay.core.scenario.loader import load_scenario

        self.validated += 1
        scenario, diags = load_scenario(path)
        return card_for(path, builtin, scenario, diags)
