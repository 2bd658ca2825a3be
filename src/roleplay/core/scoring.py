"""Which scorer scores a reply: the rubric asked for, else the scenario's own, else the default.

One scorer per rubric file, built on first use and kept, so the CLI, the linter, the scenario
test runner and the app all score a scenario the same way.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .assessment import Scorer
from .diagnostics import Diagnostic
from .rubric import find_rubric, load_rubric
from .scenario import Scenario
from .scorer import RubricScorer, default_scorer

_lock = threading.Lock()
_by_path: dict[str, tuple[Scorer | None, tuple[Diagnostic, ...]]] = {}


def scorer_for(scenario: Scenario | None = None, rubric: str | None = None) -> tuple[Scorer | None, list[Diagnostic]]:
    """(scorer, diagnostics); the scorer is None when the rubric cannot be used.

    `rubric` (a name or a path relative to the working folder) wins; otherwise the scenario's
    `rubric:` (a name or a path relative to the scenario file).
    """
    if rubric:
        name, base = rubric, None
    else:
        name = (scenario.rubric or "").strip() if scenario else ""
        base = Path(scenario.path).parent if scenario and scenario.path else None
    if not name or name == "default":
        return default_scorer(), []
    path = find_rubric(name, base)
    key = str(path.resolve())
    with _lock:
        if key not in _by_path:
            rub, diags = load_rubric(path)
            _by_path[key] = (RubricScorer(rub) if rub is not None else None, tuple(diags))
        scorer, diags = _by_path[key]
    return scorer, list(diags)
