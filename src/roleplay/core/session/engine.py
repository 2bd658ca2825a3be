"""The session engine: a conversation with one scripted client, turn by turn.

Pure: no I/O, no UI, no clock read (a clock is injected). A session serialises to a plain dict
and restores exactly.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from roleplay.core.assessment import Assessment, Context, Scorer
from roleplay.core.scenario.model import Branch, Ending, Line, Node, Scenario, Trap
from roleplay.core.scenario.traps import sprung
from roleplay.core.session.record_check import read_record
from roleplay.core.labels import LABELS
from roleplay.core.session.record_types import (FEEDBACK_MODES, VERSION, Change, Dispute, SessionRecord, SprungTrap,
                                                Turn)

__all__ = ["Session", "Turn", "Change", "ClientLine", "EmptyReply", "ReplyTooLong", "SessionOver",
           "FEEDBACK_MODES", "MAX_REPLY_CHARS"]

MAX_REPLY_CHARS = 20_000  # longer is refused: no one says that much to a client in one turn
MAX_DISPUTE_CHARS = 2_000  # a reason for disagreeing with a label: a few sentences


def _sprung(reply: str, *traps: Trap | None) -> SprungTrap | None:
    """The first trap (the branch's, then the turn's) the reply springs, as kept on the turn."""
    for trap in traps:
        if trap is not None and sprung(trap, reply):
            return SprungTrap(trap.when, trap.note)
    return None


class SessionOver(Exception):
    """respond() after the conversation reached an ending."""


class EmptyReply(ValueError):
    """A reply with nothing in it: the UI ignores it, the engine refuses it."""


class ReplyTooLong(ValueError):
    """A reply over MAX_REPLY_CHARS; the message says so in words for a student."""

    def __init__(self, length: int) -> None:
        super().__init__(f"That reply is {length:,} characters long, too long to say to a client in one turn. "
                         f"Please shorten it to at most {MAX_REPLY_CHARS:,} (a few sentences is best).")
        self.length = length


@dataclass(frozen=True)
class ClientLine:
    """What the client says at the current turn."""

    node_id: str
    text: str
    cue: str
    mood: str


def _pick(seed: int, node_id: str, visit: int, n: int) -> int:
    # Stable across runs and machines (unlike hash()), so a restored session shows the same line.
    return zlib.crc32(f"{seed}:{node_id}:{visit}".encode()) % n if n > 1 else 0


def eligible(variants: tuple[Line, ...], state: Mapping[str, int | bool]) -> tuple[Line, ...]:
    """The variants that may be said in `state`: those whose `if:` holds, else those without one."""
    held = tuple(v for v in variants if v.condition is not None and v.condition.holds(state))
    return held or tuple(v for v in variants if v.condition is None)


def say(variants: tuple[Line, ...], state: Mapping[str, int | bool], seed: int, key: str, visit: int = 0) -> str:
    """The variant said in `state`, picked deterministically among the eligible ones ("" if none)."""
    fit = eligible(variants, state)
    return fit[_pick(seed, key, visit, len(fit))].text if fit else ""


def _apply(scenario: Scenario, branch: Branch, before: Mapping[str, int | bool]) -> tuple[dict, list[Change]]:
    after = dict(before)
    changes = []
    for var, value in branch.effects.items():
        v = scenario.variables[var]
        new = v.clamp(value if v.type == "bool" else int(after[var]) + int(value))
        # Kept even when clamping leaves the value where it was: the reason still matters.
        changes.append(Change(var, after[var], new, branch.reason))
        after[var] = new
    for var, value in branch.assign.items():
        new = scenario.variables[var].clamp(value)
        changes.append(Change(var, after[var], new, branch.reason))
        after[var] = new
    return after, changes


def apply_effects(scenario: Scenario, branch: Branch, before: Mapping[str, int | bool]) -> dict[str, int | bool]:
    """The state after `branch` is taken (changes, then values set; ints clamped to their range)."""
    return _apply(scenario, branch, before)[0]


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
    student: str | None = None  # the student's name or number (preferences), kept in the record

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
        variants = node.variants or tuple(Line(x) for x in node.lines)
        text = say(variants, self.state, self.seed, node.id, visit)
        return ClientLine(node.id, text, node.cue, self.mood)

    @property
    def ending_line(self) -> str:
        """The client's last words at the ending reached, chosen by the final state ("" if none)."""
        ending = self.ending
        if ending is None:
            return ""
        variants = ending.variants or ((Line(ending.line_text),) if ending.line_text else ())
        return say(variants, self.state, self.seed, ending.id).strip()

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

    def respond(self, text: str, notes: tuple[str, ...] = ()) -> Turn:
        """Score the student's reply, take the matching branch, and return the turn. `notes` say
        what was repaired in the reply before it got here (kept with the turn)."""
        if not text or not text.strip():
            raise EmptyReply("an empty reply")
        if len(text) > MAX_REPLY_CHARS:
            raise ReplyTooLong(len(text))
        self._check_open()
        ctx = self.context()
        assessment = self.scorer.assess(text, ctx)
        return self._advance(text, assessment, notes)

    def respond_with(self, assessment: Assessment, text: str = "") -> Turn:
        """Advance with a given assessment (scenario tests by label, replays)."""
        self._check_open()
        return self._advance(text, assessment)

    def _check_open(self) -> None:
        if self.finished:
            raise SessionOver("the conversation has reached an ending")
        if self.node is None:
            raise SessionOver("the current client turn no longer exists in the scenario")

    def _advance(self, text: str, assessment: Assessment, notes: tuple[str, ...] = ()) -> Turn:
        node = self.node
        cur = self.current
        assert node is not None and cur is not None
        before = self.state
        index, branch, why = self.choose(node, assessment.label, before, assessment.kind)
        after, changes = _apply(self.scenario, branch, before)
        reaction = say(branch.reactions, after, self.seed, f"{node.id}#{index}", len(self.turns))
        trap = _sprung(text, branch.trap, node.trap)
        target = branch.goto
        ending = target if target in self.scenario.endings else None
        if assessment.model_reply is None and node.model_reply:
            assessment = replace(assessment, model_reply=node.model_reply)
        turn = Turn(
            index=len(self.turns) + 1, node_id=node.id, client_line=cur.text, cue=cur.cue, reply=text,
            assessment=assessment, state_before=before, state_after=after, changes=tuple(changes),
            branch=index, why=why, reason=branch.reason, next_id=target, ending=ending,
            at=self.clock() if self.clock else "", notes=notes, reaction=reaction, trap=trap)
        self.turns.append(turn)
        return turn

    @staticmethod
    def choose(node: Node, label: str, state: Mapping[str, int | bool],
               kind: str | None = None) -> tuple[int, Branch, str]:
        """The first branch whose label (and sub-kind) matches and whose condition holds, with why."""
        for i, b in enumerate(node.branches):
            if b.matches(label, kind) and (b.condition is None or b.condition.holds(state)):
                how = f"the reply was {label}" if label in b.on else f"no branch for {label}, so the default"
                if b.kinds:
                    how += f" ({kind})"
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

    def dispute(self, index: int, label: str, note: str = "") -> Turn:
        """Keep the student's view that turn `index` deserved `label`, and why. Only the turn's
        record changes: its label, the state and the story stay as they were. ValueError (in
        words for a student) for a turn that does not exist, an unknown or the same label."""
        if not 1 <= index <= len(self.turns):
            raise ValueError(f"There is no turn {index} to disagree with yet.")
        turn = self.turns[index - 1]
        label = label.strip().lower()
        if label not in LABELS:
            raise ValueError(f"{label or 'That'!r} is not a label; choose one of {', '.join(LABELS)}.")
        if label == turn.label:
            raise ValueError(f"Turn {index} is already labelled {label}; choose the label you think it deserved.")
        note = " ".join(note.split())
        if len(note) > MAX_DISPUTE_CHARS:
            raise ValueError(f"Please keep the reason to {MAX_DISPUTE_CHARS:,} characters (it is {len(note):,}).")
        disputed = replace(turn, dispute=Dispute(label, note, self.clock() if self.clock else ""))
        self.turns[index - 1] = disputed
        return disputed

    def end_early(self) -> None:
        self.ended_early = True

    # --- records --------------------------------------------------------------------------

    def to_record(self) -> SessionRecord:
        cur = self.current
        ending = self.ending
        return SessionRecord(
            id=self.id, scenario=self.scenario.id, scenario_title=self.scenario.title,
            scenario_path=self.scenario.path, persona=self.scenario.persona.name, seed=self.seed,
            started_at=self.started_at, updated_at=self.turns[-1].at if self.turns else self.started_at,
            turns=tuple(self.turns), state=self.state, node=cur.node_id if cur else None, ending=self.ending_id,
            outcome=ending.outcome if ending else None, finished=self.finished, ended_early=self.ended_early,
            reflection=self.reflection, feedback=self.feedback, student=self.student or None, version=VERSION)

    def to_dict(self) -> dict[str, Any]:
        return self.to_record().to_dict()

    @classmethod
    def from_record(cls, record: SessionRecord, scenario: Scenario, scorer: Scorer,
                    clock: Callable[[], str] | None = None) -> "Session":
        s = cls(scenario=scenario, scorer=scorer, id=record.id, seed=record.seed, clock=clock,
                started_at=record.started_at)
        s.turns = list(record.turns)
        s.reflection = record.reflection
        s.ended_early = record.ended_early
        s.feedback = record.feedback
        s.student = record.student
        return s

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario, scorer: Scorer,
                  clock: Callable[[], str] | None = None) -> "Session":
        """From a record's JSON values, checked field by field (RecordError when damaged)."""
        return cls.from_record(read_record(data, "record", "session"), scenario, scorer, clock)
