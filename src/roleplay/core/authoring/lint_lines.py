"""Lint checks on what the client says, against every state in which it can be said.

- L206 a line that takes something for granted (`requires: offered_meeting`) can be said on a path
  where it does not hold: e.g. "You'll be there tomorrow? Good." to a worker who never offered.
- L207 a line variant whose `if:` never holds where it could be said: it is never heard.

Client lines are said in the state the turn is reached with, a reaction in the state after its
branch, an ending's line in the final state; the states come from the lint state search.
"""

from __future__ import annotations

from collections import deque
from typing import Iterator

from roleplay.core.authoring.walk import Point, StateGraph
from roleplay.core.io.diagnostics import Reporter
from roleplay.core.scenario.model import Line
from roleplay.core.session.engine import eligible

CODES = {
    "L206": "a line that takes for granted (requires:) what a path can reach it without",
    "L207": "a line variant whose if: never holds where it could be said",
}


def _show(v: object) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _path_to(graph: StateGraph, goal: Point) -> str:
    """The shortest way to `goal`, as turns and the labels taken there."""
    back: dict[Point, tuple[Point, str] | None] = {graph.start: None}
    todo = deque([graph.start])
    while todo and goal not in back:
        p = todo.popleft()
        for e in graph.edges.get(p, []):
            if e.target not in back:
                back[e.target] = (p, "/".join(e.labels))
                todo.append(e.target)
    steps: list[str] = []
    here = goal
    while back.get(here) is not None:
        prev, labels = back[here]  # type: ignore[misc]
        steps.append(f"{prev[0]} ({labels})")
        here = prev
    return " -> ".join(reversed(steps))


def _said(graph: StateGraph) -> Iterator[tuple[str, tuple[Line, ...], Point, str]]:
    """(what, variants, the point whose state they are said in, how it is reached)."""
    sc = graph.scenario
    for point, edges in graph.edges.items():
        node = sc.nodes[point[0]]
        yield f"turn {node.id!r}", node.variants, point, ""
        for e in edges:
            b = node.branches[e.branch]
            if b.reactions:
                yield (f"the reaction of branch {e.branch + 1} of turn {node.id!r}", b.reactions, e.target,
                       f" -> {node.id} ({'/'.join(e.labels)})")
    for ident, keys in graph.endings_reached().items():
        for key in keys:
            yield f"ending {ident!r}", sc.endings[ident].variants, (ident, key), ""


def line_checks(r: Reporter, graph: StateGraph) -> None:
    if not graph.complete:
        return  # L209 has said the search stopped
    said: dict[int, list[Point]] = {}  # id(variants) -> points where that set is said
    first: dict[int, tuple[str, tuple[Line, ...], str]] = {}
    presumed: dict[tuple[int, int], tuple[Point, str]] = {}
    for what, variants, point, via in _said(graph):
        if not variants:
            continue
        said.setdefault(id(variants), []).append(point)
        first.setdefault(id(variants), (what, variants, via))
        state = graph.state_dict(point[1])
        for v in eligible(variants, state):
            if v.requires is not None and not v.requires.holds(state) and (id(variants), v.line) not in presumed:
                presumed[(id(variants), v.line)] = (point, via)
                where = (_path_to(graph, point if not via else _source(graph, point, via)) + via).removeprefix(" -> ")
                now = ", ".join(f"{n} {_show(state[n])}" for n in sorted({p.var for p in v.requires.parts}))
                r.warn((v.line, v.col), "L206",
                       f"line {variants.index(v) + 1} of {what} takes `{v.requires.text}` for granted, but can be "
                       f"said without it, e.g. {'after ' + where if where else 'at the start'} ({now}); give it `if: {v.requires.text}` and a line "
                       "for the other ways in")
    for key, points in said.items():
        what, variants, _ = first[key]
        states = [graph.state_dict(p[1]) for p in points]
        for i, v in enumerate(variants):
            if v.condition is not None and not any(v.condition.holds(s) for s in states):
                names = sorted({part.var for part in v.condition.parts})
                seen = "; ".join(f"{n} is {_span([s[n] for s in states])}" for n in names)
                r.warn((v.line, v.col), "L207",
                       f"line {i + 1} of {what} is never said: `{v.condition.text}` never holds there ({seen})")


def _span(vals: list) -> str:
    lo, hi = min(vals), max(vals)
    return _show(lo) if lo == hi else f"{_show(lo)}..{_show(hi)}"


def _source(graph: StateGraph, target: Point, via: str) -> Point:
    """For a reaction: the turn's point whose edge led to `target` (its state is before the reply)."""
    node_id = via.split(" -> ", 1)[1].split(" (", 1)[0]
    for p, edges in graph.edges.items():
        if p[0] == node_id and any(e.target == target for e in edges):
            return p
    return graph.start


__all__ = ["CODES", "line_checks"]
