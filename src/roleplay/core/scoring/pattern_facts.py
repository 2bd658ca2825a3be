"""What the literal analysis (literals.py) says of each cue pattern, remembered between runs.

Reading a few hundred cue regexes with that analysis took about 0.4 s of every start, for
answers that only change when a pattern does. They are kept in the data folder's cache, keyed
by a digest of the pattern text and the analysis version; a missing, damaged or foreign cache
file is simply recomputed, and a cache that cannot be written is not an error.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass

from .literals import first_two_words, first_words, literal_clauses, nested_unbounded

VERSION = 3  # raise when literals.py answers differently, so old caches are not trusted
_MAX_ENTRIES = 5000  # rubrics edited many times: start afresh rather than grow for ever


@dataclass(frozen=True)
class Facts:
    needs: tuple[str, ...] | None  # one of these strings occurs in every match
    also: tuple[str, ...] | None  # ... and one of these
    first: frozenset[str] | None  # what a match's first word is or starts with
    nested: bool  # an unbounded repeat inside an unbounded repeat (refused)
    lead: frozenset[str] | None  # what a match starts with, up to its second word


def compute(pattern: str) -> Facts:
    needs, also = literal_clauses(pattern)
    lead = first_two_words(pattern)
    # Where the first two words are known, the first word is each lead up to its first space.
    first = frozenset(w[:w.index(" ") + 1] for w in lead) if lead is not None else first_words(pattern)
    return Facts(needs, also, first, nested_unbounded(pattern), lead)


_memo: dict[str, Facts] = {}
_loaded = False
_dirty = False


def _key(pattern: str) -> str:
    # A cached pattern also compiled on this Python (the loader analyses only patterns that do).
    salt = f"{VERSION}|{sys.version_info[0]}.{sys.version_info[1]}|".encode()
    return hashlib.blake2b(salt + pattern.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _path():
    from roleplay.core.io.paths import cache_dir

    return cache_dir() / "cue-facts.json"


def _tuple(v) -> tuple[str, ...] | None:
    if v is None:
        return None
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ValueError("not a list of strings")
    return tuple(v)


def _load() -> None:
    global _loaded
    _loaded = True
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("facts"), dict):
            return
        for key, v in data["facts"].items():
            if not isinstance(v, list) or len(v) != 5 or not isinstance(v[3], bool):
                return  # a damaged file: recompute everything rather than trust part of it
            first, lead = _tuple(v[2]), _tuple(v[4])
            _memo.setdefault(key, Facts(_tuple(v[0]), _tuple(v[1]), None if first is None else frozenset(first), v[3],
                                        None if lead is None else frozenset(lead)))
    except (OSError, ValueError, TypeError, AttributeError):
        return


def facts(pattern: str) -> Facts:
    """The analysis of one (expanded) cue pattern, from the cache when it is there."""
    global _dirty
    if not _loaded:
        _load()
    key = _key(pattern)
    f = _memo.get(key)
    if f is None:
        f = _memo[key] = compute(pattern)
        _dirty = True
    return f


def save() -> None:
    """Write the cache if anything was added (the rubric loader calls this once per rubric)."""
    global _dirty
    if not _dirty:
        return
    _dirty = False
    items = list(_memo.items())[-_MAX_ENTRIES:]
    out = {k: [None if f.needs is None else list(f.needs), None if f.also is None else list(f.also),
               None if f.first is None else sorted(f.first), f.nested,
               None if f.lead is None else sorted(f.lead)] for k, f in items}
    try:
        from roleplay.core.io.atomic import atomic_write

        atomic_write(_path(), json.dumps({"version": VERSION, "facts": out}, separators=(",", ":")))
    except OSError:
        pass  # a read-only data folder only costs the next start its speed
