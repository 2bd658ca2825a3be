"""A literal prefilter for cue regexes: strings at least one of which every match must contain.

Running a few hundred regexes over every reply is the slowest part of reading it; most cues
can be skipped at once because a word they need is not in the reply. This reads a regex with its
own small parser (the standard library's parser is private), understanding just enough of the
syntax: literals, escapes, classes, groups, lookarounds, alternation and quantifiers. Anything
it does not understand makes it answer "no known need", which only costs speed.
"""

from __future__ import annotations

import re
from functools import lru_cache

_MAX_NEEDS = 600
# Very common words make a weak filter: a set without them is preferred.
_COMMON = frozenset("you your i it that the a an to and is are was be do not of in on for this my me "
                    "so what how he she they we just have has".split())
_QUANT = re.compile(r"\{(\d*)(?:,(\d*))?\}")

# Nodes: ("lit", ch) | ("any",) | ("empty",) | ("digit",) | ("seq", [nodes]) | ("alt", [seq nodes])
#        | ("rep", node, min, unbounded, max: int | None)


class _Unknown(Exception):
    pass


@lru_cache(maxsize=64)  # each analysis below reads the same pattern: parse it once (trees are never changed)
def _parse(p: str):
    pos = 0

    def alt():
        nonlocal pos
        branches = [seq()]
        while pos < len(p) and p[pos] == "|":
            pos += 1
            branches.append(seq())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def seq():
        items = []
        while pos < len(p) and p[pos] not in "|)":
            node = atom()
            items.append(quantified(node))
        return ("seq", items)

    def quantified(node):
        nonlocal pos
        if pos >= len(p):
            return node
        c = p[pos]
        lo = hi = None
        unbounded = False
        if c == "?":
            lo, hi, pos = 0, 1, pos + 1
        elif c == "*":
            lo, pos, unbounded = 0, pos + 1, True
        elif c == "+":
            lo, pos, unbounded = 1, pos + 1, True
        elif c == "{":
            m = _QUANT.match(p, pos)
            if m:
                lo, pos = int(m.group(1) or 0), m.end()
                unbounded = "," in m.group(0) and not m.group(2)
                hi = None if unbounded else int(m.group(2) if "," in m.group(0) else m.group(1) or 0)
        if lo is None:
            return node
        if pos < len(p) and p[pos] in "?+":  # lazy or possessive
            pos += 1
        return ("rep", node, lo, unbounded, hi)

    def atom():
        nonlocal pos
        c = p[pos]
        if c == "(":
            pos += 1
            look = False
            if p.startswith("?", pos):
                if p.startswith("?:", pos):
                    pos += 2
                elif p.startswith(("?=", "?!"), pos):
                    pos, look = pos + 2, True
                elif p.startswith(("?<=", "?<!"), pos):
                    pos, look = pos + 3, True
                elif p.startswith("?P<", pos):
                    pos = p.index(">", pos) + 1
                else:
                    raise _Unknown(p[pos:pos + 3])  # inline flags, conditionals...
            inner = alt()
            if pos >= len(p) or p[pos] != ")":
                raise _Unknown("unbalanced")
            pos += 1
            return ("empty",) if look else inner
        if c == "[":
            pos += 1
            if pos < len(p) and p[pos] == "^":
                pos += 1
            if pos < len(p) and p[pos] == "]":
                pos += 1
            while pos < len(p) and p[pos] != "]":
                pos += 2 if p[pos] == "\\" else 1
            pos += 1
            return ("any",)
        if c == "\\":
            if pos + 1 >= len(p):
                raise _Unknown("trailing backslash")
            e = p[pos + 1]
            pos += 2
            if e in "bBAZ":
                return ("empty",)
            if e == "d":
                return ("digit",)
            if e.isalnum():
                return ("any",)
            return ("lit", e)
        pos += 1
        if c == ".":
            return ("any",)
        if c in "^$":
            return ("empty",)
        return ("lit", c.lower())

    tree = alt()
    if pos != len(p):
        raise _Unknown("unbalanced")
    return tree


def _key(cand: set[str]) -> tuple:
    return (not (cand & _COMMON), min(6, min(len(x) for x in cand)), -len(cand))


def _needs(node, found: list[set[str]] | None = None) -> set[str] | None:
    kind = node[0]
    if kind == "seq":
        return _needs_seq(node[1], found)
    if kind == "alt":
        out: set[str] = set()
        for branch in node[1]:
            n = _needs(branch)
            if not n:
                return None
            out |= n
            if len(out) > _MAX_NEEDS:
                return None
        return out
    if kind == "rep":
        return _needs(node[1]) if node[2] >= 1 else None
    if kind == "digit":
        return set("0123456789")
    return None


def _needs_seq(items, found: list[set[str]] | None) -> set[str] | None:
    """The best set of strings one of which every match of this sequence contains; every
    candidate considered (each is necessary on its own) is appended to `found`."""
    best: set[str] | None = None

    def better(cand: set[str] | None) -> None:
        nonlocal best
        if not cand:
            return
        if found is not None:
            found.append(cand)
        if best is None or _key(cand) > _key(best):
            best = cand

    run: list[str] = []
    for node in list(items) + [None]:
        if node is not None and node[0] == "lit":
            run.append(node[1])
            continue
        if run:
            for frag in "".join(run).split(" "):
                if len(frag) >= 2 and frag.isalnum():
                    better({frag})
            run = []
        if node is None:
            break
        if node[0] == "empty":
            continue
        better(_needs(node))
    return best


