"""Finding scenarios: the built-in ones, an instructor's folders, or a path.

Every command resolves names the same way (`locate`, `resolve`, `expand`):

- a path to a file (or anything ending in .yaml/.yml) is that file;
- a folder is its scenario files;
- anything else is a scenario id, looked up in the `--scenarios` folders and the built-ins.
  Two files in those folders with one id are an error naming both; a user file with a built-in's
  id is used (the folders the user named win), with a warning, never silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from roleplay.core.io.diagnostics import ERROR, WARNING, Diagnostic
from roleplay.core.io.paths import builtin_dir, scenario_files
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.scenario.model import Scenario

DUPLICATE = "E020"  # two scenario files declare one id
SHADOWS = "W021"  # a user file has a built-in scenario's id
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.M)
_ID_SCAN_BYTES = 200_000  # the id is near the top; a huge file is not read whole just to find it


@dataclass(frozen=True)
class Entry:
    path: Path
    builtin: bool
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def name(self) -> str:
        return self.scenario.id if self.scenario else self.path.stem


def builtin_files() -> list[Path]:
    return scenario_files([builtin_dir("scenarios")])


def _user_files(extra_dirs: Iterable[str | Path]) -> list[Path]:
    return [p for p in scenario_files([d for d in extra_dirs if Path(d).exists()]) if p.is_file()]


def declared_id(path: Path) -> str:
    """The `id:` a scenario file declares (read without validating it), else its file stem."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            m = _ID_LINE.search(fh.read(_ID_SCAN_BYTES))
    except OSError:
        return path.stem
    return m.group(1) if m else path.stem


def duplicate_ids(paths: Iterable[Path]) -> list[Diagnostic]:
    """One error for each file that declares an id an earlier file already declared."""
    first: dict[str, Path] = {}
    out = []
    for p in paths:
        ident = declared_id(p)
        if ident in first and first[ident].resolve() != p.resolve():
            out.append(Diagnostic(str(p), 1, 1, ERROR, DUPLICATE,
                                  f"the scenario id {ident!r} is declared by two files: {first[ident]} and {p}; "
                                  "give one of them another `id:` (or remove it)"))
        first.setdefault(ident, p)
    return out


def catalog(extra_dirs: Iterable[str | Path] = ()) -> list[Entry]:
    """Built-in scenarios first, then those in `extra_dirs`; broken files are kept with their errors."""
    out = []
    for builtin, files in ((True, builtin_files()), (False, scenario_files(list(extra_dirs)))):
        for path in files:
            scenario, diags = load_scenario(path)
            out.append(Entry(path, builtin, scenario, tuple(diags)))
    return out


def _looks_like_path(name: str) -> bool:
    p = Path(name)
    return p.suffix in (".yaml", ".yml") or p.exists() or "/" in name or "\\" in name


def _matches(name: str, files: list[Path]) -> list[Path]:
    by_id = [f for f in files if declared_id(f) == name]
    return by_id or [f for f in files if f.stem == name]


def locate(name_or_path: str, extra_dirs: Iterable[str | Path] = ()) -> tuple[Path | None, list[Diagnostic]]:
    """The file a name stands for, with the warnings or errors of finding it."""
    if _looks_like_path(name_or_path):
        return Path(name_or_path), []
    extra = list(extra_dirs)
    user, builtin = _matches(name_or_path, _user_files(extra)), _matches(name_or_path, builtin_files())
    if len(user) > 1:
        return None, duplicate_ids(user)[:1]
    if user and builtin:
        return user[0], [Diagnostic(str(user[0]), 1, 1, WARNING, SHADOWS,
                                    f"the id {name_or_path!r} is also a built-in scenario's ({builtin[0]}); "
                                    f"using this file, from --scenarios (give it another `id:` to keep both)")]
    if user or builtin:
        return (user or builtin)[0], []
    from roleplay.core.scenario.shape import suggest

    names = sorted({declared_id(f) for f in builtin_files()})
    mine = sorted({declared_id(f) for f in _user_files(extra)})
    also = f"; in your folders: {', '.join(mine)}" if mine else ""
    return None, [Diagnostic(name_or_path, 1, 1, ERROR, "E011",
                             f"no scenario called {name_or_path!r}{suggest(name_or_path, names + mine)}; "
                             f"built-in: {', '.join(names) or 'none'}{also}")]


def resolve(name_or_path: str, extra_dirs: Iterable[str | Path] = ()) -> tuple[Scenario | None, list[Diagnostic]]:
    """A built-in name (`mandated_parent`), a scenario id found in `extra_dirs`, or a file path;
    (scenario or None, diagnostics: those of finding it first, then the file's own)."""
    path, found = locate(name_or_path, extra_dirs)
    if path is None:
        return None, found
    scenario, diags = load_scenario(path)
    return scenario, found + list(diags)


def expand(items: Iterable[str], extra_dirs: Iterable[str | Path] = ()) -> tuple[list[Path], list[Diagnostic]]:
    """Files, folders and scenario names as the files to check (validate, lint, test), with the
    problems of finding them and an error for each id declared twice in the folders named (files
    named one by one may share an id: two versions of one scenario, compared)."""
    files: list[Path] = []
    in_folders: list[Path] = []
    diags: list[Diagnostic] = []
    for item in items:
        if Path(item).is_dir():
            in_folders += scenario_files([item])
            files += scenario_files([item])
            continue
        path, found = locate(item, extra_dirs)
        diags += found
        if path is not None:
            files.append(path)
    return files, diags + duplicate_ids(in_folders)
