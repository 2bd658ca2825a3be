"""Where built-in data and the user's records live."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent.parent  # the roleplay package (this file is core/io/paths.py)


def builtin_dir(kind: str) -> Path:
    """The folder of built-in `scenarios` or `rubrics`.

    An installed wheel carries them in roleplay/data/; an editable checkout reads them from the
    top of the repository, where instructors find them.
    """
    packaged = _PKG / "data" / kind
    if packaged.is_dir():
        return packaged
    return _PKG.parent.parent / kind


def data_home() -> Path:
    """The user's data folder; ROLEPLAY_HOME overrides it (tests, shared classroom machines)."""
    override = os.environ.get("ROLEPLAY_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("roleplay", appauthor=False))


def cache_dir() -> Path:
    """Derived data that is safe to delete (it is rebuilt): the picker's card index, cue facts."""
    return data_home() / "cache"


def sessions_dir() -> Path:
    return data_home() / "sessions"


def drills_dir() -> Path:
    return data_home() / "drills"


def preferences_path() -> Path:
    return data_home() / "preferences.json"


def scenario_files(paths) -> list[Path]:
    """Expand files and folders into the scenario files to load: a folder's *.yaml and *.yml,
    sorted; a file as given. Here rather than in the loader so the app's start-up can list
    scenarios without importing the validator."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml") and x.is_file()))
        else:
            out.append(p)
    return out