def literal_clauses(pattern: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Two independent needs of `pattern`: every match contains one string of the first AND one
    of the second (the second is None when the pattern's top level offers only one)."""
    try:
        tree = _parse(pattern)
    except (_Unknown, ValueError, IndexError):
        return None, None
    found: list[set[str]] = []
    best = _needs(tree, found) if tree[0] != "seq" else _needs_seq(tree[1], found)
    if not best:
        return None, None
    others = sorted((c for c in found if c != best), key=_key, reverse=True)
    return tuple(sorted(best)), (tuple(sorted(others[0])) if others else None)


def _has_unbounded(node) -> bool:
    kind = node[0]
    if kind == "rep":
        return node[3] or _has_unbounded(node[1])
    if kind == "seq":
        return any(_has_unbounded(n) for n in node[1])
    if kind == "alt":
        return any(_has_unbounded(b) for b in node[1])
    return False


def _nested(node) -> bool:
    kind = node[0]
    if kind == "rep":
        return (node[3] and _has_unbounded(node[1])) or _nested(node[1])
    if kind == "seq":
        return any(_nested(n) for n in node[1])
    if kind == "alt":
        return any(_nested(b) for b in node[1])
    return False


def nested_unbounded(pattern: str) -> bool:
    """Does the regex repeat, without bound, something that itself repeats without bound, as in
    `(\\w+\\s?)+`? Python's engine can take exponential time on such a pattern when a reply
    almost matches, so the rubric loader refuses it. Unknown syntax is not called nested."""
    try:
        return _nested(_parse(pattern))
    except (_Unknown, ValueError, IndexError):
        return False


_STOP = ("stop",)  # past here the text is not known


def _items(node) -> list:
    return list(node[1]) if node[0] == "seq" else [node]


def _then(items: list, rest):
    """`items` followed by `rest`, as a chain of (node, rest) pairs: sharing the rest, not copying it."""
    for node in reversed(items):
        rest = (node, rest)
    return rest


def _lead(chain, spaces: int, memo: dict) -> set[str]:
    """Strings one of which every match of this chain of nodes starts with, read as far as the
    text is known and no further than its `spaces`-th space ("" where nothing is known). The
    branches of an alternation share what follows it, so that is read once (`memo`)."""
    if chain is None or spaces == 0:
        return {""}
    key = (id(chain), spaces)
    hit = memo.get(key)
    if hit is not None and hit[0] is chain:
        return hit[1]
    node, rest = chain
    kind = node[0]
    if kind == "empty":  # lookarounds and anchors: ignoring a condition only widens what may match
        out = _lead(rest, spaces, memo)
    elif kind == "lit":
        out = {node[1] + t for t in _lead(rest, spaces - (node[1] == " "), memo)}
    elif kind == "digit":
        out = {d + t for t in _lead(rest, spaces, memo) for d in "0123456789"}
    elif kind == "seq":
        out = _lead(_then(node[1], rest), spaces, memo)
    elif kind == "alt":
        out = set()
        for branch in node[1]:
            out |= _lead(_then(_items(branch), rest), spaces, memo)
            if len(out) > _MAX_NEEDS:
                raise _Unknown("too many")
    elif kind == "rep":
        inner, lo, hi = _items(node[1]), node[2], node[4]
        if hi == 1:  # at most once: with it or without it
            out = _lead(_then(inner, rest), spaces, memo)
        else:  # repeated: known up to the end of the first repetition only
            out = _lead(_then(inner, (_STOP, None)), spaces, memo)
        if lo == 0:
            out = out | _lead(rest, spaces, memo)
    else:
        out = {""}  # a class, any character, _STOP
    memo[key] = (chain, out)  # the chain is kept with its answer, so its id is not reused
    return out


def _leading(pattern: str, spaces: int) -> set[str] | None:
    """_lead for a whole pattern; None when the pattern is not understood."""
    try:
        return _lead(_then(_items(_parse(pattern)), None), spaces, {})
    except (_Unknown, ValueError, IndexError, RecursionError):
        return None


def first_prefixes(pattern: str) -> frozenset[str] | None:
    """Strings one of which the first word of every match starts with; None when unknown.

    A cue with known prefixes need only be tried where a word starts with one of them, instead
    of scanning the whole reply."""
    f = first_words(pattern)
    return None if f is None else frozenset(w.rstrip(" ") for w in f)


def first_words(pattern: str) -> frozenset[str] | None:
    """As first_prefixes, but a string ending in a space is the whole first word ("you "), so
    the cue need only be tried at that exact word, not at every word it begins ("young")."""
    f = _leading(pattern, 1)
    if not f or "" in f or " " in f or len(f) > _MAX_NEEDS:
        return None
    return frozenset(f)


def first_two_words(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match starts with, known up to the end of its second word
    ("you need ", "you sho", or just "you " where the second word is open); None when the first
    word itself is not always known. A cue is then tried only where the reply's next word fits,
    not at every "you"."""
    lead = _leading(pattern, 2)
    if not lead or len(lead) > _MAX_NEEDS or any(" " not in w or w.startswith(" ") for w in lead):
        return None
    return frozenset(lead)
