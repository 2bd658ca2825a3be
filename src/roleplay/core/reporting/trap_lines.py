"""The teaching moments a session sprang (scenario traps), as the debrief lists them."""

from __future__ import annotations

from roleplay.core.session.record_types import SessionRecord


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def trap_lines(record: SessionRecord) -> list[str]:
    """One line per sprung trap, in turn order: the turn, what it was, the note, the reply quoted."""
    return [f"Turn {t.index}: {t.trap.when}. {t.trap.note} (You said: “{_clip(t.reply)}”)"
            for t in record.turns if t.trap is not None]


__all__ = ["trap_lines"]
