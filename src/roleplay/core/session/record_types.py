"""A session record as typed values: a SessionRecord with its Turns, and the RecordHeader the
picker and history list. Records are read into these once, at the edge (record_check.py), so the
debrief, exports, the class report and the app never handle raw JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from roleplay.core.assessment import Assessment
from roleplay.core.io.terminal import terminal_safe
from roleplay.core.labels import FEEDBACK_MODES, LABELS  # noqa: F401  (FEEDBACK_MODES: the API)

VERSION = 1  # the record format; written as "format" (records without one are read as this)


class RecordError(Exception):
    """A record that cannot be used: truncated, damaged, or not a record at all. The message
    names the file and, when it can, the field; both come from the file, so the message is made
    terminal-safe here, once, for every view that shows it."""

    def __init__(self, message: str) -> None:
        super().__init__(terminal_safe(message))


@dataclass(frozen=True, slots=True)
class Change:
    var: str
    before: int | bool
    after: int | bool
    reason: str

    @property
    def delta(self) -> int:
        if isinstance(self.after, bool):
            return 0
        return int(self.after) - int(self.before)

    def describe(self, label: str | None = None) -> str:
        name = label or self.var
        if isinstance(self.after, bool):
            return f"{name}: {str(self.after).lower()}" + (f" ({self.reason})" if self.reason else "")
        return f"{name} {self.delta:+d}" + (f" ({self.reason})" if self.reason else "")

    def to_dict(self) -> dict[str, Any]:
        return {"var": self.var, "before": self.before, "after": self.after, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Dispute:
    """The student's view that a reply deserved another label, and why. Kept with the turn for
    the instructor; it changes nothing in the story."""

    label: str
    note: str = ""
    at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "note": self.note, "at": self.at}


@dataclass(frozen=True)
class SprungTrap:
    """A scenario's teaching moment the reply sprang (scenario traps): what, and the note."""

    when: str
    note: str

    def to_dict(self) -> dict[str, str]:
        return {"when": self.when, "note": self.note}


@dataclass(frozen=True, slots=True)
class Turn:
    index: int  # 1-based
    node_id: str
    client_line: str
    cue: str
    reply: str
    assessment: Assessment
    state_before: Mapping[str, int | bool]
    state_after: Mapping[str, int | bool]
    changes: tuple[Change, ...]
    branch: int  # index into the node's branches
    why: str  # which branch was taken and why, in words
    reason: str  # the author's reason for the client's reaction (shown even without effects)
    next_id: str  # the next node, or the ending
    ending: str | None
    at: str = ""
    notes: tuple[str, ...] = ()  # what was repaired in the reply, e.g. invalid text replaced
    dispute: Dispute | None = None  # the student disagrees with the label (older records have none)
    reaction: str = ""  # the client's immediate reaction to the reply, said before the next turn
    trap: SprungTrap | None = None

    @property
    def label(self) -> str:
        return self.assessment.label

    @property
    def kind(self) -> str:
        """The main sub-kind, or "" when there is none."""
        return self.assessment.kinds[0] if self.assessment.kinds else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "node": self.node_id, "client_line": self.client_line, "cue": self.cue,
            "reply": self.reply, "label": self.label, "kind": self.assessment.kind,
            "assessment": self.assessment.to_dict(),
            "state_before": dict(self.state_before), "state": dict(self.state_after),
            "changes": [c.to_dict() for c in self.changes],
            "branch": self.branch, "why": self.why, "reason": self.reason, "next": self.next_id,
            "ending": self.ending, "at": self.at, "notes": list(self.notes),
            **({"dispute": self.dispute.to_dict()} if self.dispute is not None else {}),
            # Written only when there is one, so records without them read as before.
            **({"reaction": self.reaction} if self.reaction else {}),
            **({"trap": self.trap.to_dict()} if self.trap is not None else {}),
        }


def label_counts(turns) -> dict[str, int]:
    """Replies per label, in the fixed label order (zeros included)."""
    counts = {label: 0 for label in LABELS}
    for t in turns:
        if t.label in counts:
            counts[t.label] += 1
    return counts


@dataclass(frozen=True, slots=True)
class RecordHeader:
    """What a list of sessions shows, without the turns: the start of a record's file is enough."""

    id: str
    scenario: str
    scenario_title: str
    scenario_path: str | None
    persona: str
    started_at: str
    updated_at: str
    finished: bool
    ended_early: bool
    ending: str | None
    outcome: str | None
    feedback: str
    turns: int
    labels: Mapping[str, int] = field(default_factory=dict)

    @property
    def over(self) -> bool:
        """Reached an ending or ended early: nothing left to resume."""
        return self.finished or self.ended_early


@dataclass(frozen=True)
class SessionRecord:
    id: str
    scenario: str
    scenario_title: str
    scenario_path: str | None
    persona: str
    seed: int
    started_at: str
    updated_at: str
    turns: tuple[Turn, ...]
    state: Mapping[str, int | bool]
    node: str | None
    ending: str | None
    outcome: str | None
    finished: bool
    ended_early: bool
    reflection: str = ""
    feedback: str = ""  # the feedback mode it was practised in (immediate, end, reveal); "" if unknown
    student: str | None = None  # set by an instructor for the class report
    version: int = VERSION

    @property
    def header(self) -> RecordHeader:
        return RecordHeader(self.id, self.scenario, self.scenario_title, self.scenario_path, self.persona,
                            self.started_at, self.updated_at, self.finished, self.ended_early, self.ending,
                            self.outcome, self.feedback, len(self.turns), label_counts(self.turns))

    def head_dict(self) -> dict[str, Any]:
        """Every field but the turns and the reflection, in the order they are written."""
        out: dict[str, Any] = {
            "format": self.version, "id": self.id, "scenario": self.scenario,
            "scenario_title": self.scenario_title, "scenario_path": self.scenario_path,
            "persona": self.persona, "seed": self.seed, "started_at": self.started_at,
            "updated_at": self.updated_at, "state": dict(self.state), "node": self.node,
            "ending": self.ending, "outcome": self.outcome, "finished": self.finished,
            "ended_early": self.ended_early, "feedback": self.feedback,
        }
        if self.student is not None:
            out["student"] = self.student
        return out

    def summary_dict(self) -> dict[str, Any]:
        """The counts a list of sessions needs, kept ahead of the turns (records.read_header)."""
        return {"turns": len(self.turns), "labels": label_counts(self.turns)}

    def to_dict(self) -> dict[str, Any]:
        """The whole record as plain JSON values (exports, `play --json`)."""
        out = self.head_dict()
        out["turns"] = [t.to_dict() for t in self.turns]
        out["reflection"] = self.reflection
        return out
