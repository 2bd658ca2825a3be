"""What every command family shares: printing diagnostics, finding scenarios and scorers."""

from __future__ import annotations

import sys


def now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def resolve(name: str):
    """A scenario by built-in name or path, or (None, diagnostics)."""
    from roleplay.core.scenario.catalog import resolve

    return resolve(name)


def no_files(command: str) -> int:
    print(f"roleplay {command}: no scenario files found", file=sys.stderr)
    return 1


def print_diags(diags, stream=None) -> None:
    for d in diags:
        print(d, file=stream or sys.stderr)


def load_scorer(rubric: str | None, scenario=None):
    """The scorer for --rubric, else the scenario's own rubric, else the default; (scorer, diagnostics)."""
    from roleplay.core.scoring import scorer_for

    return scorer_for(scenario, rubric)


class ToolkitScorers:
    """Scorers for lint and test (core.scoring.scorer_for); a broken rubric's diagnostics are
    given once, however many scenarios use it."""

    def __init__(self, option: str | None) -> None:
        self.option = option
        self._reported: set[str] = set()

    def for_scenario(self, scenario) -> tuple:
        """(scorer or None, diagnostics to print now)."""
        scorer, diags = load_scorer(self.option, scenario)
        key = "\n".join(map(str, diags))
        if key in self._reported:
            return scorer, []
        self._reported.add(key)
        return scorer, diags

