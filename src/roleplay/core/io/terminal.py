"""Text that is safe to print on a terminal.

A reply, a scenario or a record can carry escape sequences (clear the screen, set the window
title, write to the clipboard with OSC 52) or bidi overrides that disguise what is shown. Every
such character is shown as a visible escape instead: "\\x1b", "\\u202e".
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]")


def _show(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character that could act on a terminal made visible."""
    return _UNSAFE.sub(_show, text) if _UNSAFE.search(text) else text
