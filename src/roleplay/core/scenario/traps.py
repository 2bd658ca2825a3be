"""Scenario traps: whether a student's reply springs a teaching moment a scenario declares.

A trap is sprung by a cue (a regular expression, case-insensitive) found in the reply, or by a
reply close to one of its phrasings: at least 80% of the phrasing's words in the reply, in any
order (a longer reply that contains the phrasing springs it; a reply of one shared word does not). A reply that says "not" where the phrasing does not (or the other way round) is not
the same promise, so negation must agree. Patterns come from scenario files, so the ones that can
take exponential time (a repeated group that itself repeats, like `(a+)+`) are refused up front.
"""

from __future__ import annotations

import re

from roleplay.core.scenario.model import Trap

MAX_PATTERN = 200
PHRASING_MATCH = 0.8  # the share of a phrasing's words a reply must contain
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_WORD = re.compile(r"[a-z0-9']+")
_NEGATION = {"not", "no", "never", "nobody", "nothing", "cannot", "can't", "won't", "don't", "isn't",
             "aren't", "wouldn't", "couldn't", "shouldn't", "doesn't", "didn't", "can’t", "won’t"}


def pattern_problem(pattern: str) -> str | None:
    """Why a cue pattern cannot be used, in words, or None."""
    if len(pattern) > MAX_PATTERN:
        return f"is {len(pattern)} characters long; keep a cue under {MAX_PATTERN}"
    if _NESTED.search(pattern):
        return ("repeats a group that itself repeats (like `(a+)+`), which can take for ever on a long "
                "reply: drop the inner + or *")
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a pattern roleplay can read ({exc})"
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _negated(words: list[str]) -> bool:
    return any(w in _NEGATION or w.endswith("n't") for w in words)


def sprung(trap: Trap, reply: str) -> bool:
    """Whether `reply` springs `trap`."""
    if not reply.strip():
        return False
    for cue in trap.cues:
        if pattern_problem(cue) is None and re.search(cue, reply, re.I):
            return True
    words = _words(reply)
    have = set(words)
    for phrasing in trap.phrasings:
        pw = set(_words(phrasing))
        if pw and _negated(list(pw)) == _negated(words) and len(pw & have) >= PHRASING_MATCH * len(pw):
            return True
    return False


__all__ = ["MAX_PATTERN", "PHRASING_MATCH", "pattern_problem", "sprung"]
