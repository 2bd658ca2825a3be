"""Text that is safe to print on a terminal.

A reply, a scenario or a record can carry escape sequences (clear the screen, set the window
title, write to the clipboard with OSC 52) or bidi overrides that disguise what is shown. Every
such character is shown as a visible escape instead: "\\x1b", "\\u009b", "\\u202e".

C0 controls are shown as \\xNN and everything else as \\uNNNN. json.dumps never leaves a C0
control raw, and \\uNNNN is itself a JSON escape, so a JSON line passed through here stays valid
JSON that decodes to the same text.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and bidi embeddings/overrides/isolates.
UNSAFE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]")


def _show(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x20 else f"\\u{c:04x}"


def _picture(m: re.Match) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    return "\u2421" if c == 0x7F else "\ufffd"


def terminal_safe(text: str, *, in_place: bool = False) -> str:
    """`text` with every control character that could act on a terminal made visible.

    in_place: replace each one with a single visible character (␛, ␡, U+FFFD) instead, so that
    offsets into the text (evidence spans) stay valid; for the app's widgets."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(_picture if in_place else _show, text)


def first_unsafe(text: str) -> int:
    """The index of the first unsafe character in `text`, or -1."""
    m = UNSAFE.search(text)
    return m.start() if m else -1
