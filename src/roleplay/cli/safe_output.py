"""The one way out to the terminal: every command's stdout and stderr pass through here.

`main` wraps sys.stdout and sys.stderr for the length of a command, so whatever a command prints
(scenario text, file names, records, error messages, argparse's own errors) is made terminal-safe
(core.io.terminal) without each print having to remember it. The only escape sequences that
reach the terminal are the fixed colours of `write_styled`, around text that is made safe too.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator

from roleplay.core.io.terminal import terminal_safe

# The only styles a command may ask for: a fixed table, so no text can choose its own sequence.
STYLES = {"green": "\033[1;32m", "yellow": "\033[1;33m", "red": "\033[1;31m", "cyan": "\033[1;36m"}
_RESET = "\033[0m"


class SafeStream(io.TextIOBase):
    """A text stream that neutralises control characters on the way to `raw`."""

    def __init__(self, raw) -> None:
        super().__init__()
        self.raw = raw

    def write(self, s: str) -> int:
        self.raw.write(terminal_safe(s))
        return len(s)

    def write_styled(self, parts: Iterable[tuple[str, str | None]]) -> None:
        """Write (text, style) parts; the style's colour only on a terminal, the text always safe."""
        colour = self.isatty()
        out = []
        for text, style in parts:
            safe = terminal_safe(text)
            out.append(f"{STYLES[style]}{safe}{_RESET}" if colour and style in STYLES else safe)
        self.raw.write("".join(out))

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        try:
            return bool(self.raw.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:
        return getattr(self.raw, "errors", None)


def write_styled(parts: Iterable[tuple[str, str | None]]) -> None:
    """Styled output on stdout; outside `safe_streams` (a direct call in a test) the text is
    still made safe, without colour."""
    out = sys.stdout
    if isinstance(out, SafeStream):
        out.write_styled(parts)
    else:
        out.write("".join(terminal_safe(text) for text, _ in parts))


def ask(prompt: str) -> str:
    """input() with a safe prompt: on a terminal, input() writes its prompt past sys.stdout."""
    return input(terminal_safe(prompt))


@contextmanager
def safe_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr neutralised until the block ends (then restored as they were)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = SafeStream(out) if out is not None and not isinstance(out, SafeStream) else out
    sys.stderr = SafeStream(err) if err is not None and not isinstance(err, SafeStream) else err
    try:
        yield
    finally:
        try:
            if sys.stdout is not out and isinstance(sys.stdout, SafeStream):
                sys.stdout.flush()
        except (OSError, ValueError):
            pass
        sys.stdout, sys.stderr = out, err
