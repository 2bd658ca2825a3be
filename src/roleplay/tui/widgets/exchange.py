"""What a session shows, built from the session and what has been revealed: the whole conversation
(the normal layout) or the current exchange only, large (the projector's stage).

Reveal mode hides two things of the latest reply, revealed in order: its label (F4), then the
client's reaction (F4 again): the next line, the mood and the trust change, from which a class
could otherwise read the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from .banner import LabelBanner
from .conversation import ClientSays, HiddenFeedback, Note, StudentSays, TrapNote, TurnFeedback, model_only

if TYPE_CHECKING:
    from roleplay.core.session.engine import Session


@dataclass
class View:
    """What may be shown now."""

    mode: str  # the feedback mode: immediate, end, reveal
    revealed: int  # turns 1..revealed show their label (not used in end mode)
    reacted: int  # the client's reaction to turns 1..reacted is shown
    model_shown: set[int] = field(default_factory=set)
    hint: str | None = None  # the hint asked for at this moment

    def label_shown(self, index: int) -> bool:
        return self.mode != "end" and index <= self.revealed

    def reaction_shown(self, index: int) -> bool:
        return index <= self.reacted


def reaction_hidden_note(name: str, label_shown: bool) -> Note:
    keys = f"F4 shows how {name} reacts." if label_shown else \
        f"F4 shows the label, then F4 again shows how {name} reacts."
    return Note(Content.assemble(
        Content.styled("Discussion", "bold $text-secondary"),
        Content.styled(f" — {name}'s reaction is hidden until the reveal. {keys}", "italic")),
        classes="note hidden-reaction")


def _ending_widgets(session: "Session") -> list[Widget]:
    ending = session.ending
    out: list[Widget] = []
    if ending is not None and (session.ending_line or ending.cue):
        out.append(ClientSays(session.scenario.persona.name, session.ending_line, ending.cue, current=True))
    out.append(Note(Content.styled("The conversation has ended. Enter opens the debrief; "
                                   "Ctrl+R rewinds your last reply to try it differently.", "bold"),
                    classes="note ending"))
    return out


def _now_widgets(session: "Session", view: View) -> list[Widget]:
    """The client's line the student answers now (or the ending), unless it is still hidden."""
    name = session.scenario.persona.name
    n = len(session.turns)
    if n and not view.reaction_shown(n):
        return [reaction_hidden_note(name.split()[0] or name, view.label_shown(n))]
    if session.ending is not None:
        return _ending_widgets(session)
    cur = session.current
    if cur is None:
        return [Note(Content.styled("This session's place no longer exists in the scenario (the file was edited). "
                                    "Rewind with Ctrl+R or end with F8.", "bold $text-error"), classes="note ending")]
    out: list[Widget] = [ClientSays(name, cur.text, cur.cue, current=True)]
    if view.hint:
        out.append(Note(Content.assemble(Content.styled("Hint — ", "bold $text-success"), Content(view.hint)),
                        classes="note hint"))
    return out


def _after_reply(turn, session: "Session", view: View) -> list[Widget]:
    """A sprung trap's teaching note once the label shows, then the client's immediate reaction
    once the reaction is revealed (before the reveal it would give the label away)."""
    out: list[Widget] = []
    if turn.trap is not None and view.label_shown(turn.index):
        out.append(TrapNote(turn.trap.when, turn.trap.note))
    return out


def _reaction(turn, session: "Session", view: View) -> list[Widget]:
    if turn.reaction and view.reaction_shown(turn.index):
        return [ClientSays(session.scenario.persona.name, turn.reaction, reaction=True)]
    return []


def _feedback(turn, session: "Session", view: View) -> list[Widget]:
    if view.label_shown(turn.index):
        return [TurnFeedback(turn, session.scenario, show_model=turn.index in view.model_shown,
                             show_changes=view.reaction_shown(turn.index))]
    out: list[Widget] = []
    if view.mode != "end":
        out.append(HiddenFeedback("Label hidden for discussion — F4 reveals it."))
    if turn.index in view.model_shown:
        out.append(Note(model_only(turn)))
    return out


def conversation_widgets(session: "Session", view: View, briefing: Content) -> list[Widget]:
    """The whole conversation, oldest first."""
    name = session.scenario.persona.name
    out: list[Widget] = [Note(briefing, classes="note briefing")]
    for t in session.turns:
        out.append(ClientSays(name, t.client_line, t.cue))
        out.append(StudentSays(t, highlight=view.label_shown(t.index)))
        out += _after_reply(t, session, view)
        out += _feedback(t, session, view)
        out += _reaction(t, session, view)
    return out + _now_widgets(session, view)


def stage_widgets(session: "Session", view: View, briefing: Content) -> list[Widget]:
    """The current exchange, large: the line replied to, the reply, the label as a banner (or the
    discussion box), then the client's reaction once revealed."""
    name = session.scenario.persona.name
    if not session.turns:
        return [Note(briefing, classes="note briefing")] + _now_widgets(session, view)
    t = session.turns[-1]
    out: list[Widget] = [ClientSays(name, t.client_line, t.cue),
                         StudentSays(t, highlight=view.label_shown(t.index))]
    if view.label_shown(t.index):
        out.append(LabelBanner(t.assessment.label, ", ".join(t.assessment.kinds)))
        out.append(TurnFeedback(t, session.scenario, show_model=t.index in view.model_shown,
                                show_changes=view.reaction_shown(t.index), show_label=False))
        out += _after_reply(t, session, view)
    elif view.mode == "end":
        out += _feedback(t, session, view)
    else:
        out.append(Note(Content.assemble(Content.styled("DISCUSSION", "bold reverse"),
                                         Content.styled("  What would you call this reply, and why? "
                                                        "The label is hidden: F4 (or F6) reveals it.", "bold")),
                        classes="note discussion"))
        if t.index in view.model_shown:
            out.append(Note(model_only(t)))
    return out + _reaction(t, session, view) + _now_widgets(session, view)
