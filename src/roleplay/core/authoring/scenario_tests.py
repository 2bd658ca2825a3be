"""Run a scenario's `tests:` section: scripted runs with the ending and state the author expects.

`labels:` feed labels straight to the engine (no scorer involved); `replies:` are scored by the
scorer, exactly as in play. A run stops at an ending (later script items are unused) or when the
script runs out (then the expected ending must be null). Pure: returns outcomes, prints nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from roleplay.core.assessment import Assessment, Scorer
from roleplay.core.scenario.conditions import ConditionError, parse_condition
from roleplay.core.session.engine import Session
from roleplay.core.scenario.model import Scenario, ScenarioTest


@dataclass
class TestOutcome:
    name: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (turn id, label)
    ending: str | None = None
    state: Mapping[str, Any] = field(default_factory=dict)
    unused: int = 0  # script items after the ending was reached
    error: bool = False  # the test could not run at all
    line: int = 0

    __test__ = False  # not a pytest class

    @property
    def path(self) -> str:
        bits = [f"{node} ({label})" for node, label in self.steps]
        return " -> ".join(bits + [self.ending or "(script ran out)"])

    def describe(self) -> str:
        if self.passed:
            return f"PASS {self.name}"
        if self.error:
            return f"FAIL {self.name}: {'; '.join(self.problems)}"
        unused = f"; {self.unused} scripted item(s) after the ending unused" if self.unused else ""
        return f"FAIL {self.name}: {'; '.join(self.problems)} (path: {self.path}{unused})"


def label_assessment(label: str) -> Assessment:
    """The assessment a `labels:` test feeds the engine: certain, and nothing else. An item
    `empathic/exploration` gives the sub-kind too."""
    label, _, kind = label.partition("/")
    label, kind = label.strip(), kind.strip()
    return Assessment(label=label, confidence=1.0, scores={label: 1.0}, kinds=(kind,) if kind else (),
                      feedback="(scenario test)")


class _NoScorer:
    def assess(self, reply: str, context: Any) -> Assessment:  # pragma: no cover - never called
        raise RuntimeError("no scorer")


def _replies(n: int) -> str:
    return f"{n} reply" if n == 1 else f"{n} replies"


def _fmt(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def run_test(scenario: Scenario, test: ScenarioTest, scorer: Scorer | None = None) -> TestOutcome:
    out = TestOutcome(test.name or f"test at line {test.line}", passed=False, line=test.line)
    if test.labels is not None and test.replies is not None:
        out.error = True
        out.problems.append("has both `replies` and `labels`; use one of them")
        return out
    if test.replies is not None and scorer is None:
        out.error = True
        out.problems.append("needs the scorer to label its `replies`, and the scorer is not available "
                            "(not in this build, or its rubric has errors)")
        return out
    session = Session(scenario, scorer or _NoScorer(), id=f"test-{test.name}")
    script = list(test.labels if test.labels is not None else test.replies or ())
    for i, item in enumerate(script):
        if session.finished:
            out.unused = len(script) - i
            break
        node_id = session.node.id if session.node else "?"
        try:
            if test.labels is not None:
                turn = session.respond_with(label_assessment(item), f"[{item}]")
            else:
                turn = session.respond(item)
        except Exception as exc:  # an empty reply, a scorer bug: report it as this test's failure
            out.error = True
            out.problems.append(f"stopped at reply {i + 1} in {node_id!r}: {type(exc).__name__}: {exc}")
            return out
        out.steps.append((turn.node_id, item.strip() if test.labels is not None else turn.label))
    out.ending = session.ending_id
    out.state = session.state
    if test.expect_ending != out.ending:
        if test.expect_ending is None:
            out.problems.append(f"expected the script to run out first, got ending {out.ending} "
                                f"after {_replies(len(out.steps))}")
        elif out.ending is None:
            where = session.node.id if session.node else "?"
            out.problems.append(f"expected ending {test.expect_ending}, got no ending (the script ran out "
                                f"at {where!r} after {_replies(len(out.steps))})")
        else:
            out.problems.append(f"expected ending {test.expect_ending}, got {out.ending}")
    for name, text in test.expect_state.items():
        try:
            cond = parse_condition(f"{name} {text}")
        except ConditionError as exc:
            out.problems.append(f"cannot read the expected state {name}: {exc}")
            continue
        if not cond.holds(out.state):
            out.problems.append(f"expected {cond.text}, got {name} {_fmt(out.state.get(name))}")
    said = session.turns[-1].reaction if session.turns else ""
    if test.expect_reaction and " ".join(test.expect_reaction.lower().split()) not in " ".join(said.lower().split()):
        out.problems.append(f"expected the last reaction to say {test.expect_reaction!r}, got "
                            + (f"{said!r}" if said else "no reaction"))
    out.passed = not out.problems
    return out


def run_tests(scenario: Scenario, scorer: Scorer | None = None) -> list[TestOutcome]:
    return [run_test(scenario, t, scorer) for t in scenario.tests]


def needs_scorer(scenario: Scenario) -> bool:
    return any(t.replies is not None for t in scenario.tests)
