"""One practice session as the views drive it: reply, rewind, hint, model reply, end early and
save. `roleplay play` and the app's session screen are views over this, so both keep the same
record, give the same hint and name the same words for a turn.
"""

from __future__ import annotations

import re
from typing import Callable

from roleplay.core.assessment import Evidence, shown_evidence
from roleplay.core.session.engine import Session, Turn
from roleplay.core.session.record_types import SessionRecord

Saver = Callable[[SessionRecord], object]
_NOT_TEXT = re.compile("[\ud800-\udfff]")  # lone surrogates, and bytes that were not UTF-8 (surrogateescape)


def save_record(record: SessionRecord) -> None:
    from roleplay.core.session import records

    records.save(record)


def repaired(text: str) -> tuple[str, tuple[str, ...]]:
    """The reply with anything that is not text (invalid UTF-8 kept as surrogate escapes, lone
    surrogates) replaced by U+FFFD, and a note saying so for the record."""
    found = len(_NOT_TEXT.findall(text)) if not text.isascii() else 0
    if not found:
        return text, ()
    what = "1 character that was" if found == 1 else f"{found} characters that were"
    return _NOT_TEXT.sub("\ufffd", text), (f"{what} not valid text (invalid UTF-8) replaced with U+FFFD",)


class RecordFullError(Exception):
    """The reply was refused: with it, the record would grow past what can be read back."""


class Practice:
    """Wraps an engine Session; every change is saved before the next client line is shown."""

    def __init__(self, session: Session, saver: Saver | None = save_record) -> None:
        self.session = session
        self.saver = saver
        self.last_error: str | None = None
        self._told: str | None = None  # the save problem the student has already been told about

    # -- what the student does -------------------------------------------------------------

    def submit(self, text: str) -> Turn:
        """Score the reply and move the story on, then save. Raises the engine's EmptyReply,
        ReplyTooLong and SessionOver, and RecordFullError when the record could not take the turn:
        then nothing changes (the turn is not added, the saved record is as it was)."""
        text, notes = repaired(text)
        turn = self.session.respond(text, notes)
        try:
            self._save()
        except RecordFullError:
            self.session.turns.pop()
            raise
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

    def dispute(self, label: str, note: str = "", index: int | None = None) -> Turn:
        """Disagree with a turn's label (the latest by default) and save; the story is unchanged.
        ValueError says in words what is wrong (no turn yet, not a label, the same label)."""
        if not self.session.turns:
            raise ValueError("Reply first: there is no label to disagree with yet.")
        turn = self.session.dispute(index or len(self.session.turns), label, note)
        self.save()
        return turn

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
        try:
            return self._save()
        except RecordFullError as exc:
            self.last_error = str(exc)
            return False

    def _save(self) -> bool:
        if self.saver is None:
            return False
        from roleplay.core.session.records import RecordFull, save_problem

        try:
            self.saver(self.session.to_record())
        except RecordFull as exc:
            raise RecordFullError(f"Not added: with this reply the session's record would grow past what can be "
                                  f"read back ({exc}). Your earlier turns are saved; end the session here "
                                  "and start a new one to go on practising.") from None
        except (OSError, ValueError, TypeError) as exc:
            self.last_error = (f"Could not save this session: {save_problem(exc)}. "
                               "The session goes on, but it is not being saved.")
            return False
        self.last_error = None
        return True

    def news(self) -> str | None:
        """What to tell the student about saving now: a new problem once (not after every reply
        while it lasts), and when saving works again. None when there is nothing new."""
        if self.last_error == self._told:
            return None
        told, self._told = self._told, self.last_error
        if self.last_error is None:
            return "Saving works again: the session is saved." if told else None
        return self.last_error
