"""One practice session as the views drive it: reply, rewind, hint, model reply, end early and
save. `roleplay play` and the app's session screen are views over this, so both keep the same
record, give the same hint and name the same words for a turn.
"""

from __future__ import annotations

from typing import Callable

from roleplay.core.assessment import Evidence, shown_evidence
from roleplay.core.session.engine import Session, Turn

Saver = Callable[[dict], object]


def save_record(record: dict) -> None:
    from roleplay.core.session import records

    records.save(record)


class Practice:
    """Wraps an engine Session; every change is saved before the next client line is shown."""

    def __init__(self, session: Session, saver: Saver | None = save_record) -> None:
        self.session = session
        self.saver = saver
        self.last_error: str | None = None

    # -- what the student does -------------------------------------------------------------

    def submit(self, text: str) -> Turn:
        """Score the reply and move the story on; raises the engine's EmptyReply / SessionOver."""
        turn = self.session.respond(text)
        self.save()
        return turn

    def rewind(self) -> Turn | None:
        """Take back the last reply (returned, so a view can put its text back in the box)."""
        turn = self.session.undo()
        if turn is not None:
            self.save()
        return turn

    def end_early(self) -> bool:
        """End before an ending, for the debrief; False when there is nothing to end yet."""
        if self.session.finished:
            return True
        if not self.session.turns:
            return False
        self.session.end_early()
        self.save()
        return True

    # -- what the student can ask for --------------------------------------------------------

    def hint(self) -> str | None:
        """A nudge for this moment: the feeling to notice and a question to ask oneself. Never a
        sentence to copy; the model reply (F3, /model) is the worked example."""
        s = self.session
        if s.node is None or s.finished:
            return None
        name = (s.scenario.persona.name or "the client").split()[0]
        mood = (s.mood or "").strip()
        notice = f"Notice: {name} seems {mood}." if mood else f"Notice how {name} sounds right now."
        return (f"{notice} Ask yourself: what is {name} feeling under these words, and can you say "
                f"that back in your own words before you explain, reassure or advise?")

    def model_reply(self) -> str | None:
        node = self.session.node
        return node.model_reply if node is not None and node.model_reply else None

    @staticmethod
    def evidence(turn: Turn) -> list[Evidence]:
        """The words every view names for a turn."""
        return shown_evidence(turn.assessment, turn.reply)

    # -- keeping it --------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the record; on failure keep going and remember why (last_error) for the view."""
        if self.saver is None:
            return False
        try:
            self.saver(self.session.to_dict())
        except (OSError, ValueError, TypeError) as exc:
            self.last_error = f"Could not save this session: {exc}"
            return False
        self.last_error = None
        return True
