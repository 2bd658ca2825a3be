"""The scenario model: a client persona, state variables, client turns, branches and endings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from roleplay.core.scenario.conditions import Condition
from roleplay.core.labels import LABELS

DEFAULT = "default"


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # "int" or "bool"
    start: int | bool
    min: int = 0
    max: int = 1
    label: str = ""

    @property
    def display(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def clamp(self, value: int | bool) -> int | bool:
        if self.type == "int":
            return max(self.min, min(self.max, int(value)))
        return bool(value)


@dataclass(frozen=True)
class Line:
    """One variant of something the client says. `condition` (`if:`) picks it by state; `requires`
    says what it takes for granted (lint checks every way in: L206)."""

    text: str
    condition: Condition | None = None
    requires: Condition | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Trap:
    """A teaching moment: a reply that does something the worker should not (e.g. promise total
    confidentiality), recognised by cue patterns or phrasings like it (scenario/traps.py)."""

    when: str
    note: str
    cues: tuple[str, ...] = ()  # regular expressions, case-insensitive
    phrasings: tuple[str, ...] = ()  # example replies that spring it
    line: int = 0


def plain_texts(variants: tuple[Line, ...]) -> tuple[str, ...]:
    return tuple(v.text for v in variants)


@dataclass(frozen=True)
class Branch:
    on: tuple[str, ...]  # labels, or ("default",)
    goto: str
    condition: Condition | None = None
    effects: Mapping[str, int | bool] = field(default_factory=dict)  # int: change by; bool: set
    reason: str = ""
    line: int = 0  # where it stands in the file, for messages and maps
    kinds: tuple[str, ...] = ()  # sub-kinds (e.g. exploration): the reply's main kind must be one
    assign: Mapping[str, int] = field(default_factory=dict)  # int variables set to a value (`= 10`)
    reactions: tuple[Line, ...] = ()  # the client's immediate reaction, said right after the reply
    trap: Trap | None = None

    def matches(self, label: str, kind: str | None = None) -> bool:
        """Whether a reply with this label (and main sub-kind) takes this branch, state aside.
        Without a kind (coverage checks) a branch with `kind:` is treated as conditional."""
        if not (label in self.on or DEFAULT in self.on):
            return False
        return not self.kinds or kind in self.kinds

    @property
    def on_text(self) -> str:
        return "/".join(self.on) + (f" ({'/'.join(self.kinds)})" if self.kinds else "")


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]
    thought: str
    model_reply: str
    exemplars: Mapping[str, tuple[str, ...]]
    branches: tuple[Branch, ...]
    cue: str = ""
    mood: str = ""
    line: int = 0
    variants: tuple[Line, ...] = ()  # the lines with their conditions (`lines` holds their texts)
    trap: Trap | None = None  # sprung by any reply at this turn


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    outcome: str  # positive | mixed | negative
    debrief: str
    line_text: str = ""  # the first line without `if:`
    cue: str = ""
    line: int = 0
    variants: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Persona:
    name: str
    age: int
    pronouns: str
    setting: str
    briefing: str
    mood: str
    content_note: str


@dataclass(frozen=True)
class ScenarioTest:
    name: str
    replies: tuple[str, ...] | None
    labels: tuple[str, ...] | None
    expect_ending: str | None
    expect_state: Mapping[str, str]
    line: int = 0
    expect_reaction: str = ""  # words the last reaction must contain


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    persona: Persona
    variables: Mapping[str, Variable]
    start: str
    nodes: Mapping[str, Node]
    endings: Mapping[str, Ending]
    difficulty: str = "intermediate"
    minutes: int = 10
    summary: str = ""
    rubric: str | None = None
    tests: tuple[ScenarioTest, ...] = ()
    path: str = ""

    def start_state(self) -> dict[str, int | bool]:
        return {name: v.start for name, v in self.variables.items()}

    @property
    def trust_var(self) -> Variable:
        return self.variables["trust"]

    def target(self, ident: str) -> Node | Ending | None:
        return self.nodes.get(ident) or self.endings.get(ident)


__all__ = ["Branch", "DEFAULT", "Ending", "LABELS", "Line", "Node", "Trap", "plain_texts", "Persona", "Scenario", "ScenarioTest", "Variable"]
