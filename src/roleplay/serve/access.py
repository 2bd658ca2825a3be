"""Who may use the lab: the access code, each student's pass, names in use, the session cap.

Pure state, no web framework: the server asks it, the tests drive it directly. A pass is a random
token kept in the student's browser as a cookie; the lab maps it to the student's name and folder.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .names import NameProblem, name_key, numbered, safe_name, student_folder

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to mix up on a whiteboard
MIN_CODE = 6
CLAIM_SECONDS = 120  # a name stays taken this long after its browser was last seen, with no session open
PASS_SECONDS = 12 * 3600  # an unused pass is forgotten after this (the student types their name again)
WRONG_CODES = 10  # wrong codes from one address within WRONG_WINDOW before it must wait
WRONG_WINDOW = 300


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the lab on this machine. Only "localhost" and loopback
    addresses count: a name that resolves elsewhere, 0.0.0.0 or "" (every interface) do not."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_code() -> str:
    """Eight characters (40 bits), shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    """Case, spaces and dashes do not matter when a student types the code."""
    return "".join(c for c in str(text).upper() if c not in " -\t")


def code_problem(code: str) -> str | None:
    """Why `code` cannot be an access code, or None."""
    norm = normalise_code(code)
    if len(norm) < MIN_CODE:
        return f"an access code needs at least {MIN_CODE} letters or digits"
    if not norm.isascii() or not norm.isalnum():
        return "an access code may have only letters, digits, spaces and dashes"
    return None


class JoinRefused(Exception):
    """The join page's answer: what went wrong, in words for the student, and which field."""

    def __init__(self, message: str, field: str = "name", suggestion: str = "", status: int = 400) -> None:
        super().__init__(message)
        self.message, self.field, self.suggestion, self.status = message, field, suggestion, status


@dataclass
class Pass:
    token: str
    name: str
    key: str
    folder: Path
    last_seen: float
    live: int = 0  # this browser's sessions open now


@dataclass
class Lab:
    students: Path
    code: str | None
    max_sessions: int
    clock: Callable[[], float] = time.monotonic
    passes: dict[str, Pass] = field(default_factory=dict)
    sessions: int = 0
    _wrong: dict[str, list[float]] = field(default_factory=dict)

    @property
    def code_required(self) -> bool:
        return bool(self.code)

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    # --- joining --------------------------------------------------------------------------

    def join(self, raw_name: str, code: str = "", remote: str = "", current: str | None = None) -> Pass:
        """A new pass for a student, or JoinRefused. `current` is the browser's pass, if it has one:
        a student who joins again under the same name is not kept out by their own pass."""
        now = self.clock()
        self._forget_old(now)
        if self.code_required:
            tries = [t for t in self._wrong.get(remote, []) if now - t < WRONG_WINDOW]
            self._wrong[remote] = tries
            if len(tries) >= WRONG_CODES:
                raise JoinRefused("Too many wrong codes from this computer. Wait five minutes, then try again.",
                                  field="code", status=429)
            if not hmac.compare_digest(normalise_code(code).encode(), normalise_code(self.code or "").encode()):
                tries.append(now)
                raise JoinRefused("That access code is not right. Ask your instructor for the code.",
                                  field="code", status=403)
        try:
            name = safe_name(raw_name)
        except NameProblem as exc:
            raise JoinRefused(str(exc)) from None
        key = name_key(name)
        mine = self.passes.get(current or "")
        taken = {p.key for p in self.passes.values() if p is not mine and self._in_use(p, now)}
        if key in taken:
            other = numbered(name, taken)
            raise JoinRefused(f"Someone is already using the name “{name}” right now. If that is not you, "
                              f"add a number or your initial, for example “{other}”. (If it is you in another "
                              "tab or computer, close that one first.)", suggestion=other, status=409)
        try:
            folder = student_folder(self.students, name)
        except NameProblem as exc:
            raise JoinRefused(str(exc)) from None
        # The name is free: older passes for it (browsers that left) no longer open it.
        for token in [t for t, p in self.passes.items() if p.key == key and p.live == 0]:
            del self.passes[token]
        new = Pass(secrets.token_urlsafe(32), name, key, folder, now)
        self.passes[new.token] = new
        return new

    def pass_for(self, token: str | None) -> Pass | None:
        """The pass behind a cookie, if it is still good; seeing it keeps the student's name taken."""
        p = self.passes.get(token or "")
        if p is None:
            return None
        now = self.clock()
        if p.live == 0 and now - p.last_seen > PASS_SECONDS:
            del self.passes[p.token]
            return None
        p.last_seen = now
        return p

    def _in_use(self, p: Pass, now: float) -> bool:
        return p.live > 0 or now - p.last_seen < CLAIM_SECONDS

    def _forget_old(self, now: float) -> None:
        for token in [t for t, p in self.passes.items() if p.live == 0 and now - p.last_seen > PASS_SECONDS]:
            del self.passes[token]

    # --- sessions ---------------------------------------------------------------------------

    def open_session(self, p: Pass) -> bool:
        """Take a place for one app process; False when the lab is full."""
        if self.full:
            return False
        self.sessions += 1
        p.live += 1
        p.last_seen = self.clock()
        return True

    def close_session(self, p: Pass) -> None:
        self.sessions = max(0, self.sessions - 1)
        p.live = max(0, p.live - 1)
        p.last_seen = self.clock()
