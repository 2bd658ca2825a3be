"""One practice session as the views drive it: resume, reply, rewind, hint, model reply, end
early, save, and follow the scenario file while an author edits it. `roleplay play` and the app's
session screen are views over this, so both keep the same record, give the same hint, skip the
same records and name the same words for a turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from roleplay.core.assessment import Evidence, shown_evidence
from roleplay.core.io.diagnostics import Diagnostic
from roleplay.core.scenario.model import Scenario
from roleplay.core.session.engine import Session, Turn
from roleplay.core.session.rebase import fit_state, fits, place, rebase
from roleplay.core.session.record_lock import SessionBusy, SessionLock
from roleplay.core.session.record_types import SessionRecord
from roleplay.core.session.records import RecordInfo
from roleplay.core.session.resume import CannotResume, Restore, Skip, take_up

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


class Watcher(Protocol):
    """What Practice.follow needs of a watcher (core/authoring/watch.py's ScenarioWatcher)."""

    scenario: Scenario | None  # the last version that loaded without errors

    def poll(self) -> tuple[bool, Scenario | None, list[Diagnostic]]: ...


RELOADED, CAUGHT_UP, BEHIND, BROKEN = "reloaded", "caught up", "behind", "broken"


@dataclass(frozen=True)
class ScenarioNews:
    """What a look at the followed scenario file found, for a view to show in its own words.
    RELOADED: the session is on the new version. CAUGHT_UP: it was left on an older one and is on
    the newest now (its place is back). BEHIND: its place is not in the new version, so it goes on
    with the one it has. BROKEN: the save has errors; the last good version goes on."""

    kind: str
    note: str = ""  # what happened, in words (rebase's)
    diagnostics: tuple[Diagnostic, ...] = ()  # the new version's warnings, or the broken save's errors
    place: str = ""  # BEHIND: the turn (or ending) the student is at


@dataclass
class Resumed:
    """What Practice.resume found: the practice taken up again and its record's lock, what was
    skipped on the way, or why it was refused (the session is open in another roleplay)."""

    practice: "Practice | None" = None
    lock: SessionLock | None = None
    skipped: list[Skip] = field(default_factory=list)
    refused: str | None = None


class Practice:
    """Wraps an engine Session; every change is saved before the next client line is shown."""

    def __init__(self, session: Session, saver: Saver | None = save_record) -> None:
        self.session = session
        self.saver = saver
        self.last_error: str | None = None
        self._told: str | None = None  # the save problem the student has already been told about
        self.watcher: Watcher | None = None

    @classmethod
    def resume(cls, candidates: Iterable[RecordInfo], restore: Restore, *, saver: Saver | None = save_record) -> Resumed:
        """Take up the first of `candidates` that can be, with its record locked for this process
        (release the lock when done). Damaged records and those whose place is gone are skipped and
        named; one open in another roleplay stops the search (`refused`), and nothing is resumed."""
        out = Resumed()
        for info in candidates:
            try:
                session, lock = take_up(info, restore)
            except SessionBusy as exc:
                out.refused = str(exc)
                return out
            except CannotResume as exc:
                out.skipped.append(exc.skip)
                continue
            out.practice, out.lock = cls(session, saver), lock
            return out
        return out

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
            if self.watcher is not None:
                fit_state(self.session)  # the turn it goes back to may predate a reload
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

    # -- following the scenario file while an author edits it ----------------------------------

    def follow(self, watcher: Watcher | None) -> None:
        """Look at the scenario file through `watcher` from now on (None: stop). Its current version
        should be the session's (ScenarioWatcher.adopt)."""
        self.watcher = watcher
        if watcher is not None:
            fit_state(self.session)  # a resumed session may predate the file's variables

    def poll_scenario(self) -> ScenarioNews | None:
        """Look once: a saved change is played from the student's place on, a broken one leaves the
        last good version playing, and a session left behind moves onto the newest version once its
        place is back. Saved when it moved. None when there is nothing new."""
        watcher = self.watcher
        if watcher is None:
            return None
        changed, new, diags = watcher.poll()
        if changed and new is None:
            return ScenarioNews(BROKEN, diagnostics=tuple(diags))
        kind = RELOADED
        if not changed:  # left on an older version because its place had gone: a rewind may bring it back
            new, diags, kind = watcher.scenario, [], CAUGHT_UP
            if new is None or new is self.session.scenario or not fits(self.session, new):
                return None
        assert new is not None
        note = rebase(self.session, new)
        if self.session.scenario is not new:
            return ScenarioNews(BEHIND, note, tuple(diags), place(self.session))
        if self.session.turns:
            self.save()
        return ScenarioNews(kind, note, tuple(diags))

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
