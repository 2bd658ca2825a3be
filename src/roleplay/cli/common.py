"""What every command family shares: printing diagnostics, finding scenarios and scorers."""

from __future__ import annotations

import sys


def now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


SCENARIOS_HELP = "also look for scenario names in DIR (repeatable); its files win over built-ins of the same id"


def add_scenarios_option(p) -> None:
    """--scenarios DIR: the same on every command that takes scenario names."""
    p.add_argument("--scenarios", action="append", default=[], metavar="DIR", help=SCENARIOS_HELP)


def resolve(name: str, extra_dirs=()):
    """A scenario by name or path (core.scenario.catalog.resolve), or (None, diagnostics)."""
    from roleplay.core.scenario.catalog import resolve

    return resolve(name, extra_dirs)


def expand(items, extra_dirs=()):
    """Files, folders and names as files (core.scenario.catalog.expand): (paths, diagnostics)."""
    from roleplay.core.scenario.catalog import expand

    return expand(items, extra_dirs)


def resolve_or_report(name: str, extra_dirs=()):
    """The scenario (a shadowed built-in is told); or None with its errors printed."""
    from roleplay.core.scenario.catalog import SHADOWS

    scenario, diags = resolve(name, extra_dirs)
    print_diags(diags if scenario is None else [d for d in diags if d.code == SHADOWS])
    return scenario


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

