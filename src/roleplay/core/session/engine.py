"""The session engine: a conversation with one scripted client, turn by turn.

Pure: no I/O, no UI, no clock read (a clock is injected). A session serialises to a plain dict
and restores exactly.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from roleplay.core.assessment import Assessment, Context, Scorer
from roleplay.core.scenario.model import Branch, Ending, Node, Scenario

FORMAT = 1
MAX_REPLY_CHARS = 20_000  # a reply longer than this is kept, but only this much is scored


class SessionOver(Exception):
    """respond() after the conversation reached an ending."""


class EmptyReply(ValueError):
    """A reply with nothing in it: the UI ignores it, the engine refuses it."""


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ClientLine:
    """What the client says at the current turn."""

    node_id: str
    text: str
    cue: str
    mood: str


@dataclass(frozen=True)
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

    @property
    def label(self) -> str:
        return self.assessment.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "node": self.node_id, "client_line": self.client_line, "cue": self.cue,
            "reply": self.reply, "label": self.label, "kind": self.assessment.kind,
            "assessment": self.assessment.to_dict(),
            "state_before": dict(self.state_before), "state": dict(self.state_after),
            "changes": [c.to_dict() for c in self.changes],
            "branch": self.branch, "why": self.why, "reason": self.reason, "next": self.next_id, "ending": self.ending, "at": self.at,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Turn":
        return cls(
            index=int(d["index"]), node_id=str(d["node"]), client_line=str(d["client_line"]),
            cue=str(d.get("cue", "")), reply=str(d["reply"]),
            assessment=Assessment.from_dict(d["assessment"]),
            state_before=dict(d["state_before"]), state_after=dict(d["state"]),
            changes=tuple(Change(c["var"], c["before"], c["after"], c.get("reason", "")) for c in d["changes"]),
            branch=int(d["branch"]), why=str(d.get("why", "")), reason=str(d.get("reason", "")),
            next_id=str(d["next"]),
            ending=d.get("ending"), at=str(d.get("at", "")))


def _pick(seed: int, node_id: str, visit: int, n: int) -> int:
    # Stable across runs and machines (unlike hash()), so a restored session shows the same line.
    return zlib.crc32(f"{seed}:{node_id}:{visit}".encode()) % n if n > 1 else 0


FEEDBACK_MODES = ("immediate", "end", "reveal")


@dataclass
class Session:
    scenario: Scenario
    scorer: Scorer
    id: str = "session"
    seed: int = 0
    clock: Callable[[], str] | None = None
    started_at: str = ""
    turns: list[Turn] = field(default_factory=list)
    reflection: str = ""
    ended_early: bool = False
    feedback: str = ""  # the feedback mode it was practised in (immediate, end, reveal); "" if unknown

    def __post_init__(self) -> None:
        if not self.started_at and self.clock:
            self.started_at = self.clock()

    # --- where the conversation stands -----------------------------------------------------

    @property
    def state(self) -> dict[str, int | bool]:
        return dict(self.turns[-1].state_after) if self.turns else self.scenario.start_state()

    @property
    def ending_id(self) -> str | None:
        return self.turns[-1].ending if self.turns else None

    @property
    def ending(self) -> Ending | None:
        return self.scenario.endings.get(self.ending_id) if self.ending_id else None

    @property
    def finished(self) -> bool:
        return self.ending_id is not None

    @property
    def over(self) -> bool:
        """Finished, or ended early by the student."""
        return self.finished or self.ended_early

    @property
    def node(self) -> Node | None:
        if self.finished:
            return None
        node_id = self.turns[-1].next_id if self.turns else self.scenario.start
        return self.scenario.nodes.get(node_id)

    @property
    def current(self) -> ClientLine | None:
        node = self.node
        if node is None:
            return None
        visit = sum(1 for t in self.turns if t.node_id == node.id)
        text = node.lines[_pick(self.seed, node.id, visit, len(node.lines))] if node.lines else ""
        return ClientLine(node.id, text, node.cue, self.mood)

    @property
    def mood(self) -> str:
        mood = self.scenario.persona.mood
        ids = [t.node_id for t in self.turns]
        if self.node is not None:
            ids.append(self.node.id)
        for ident in ids:
            n = self.scenario.nodes.get(ident)
            if n is not None and n.mood:
                mood = n.mood
        return mood

    def trust_history(self) -> list[int]:
        start = self.scenario.start_state().get("trust", 0)
        return [int(start)] + [int(t.state_after.get("trust", 0)) for t in self.turns]

    def context(self) -> Context:
        node = self.node
        cur = self.current
        if node is None or cur is None:
            return Context()
        return Context(client=cur.text, exemplars=node.exemplars, model_reply=node.model_reply or None)

    # --- playing --------------------------------------------------------------------------

    def respond(self, text: str) -> Turn:
        """Score the student's reply, take the matching branch, and return the turn."""
        if not text or not text.strip():
            raise EmptyReply("an empty reply")
        self._check_open()
        ctx = self.context()
        assessment = self.scorer.assess(text[:MAX_REPLY_CHARS], ctx)
        return self._advance(text, assessment)

    def respond_with(self, assessment: Assessment, text: str = "") -> Turn:
        """Advance with a given assessment (scenario tests by label, replays)."""
        self._check_open()
        return self._advance(text, assessment)

    def _check_open(self) -> None:
        if self.finished:
            raise SessionOver("the conversation has reached an ending")
        if self.node is None:
            raise SessionOver("the current client turn no longer exists in the scenario")

    def _advance(self, text: str, assessment: Assessment) -> Turn:
        node = self.node
        cur = self.current
        assert node is not None and cur is not None
        before = self.state
        index, branch, why = self.choose(node, assessment.label, before)
        after = dict(before)
        changes = []
        for var, value in branch.effects.items():
            v = self.scenario.variables[var]
            new = v.clamp(value if v.type == "bool" else int(after[var]) + int(value))
            # Kept even when clamping leaves the value where it was: the reason still matters.
            changes.append(Change(var, after[var], new, branch.reason))
            after[var] = new
        target = branch.goto
        ending = target if target in self.scenario.endings else None
        if assessment.model_reply is None and node.model_reply:
            assessment = replace(assessment, model_reply=node.model_reply)
        turn = Turn(
            index=len(self.turns) + 1, node_id=node.id, client_line=cur.text, cue=cur.cue, reply=text,
            assessment=assessment, state_before=before, state_after=after, changes=tuple(changes),
            branch=index, why=why, reason=branch.reason, next_id=target, ending=ending, at=self.clock() if self.clock else "")
        self.turns.append(turn)
        return turn

    @staticmethod
    def choose(node: Node, label: str, state: Mapping[str, int | bool]) -> tuple[int, Branch, str]:
        """The first branch whose label matches and whose condition holds, with the reason why."""
        for i, b in enumerate(node.branches):
            if b.matches(label) and (b.condition is None or b.condition.holds(state)):
                how = f"the reply was {label}" if label in b.on else f"no branch for {label}, so the default"
                if b.condition is not None:
                    how += f", and {b.condition.explain(state)}"
                return i, b, how
        # The validator guarantees an unconditional match; a hand-edited file may not have one.
        for i, b in enumerate(node.branches):
            if b.matches(label):
                return i, b, f"the reply was {label} (no condition held; first match)"
        return 0, node.branches[0], f"no branch for {label}; the first branch"

    def undo(self) -> Turn | None:
        """Rewind the last turn so the student can try again."""
        self.ended_early = False
        return self.turns.pop() if self.turns else None

    def end_early(self) -> None:
        self.ended_early = True

    # --- records --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        cur = self.current
        return {
            "format": FORMAT,
            "id": self.id,
            "scenario": self.scenario.id,
            "scenario_title": self.scenario.title,
            "scenario_path": self.scenario.path,
            "persona": self.scenario.persona.name,
            "seed": self.seed,
            "started_at": self.started_at,
            "updated_at": self.turns[-1].at if self.turns else self.started_at,
            "turns": [t.to_dict() for t in self.turns],
            "state": self.state,
            "node": cur.node_id if cur else None,
            "ending": self.ending_id,
            "outcome": self.ending.outcome if self.ending else None,
            "finished": self.finished,
            "ended_early": self.ended_early,
            "reflection": self.reflection,
            "feedback": self.feedback,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario, scorer: Scorer,
                  clock: Callable[[], str] | None = None) -> "Session":
        s = cls(scenario=scenario, scorer=scorer, id=str(data.get("id", "session")),
                seed=int(data.get("seed", 0)), clock=clock, started_at=str(data.get("started_at", "")))
        s.turns = [Turn.from_dict(t) for t in data.get("turns", [])]
        s.reflection = str(data.get("reflection", "") or "")
        s.ended_early = bool(data.get("ended_early", False))
        mode = data.get("feedback")
        s.feedback = mode if mode in FEEDBACK_MODES else ""
        return s
