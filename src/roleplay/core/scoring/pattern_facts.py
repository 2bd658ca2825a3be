"""What the literal analysis (literals.py) says of each cue pattern, remembered between runs.

Reading a few hundred cue regexes with that analysis took about 0.4 s of every start, for
answers that only change when a pattern does. They are kept in the data folder's cache, keyed
by a digest of the pattern text and the analysis version; a missing, damaged or foreign cache
file is simply recomputed, and a cache that cannot be written is not an error.

The built-in rubric's answers also ship with it (rubrics/cue-facts.json, written by
`roleplay train`), so even the first start on a new machine, or one whose data folder cannot be
written, does not pay for them.
"""

from __future__ import annotations

import hashlib
import json
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
    # Not the Python version: literals.py reads patterns with its own parser, and the loader only
    # analyses a pattern after this Python has compiled it.
    salt = f"{VERSION}|".encode()
    return hashlib.blake2b(salt + pattern.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _path():
    from roleplay.core.io.paths import cache_dir

    return cache_dir() / "cue-facts.json"


def shipped_path():
    """The built-in rubric's facts, shipped beside it."""
    from roleplay.core.io.paths import builtin_dir

    return builtin_dir("rubrics") / "cue-facts.json"


def _tuple(v) -> tuple[str, ...] | None:
    if v is None:
        return None
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ValueError("not a list of strings")
    return tuple(v)


def _load() -> None:
    global _loaded
    _loaded = True
    for path in (shipped_path(), _path()):
        _memo.update((k, f) for k, f in _read(path).items() if k not in _memo)


def _read(path) -> dict[str, Facts]:
    """The facts in one file; none when it is missing, damaged (not even part of it) or foreign."""
    out: dict[str, Facts] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("facts"), dict):
            return {}
        for key, v in data["facts"].items():
            if not isinstance(v, list) or len(v) != 5 or not isinstance(v[3], bool):
                return {}  # a damaged file: recompute everything rather than trust part of it
            first, lead = _tuple(v[2]), _tuple(v[4])
            out[key] = Facts(_tuple(v[0]), _tuple(v[1]), None if first is None else frozenset(first), v[3],
                             None if lead is None else frozenset(lead))
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
    return out


def _encode(f: Facts) -> list:
    return [None if f.needs is None else list(f.needs), None if f.also is None else list(f.also),
            None if f.first is None else sorted(f.first), f.nested, None if f.lead is None else sorted(f.lead)]


def shipped_text(patterns) -> str:
    """The shipped file for these (expanded) cue patterns: their facts, worked out afresh."""
    facts_ = {_key(p): _encode(compute(p)) for p in set(patterns)}
    return json.dumps({"version": VERSION, "facts": dict(sorted(facts_.items()))}, separators=(",", ":"),
                      ensure_ascii=False) + "\n"


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
    out = {k: _encode(f) for k, f in items}
    try:
        from roleplay.core.io.atomic import atomic_write

        atomic_write(_path(), json.dumps({"version": VERSION, "facts": out}, separators=(",", ":")))
    except OSError:
        pass  # a read-only data folder only costs the next start its speed
