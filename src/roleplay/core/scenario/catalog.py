"""Finding scenarios: the built-in ones, an instructor's folders, or a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from roleplay.core.io.diagnostics import Diagnostic
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.io.paths import builtin_dir, scenario_files
from roleplay.core.scenario.model import Scenario


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


def catalog(extra_dirs: list[str | Path] = ()) -> list[Entry]:
    """Built-in scenarios first, then those in `extra_dirs`; broken files are kept with their errors."""
    out = []
    for builtin, files in ((True, builtin_files()), (False, scenario_files(list(extra_dirs)))):
        for path in files:
            scenario, diags = load_scenario(path)
            out.append(Entry(path, builtin, scenario, tuple(diags)))
    return out


def resolve(name_or_path: str, extra_dirs: list[str | Path] = ()) -> tuple[Scenario | None, list[Diagnostic]]:
    """A built-in name (`mandated_parent`), a scenario id found in `extra_dirs`, or a file path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return load_scenario(p)
    for folder in [builtin_dir("scenarios"), *map(Path, extra_dirs)]:
        for candidate in (folder / f"{name_or_path}.yaml", folder / f"{name_or_path}.yml"):
            if candidate.is_file():
                return load_scenario(candidate)
    names = sorted(e.stem for e in builtin_files())
    from roleplay.core.scenario.shape import suggest

    return None, [Diagnostic(name_or_path, 1, 1, "error", "E011",
                             f"no scenario called {name_or_path!r}{suggest(name_or_path, names)}; "
                             f"built-in: {', '.join(names) or 'none'}")]
