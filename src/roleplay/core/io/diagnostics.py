"""Diagnostics in the form every tool here prints: `path:line:col: error[CODE]: message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from roleplay.core.io.terminal import terminal_safe

ERROR = "error"
WARNING = "warning"
INFO = "info"  # worth knowing, never a reason to change the file (and never fails --strict)


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    severity: str  # ERROR or WARNING
    code: str  # stable, e.g. "E101"
    message: str
    detail: str = ""  # the YAML parser's own words, for experts: printed as a second line

    def __str__(self) -> str:
        # A file name or a quoted value can carry escape sequences: shown, never acted on.
        head = terminal_safe(f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}")
        return f"{head}\n    {terminal_safe(self.detail)}" if self.detail else head

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            **({"detail": self.detail} if self.detail else {}),
        }


class Reporter:
    """Collects the diagnostics of one file, for the loaders and checkers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []

    def err(self, pos: tuple[int, int], code: str, msg: str) -> None:
        self.diags.append(Diagnostic(self.path, pos[0], pos[1], ERROR, code, msg))

    def warn(self, pos: tuple[int, int], code: str, msg: str) -> None:
        self.diags.append(Diagnostic(self.path, pos[0], pos[1], WARNING, code, msg))

    def info(self, pos: tuple[int, int], code: str, msg: str) -> None:
        self.diags.append(Diagnostic(self.path, pos[0], pos[1], INFO, code, msg))


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diags)


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.code)
