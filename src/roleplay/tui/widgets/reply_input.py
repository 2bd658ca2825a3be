"""The reply box: Enter sends, Shift+Enter or Ctrl+J starts a new line."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from .common import blink


class ReplyInput(TextArea):
    """A multi-line text area where Enter submits instead of inserting a newline."""

    class Submitted(Message):
        def __init__(self, reply_input: "ReplyInput", text: str) -> None:
            super().__init__()
            self.reply_input = reply_input
            self.text = text

        @property
        def control(self) -> "ReplyInput":
            return self.reply_input

    NEWLINE_KEYS = ("shift+enter", "ctrl+j", "alt+enter")

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         placeholder=placeholder)

    def on_mount(self) -> None:
        blink(self)

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if event.key in self.NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self.replace("\n", start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)
