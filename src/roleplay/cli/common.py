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



def student_name(given: str | None, interactive: bool, command: str, say=print) -> str | None:
    """The student's name or number for this run's records: --student (remembered), else the stored
    preference, else asked once at a terminal (Enter skips; the answer, even a skip, is kept, so
    the question is not asked again). None when there is none."""
    from roleplay.core.io.paths import preferences_path
    from roleplay.core.session import preferences

    from .safe_output import ask

    prefs, message = preferences.load()
    if message:
        print(f"roleplay {command}: {message}", file=sys.stderr)
    name = prefs.student
    first_time = not preferences_path().exists()
    if given is not None:
        name = preferences.sanitise_name(given)
    elif not name and interactive and first_time:
        try:
            name = preferences.sanitise_name(ask("Your name or student number, kept in your session records "
                                                 "for your instructor (Enter to skip): "))
        except EOFError:
            name = ""
    if name != prefs.student or first_time and (given is not None or interactive):
        try:
            preferences.save(type(prefs)(name, prefs.excluded))
            if name and name != prefs.student:
                say(f"Remembered: your sessions are recorded as {name!r} (--student changes it).")
        except OSError as exc:
            print(f"roleplay {command}: could not remember your name ({exc.strerror or exc}); "
                  "it applies to this session only.", file=sys.stderr)
    return name or None
