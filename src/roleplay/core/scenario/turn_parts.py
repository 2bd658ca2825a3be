"""Reading the parts of a turn beyond its branching: line variants with conditions, traps, and the
sub-kinds a branch can ask for. The shape check has already reported wrong types; these report
what only meaning can catch, one message per root cause."""

from __future__ import annotations

from roleplay.core.io.diagnostics import Reporter
from roleplay.core.io.yamlload import YNode, text_of
from roleplay.core.labels import KINDS, LABELS
from roleplay.core.scenario.model import DEFAULT, Line, Trap
from roleplay.core.scenario.shape import suggest
from roleplay.core.scenario.state_rules import StateRules
from roleplay.core.scenario.traps import pattern_problem

ALL_KINDS = tuple(k for label in LABELS for k in KINDS[label])


def _items(n: YNode | None) -> list[YNode]:
    if n is None:
        return []
    return list(n.value) if n.kind == "seq" else [n]


class TurnParts:
    def __init__(self, reporter: Reporter, rules: StateRules) -> None:
        self.r = reporter
        self.rules = rules

    def lines(self, n: YNode | None, place: str, what: str = "line") -> tuple[tuple[Line, ...], bool]:
        """The variants of a `lines:`, `reaction:` or ending `line:`, and whether they are usable.
        At least one variant must have no `if:`, so the client always has something to say."""
        out: list[Line] = []
        ok = True
        for i, x in enumerate(_items(n)):
            where = f"{place}, {what} {i + 1}" if n is not None and n.kind == "seq" else place
            if x.kind == "scalar" and isinstance(x.value, str) and x.value.strip():
                out.append(Line(x.value, line=x.line, col=x.col))
            elif x.kind == "map" and text_of(x.get("text")):
                cond = req = None
                if x.get("if") is not None:
                    cond, good = self.rules.condition(x.value["if"], where)
                    ok = ok and good and cond is not None
                if x.get("requires") is not None:
                    req, good = self.rules.condition(x.value["requires"], where)
                    ok = ok and good and req is not None
                out.append(Line(str(x.value["text"].value), cond, req, x.line, x.col))
            else:
                ok = False  # the shape check has reported it
        if ok and out and all(v.condition is not None for v in out):
            self.r.err(n.pos if n is not None else (1, 1), "E110",
                       f"every {what} {place} has an `if:`; give one {what} without `if:` for when none holds")
            ok = False
        return tuple(out), ok

    def trap(self, n: YNode | None, place: str) -> tuple[Trap | None, bool]:
        if n is None or n.kind != "map":
            return None, n is None
        cues = [(str(x.value), x.pos) for x in _items(n.get("cues")) if x.kind == "scalar" and x.value is not None]
        phrasings = [str(x.value) for x in _items(n.get("phrasings")) if x.kind == "scalar" and x.value is not None]
        ok = bool(text_of(n.get("when")) and text_of(n.get("note")))
        for cue, pos in cues:
            problem = pattern_problem(cue)
            if problem:
                self.r.err(pos, "E109", f"the trap cue {cue!r} {place} {problem}")
                ok = False
        if not cues and not phrasings and n.get("cues") is None and n.get("phrasings") is None:
            self.r.err(n.pos, "E103", f"the trap {place} needs `cues` (patterns) or `phrasings` (example replies) "
                       "to know when it is sprung")
            ok = False
        if not ok:
            return None, False
        return Trap(text_of(n.get("when")), text_of(n.get("note")), tuple(c for c, _ in cues),
                    tuple(phrasings), n.line), True

    def kinds(self, n: YNode | None, on: tuple[str, ...], place: str) -> tuple[tuple[str, ...], bool]:
        """A branch's `kind:`: sub-kinds of the labels in its `on:` (any label's for `default`)."""
        if n is None:
            return (), True
        allowed = ALL_KINDS if DEFAULT in on else tuple(k for label in on if label in KINDS for k in KINDS[label])
        out: list[str] = []
        ok = True
        for x in _items(n):
            kind = text_of(x)
            if not kind:
                ok = False
                continue
            if kind not in allowed:
                owner = next((label for label in LABELS if kind in KINDS[label]), None)
                why = (f"{kind!r} is a kind of {owner}, not of {'/'.join(on)}" if owner else
                       f"{kind!r} is not a sub-kind{suggest(kind, allowed)}")
                self.r.err(x.pos, "E108", f"`kind` {place}: {why} (kinds here: {', '.join(allowed)})")
                ok = False
            else:
                out.append(kind)
        return tuple(out), ok


__all__ = ["ALL_KINDS", "TurnParts"]
