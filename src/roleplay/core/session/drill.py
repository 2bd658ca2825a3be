"""A drill: a run of single client lines from the corpus, one reply each, scored at once.

The student replies; the reply is scored as a session turn is (the same scorer, the same evidence:
assessment.shown_evidence); they may try the same line once more, then go on. Every reply, a
retried one too, is saved in the drill's record before the next step. `roleplay drill` and the
app's drill screen are views over this controller. No I/O here: saving goes through `saver`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Sequence

from roleplay.core.assessment import Assessment, Context, Evidence, Scorer, shown_evidence
from roleplay.core.labels import EMPATHIC
from roleplay.core.session.drill_corpus import DrillItem
from roleplay.core.session.engine import MAX_REPLY_CHARS, EmptyReply

DRILL_TYPE = "drill"
FORMAT = 1
RETRIES = 1  # a line may be tried again once

Saver = Callable[[dict], object]


class DrillStateError(Exception):
    """A step the drill cannot take now (a reply when none is awaited, a second retry)."""


def new_drill_id(now: datetime) -> str:
    return f"drill-{now.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class DrillAttempt:
    """One reply to one drill line (`attempt` 2 is the retry)."""

    n: int  # the line's place in the drill, 1-based
    item: DrillItem
    attempt: int
    reply: str
    assessment: Assessment
    at: str = ""

    @property
    def label(self) -> str:
        return self.assessment.label

    @property
    def kind(self) -> str:
        return self.assessment.kind or ""

    def evidence(self) -> list[Evidence]:
        """The words every view names for this reply (as for a session turn)."""
        return shown_evidence(self.assessment, self.reply)

    def to_dict(self) -> dict[str, Any]:
        a = self.assessment
        return {"n": self.n, "situation": self.item.situation, "area": self.item.area, "attempt": self.attempt,
                "client_line": self.item.client, "reply": self.reply, "label": a.label, "kind": self.kind,
                "kinds": list(a.kinds), "confidence": round(a.confidence, 4),
                "evidence": [e.to_dict() for e in self.evidence()], "feedback": a.feedback, "at": self.at}


class Drill:
    """The drill's state: where the student is, what they replied, what is saved."""

    def __init__(self, items: Sequence[DrillItem], scorer: Scorer | None, *, id: str = "drill", student: str = "",
                 clock: Callable[[], str] | None = None, saver: Saver | None = None, focus: str | None = None,
                 setting: str | None = None, excluded: Iterable[str] = (), seed: int = 0) -> None:
        self.items = list(items)
        self.scorer = scorer
        self.id = id
        self.student = student
        self.clock = clock
        self.saver = saver
        self.focus = focus
        self.setting = setting
        self.excluded = tuple(excluded)
        self.seed = seed
        self.started_at = clock() if clock else ""
        self.position = 0  # index of the current line; len(items) once past the last
        self.attempts: list[DrillAttempt] = []
        self.retrying = False
        self.finished = False
        self.last_error: str | None = None

    # -- where the drill stands ------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def current(self) -> DrillItem | None:
        return self.items[self.position] if not self.finished and self.position < len(self.items) else None

    def attempts_at(self, position: int | None = None) -> list[DrillAttempt]:
        n = (self.position if position is None else position) + 1
        return [a for a in self.attempts if a.n == n]

    @property
    def awaiting_reply(self) -> bool:
        return self.current is not None and (not self.attempts_at() or self.retrying)

    @property
    def can_retry(self) -> bool:
        return self.current is not None and not self.retrying and 0 < len(self.attempts_at()) <= RETRIES

    def context(self) -> Context:
        item = self.current
        if item is None:
            return Context()
        return Context(client=item.client, model_reply=item.example)

    # -- what the student does -------------------------------------------------------------

    def assess(self, text: str) -> Assessment:
        """Score a reply to the current line without changing the drill (safe in a worker thread)."""
        if not text or not text.strip():
            raise EmptyReply("an empty reply")
        if not self.awaiting_reply:
            raise DrillStateError("no reply is awaited now")
        if self.scorer is None:
            raise DrillStateError("the scorer is not ready")
        return self.scorer.assess(text[:MAX_REPLY_CHARS], self.context())

    def record(self, text: str, assessment: Assessment) -> DrillAttempt:
        """Keep a scored reply to the current line and save the record."""
        item = self.current
        if item is None or not self.awaiting_reply:
            raise DrillStateError("no reply is awaited now")
        attempt = DrillAttempt(self.position + 1, item, len(self.attempts_at()) + 1, text, assessment,
                               self.clock() if self.clock else "")
        self.attempts.append(attempt)
        self.retrying = False
        self.save()
        return attempt

    def submit(self, text: str) -> DrillAttempt:
        """Score and keep a reply; raises EmptyReply or DrillStateError."""
        return self.record(text, self.assess(text))

    def retry(self) -> bool:
        """Open the current line for one more reply; False when that is not allowed now."""
        if not self.can_retry:
            return False
        self.retrying = True
        return True

    def next(self) -> DrillItem | None:
        """Go on to the next line (skipping this one if it has no reply); finishes after the last."""
        if self.finished:
            return None
        self.retrying = False
        self.position = min(self.position + 1, len(self.items))
        if self.position >= len(self.items):
            self.finish()
            return None
        return self.current

    def finish(self) -> None:
        self.finished = True
        self.retrying = False
        if self.attempts:  # a drill left before any reply leaves no record
            self.save()

    # -- what it comes to --------------------------------------------------------------------

    def first_tries(self) -> list[DrillAttempt]:
        return [a for a in self.attempts if a.attempt == 1]

    def summary(self) -> dict[str, int]:
        """Counts for the end of a drill: lines answered, empathic at the first try, retries, and
        retries that became empathic after a first try that was not."""
        first = {a.n: a for a in self.first_tries()}
        retries = [a for a in self.attempts if a.attempt > 1]
        return {"lines": self.total, "answered": len(first),
                "empathic_first": sum(1 for a in first.values() if a.label == EMPATHIC),
                "retries": len(retries),
                "improved": sum(1 for a in retries if a.label == EMPATHIC and first[a.n].label != EMPATHIC)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": DRILL_TYPE, "version": FORMAT, "id": self.id, "student": self.student,
            "started_at": self.started_at,
            "updated_at": self.attempts[-1].at if self.attempts else self.started_at,
            "focus": self.focus, "setting": self.setting, "excluded": list(self.excluded), "seed": self.seed,
            "items": [{"situation": it.situation, "area": it.area, "content": list(it.content)} for it in self.items],
            "replies": [a.to_dict() for a in self.attempts],
            "position": self.position, "finished": self.finished,
        }

    def save(self) -> bool:
        """Save the record; on failure keep going and remember why (last_error) for the view."""
        if self.saver is None:
            return False
        try:
            self.saver(self.to_dict())
        except (OSError, ValueError, TypeError) as exc:
            self.last_error = f"Could not save this drill: {exc}"
            return False
        self.last_error = None
        return True
