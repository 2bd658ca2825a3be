"""Keeping text from files off the terminal's control channel, in the app.

Scenario and rubric files with control characters do not load (E014), so what still brings them
in is a record, a file name, an exception's message or a pasted reply. Two layers:

- where such text enters the app (cards, records, notifications, the command palette, a
  submitted reply), `shown` replaces each control character by one visible character (␛, ␡,
  U+FFFD), in place, so a reader sees that something was there and evidence offsets still hold;
- `SafeLines`, a line filter the app puts after every widget's rendering, drops any control
  character that got past the first layer before it reaches the terminal. Nothing a widget
  renders can bypass it.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.filter import LineFilter
from textual.markup import escape

from roleplay.core.io.terminal import UNSAFE, terminal_safe


def shown(text: Any) -> str:
    """Text for a widget: every control character replaced in place by a visible one."""
    return terminal_safe(text if isinstance(text, str) else str(text), in_place=True)


def shown_markup(text: Any) -> str:
    """Text for a place that reads Textual markup (the command palette): shown, and escaped,
    so "[@click=app.quit]" in a title is text, not an action."""
    return escape(shown(text))


def shown_record(value: Any) -> Any:
    """A record (or any JSON value) with every string shown: for display, and for a session
    restored in the app (same lengths, so evidence offsets stay valid)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown(k) if isinstance(k, str) else k: shown_record(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shown_record(v) for v in value]
    return value


class SafeLines(LineFilter):
    """Drops control characters from rendered lines. They take no cells, so the line's width,
    which Textual has already laid out, is unchanged."""

    def apply(self, segments: list[Segment], background) -> list[Segment]:
        if not UNSAFE.search("".join(s.text for s in segments)):
            return segments
        return [Segment(UNSAFE.sub("", s.text), s.style, s.control) if s.text else s for s in segments]
