"""Explore a scenario by label: every label at every turn, with state as it accumulates.

Two views, both pure and deterministic:

- `explore()` builds the state graph: each point is a (turn or ending, state) pair, and each edge is
  the branch a group of labels takes from there. Points are memoised, so the graph stays small
  (turns x reachable states) even when the number of paths is astronomical. The lint checks use it
  (endings or branches that no reachable state can get to, endless loops), and so do the exact
  totals of `walk()`.
- `walk()` enumerates paths through that graph up to a limit and reports what they cover; the
  shortest path and the turns covered come from the whole graph (breadth first), not the sample.

Labels that take the same branch from the same point lead to the same place, so they are explored
once, as a group ("sympathetic/neutral"); a path of groups stands for all its label sequences.
Where a branch asks for a sub-kind (`kind: exploration`), "empathic(exploration)" is explored
beside "empathic" (a reply of any other kind).
"""

from __future__ import annotations

from collections import deque
from math import prod
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from roleplay.core.authoring.walk_inputs import inputs, split_input
from roleplay.core.session.engine import Session, apply_effects
from roleplay.core.scenario.model import Branch, Node, Scenario

MAX_STATES = 200_000
MAX_PATHS = 10_000
MAX_DEPTH = 200  # a path longer than this is cut (only loops get near it)

StateKey = tuple  # the values of the scenario's variables, in declaration order
Point = tuple[str, StateKey]  # (turn or ending id, state)


def step(scenario: Scenario, node: Node, state: Mapping[str, int | bool],
         label: str) -> tuple[int, Branch, dict[str, int | bool]]:
    """What the engine does with `label` (or "label(kind)") at `node` in `state`: the branch taken
    and the new state."""
    plain, kind = split_input(label)
    index, branch, _ = Session.choose(node, plain, state, kind)
    return index, branch, apply_effects(scenario, branch, state)


@dataclass(frozen=True)
class Edge:
    labels: tuple[str, ...]  # the labels that take this branch from this point
    branch: int  # index into the node's branches
    target: Point


@dataclass
class StateGraph:
    scenario: Scenario
    start: Point
    edges: dict[Point, list[Edge]] = field(default_factory=dict)  # turns only; endings have none
    complete: bool = True  # False when MAX_STATES stopped the search

    def state_dict(self, key: StateKey) -> dict[str, int | bool]:
        return dict(zip(self.scenario.variables, key))

    @property
    def points(self) -> set[Point]:
        out = set(self.edges)
        for es in self.edges.values():
            out.update(e.target for e in es)
        return out

    def nodes_reached(self) -> set[str]:
        return {p[0] for p in self.edges}

    def endings_reached(self) -> dict[str, list[StateKey]]:
        out: dict[str, list[StateKey]] = {}
        for p in sorted(self.points):
            if p[0] in self.scenario.endings:
                out.setdefault(p[0], []).append(p[1])
        return out

    def branches_taken(self) -> set[tuple[str, int]]:
        return {(p[0], e.branch) for p, es in self.edges.items() for e in es}

    def find_loop(self) -> list[Point] | None:
        """A cycle of points (a conversation that can go on for ever), or None."""
        colour: dict[Point, int] = {}
        parent: dict[Point, Point] = {}
        stack: list[tuple[Point, int]] = [(self.start, 0)]
        while stack:
            p, i = stack.pop()
            outs = self.edges.get(p, [])
            if i == 0:
                colour[p] = 1
            if i < len(outs):
                stack.append((p, i + 1))
                q = outs[i].target
                if colour.get(q) == 1:
                    loop = [p]
                    while loop[-1] != q:
                        loop.append(parent[loop[-1]])
                    return list(reversed(loop)) + [q]
                if q not in colour:
                    parent[q] = p
                    stack.append((q, 0))
            else:
                colour[p] = 2
        return None

    def shortest(self) -> "Path | None":
        """A shortest way to any ending, found breadth first (None when no ending is reached)."""
        came: dict[Point, tuple[Point, Edge] | None] = {self.start: None}
        todo = deque([self.start])
        while todo:
            p = todo.popleft()
            if p[0] in self.scenario.endings:
                end, steps = p, []
                while came[p] is not None:
                    p, e = came[p]
                    steps.append((p[0], e.labels))
                return Path(tuple(reversed(steps)), end[0], self.state_dict(end[1]))
            for e in self.edges.get(p, []):
                if e.target not in came:
                    came[e.target] = (p, e)
                    todo.append(e.target)
        return None

    def path_stats(self) -> "PathStats | None":
        """Exact totals over every path from the start (None if there is a loop or the search stopped)."""
        table = self.path_table()
        return table[self.start] if table else None

    def path_table(self) -> "dict[Point, PathStats] | None":
        """PathStats from every point (None if there is a loop or the search stopped)."""
        if not self.complete or self.find_loop() is not None:
            return None
        memo: dict[Point, PathStats] = {}
        order: list[Point] = []
        seen: set[Point] = set()
        stack: list[tuple[Point, bool]] = [(self.start, False)]
        while stack:  # post-order without recursion
            p, done = stack.pop()
            if done:
                order.append(p)
                continue
            if p in seen:
                continue
            seen.add(p)
            stack.append((p, True))
            for e in self.edges.get(p, []):
                if e.target not in seen:
                    stack.append((e.target, False))
        for p in order:
            outs = self.edges.get(p)
            if not outs:
                memo[p] = PathStats(1, 1, 0, 0, {p[0]: 1})
                continue
            kids = [memo[e.target] for e in outs]
            by_ending: dict[str, int] = {}
            for k in kids:
                for end, n in k.by_ending.items():
                    by_ending[end] = by_ending.get(end, 0) + n
            memo[p] = PathStats(
                paths=sum(k.paths for k in kids),
                sequences=sum(k.sequences * len(e.labels) for k, e in zip(kids, outs)),
                shortest=1 + min(k.shortest for k in kids),
                longest=1 + max(k.longest for k in kids),
                by_ending=by_ending)
        return memo


@dataclass(frozen=True)
class PathStats:
    paths: int  # distinct branch paths
    sequences: int  # label sequences (a path of groups counts once per combination)
    shortest: int  # replies
    longest: int
    by_ending: Mapping[str, int] = field(default_factory=dict)  # paths that end there


def _groups(scenario: Scenario, node: Node, state: Mapping[str, int | bool]
            ) -> list[tuple[tuple[str, ...], int, dict[str, int | bool], str]]:
    """The labels grouped by the branch they take, in label order."""
    order: list[int] = []
    by_branch: dict[int, tuple[list[str], dict, str]] = {}
    for label in inputs(node):
        idx, branch, after = step(scenario, node, state, label)
        if idx not in by_branch:
            order.append(idx)
            by_branch[idx] = ([], after, branch.goto)
        by_branch[idx][0].append(label)
    return [(tuple(by_branch[i][0]), i, by_branch[i][1], by_branch[i][2]) for i in order]


def explore(scenario: Scenario, max_states: int = MAX_STATES) -> StateGraph:
    names = list(scenario.variables)
    start_state = scenario.start_state()
    start: Point = (scenario.start, tuple(start_state[n] for n in names))
    g = StateGraph(scenario, start)
    todo = deque([start])
    queued = {start}
    while todo:
        point = todo.popleft()
        node = scenario.nodes.get(point[0])
        if node is None:
            continue  # an ending
        if len(g.edges) >= max_states:
            g.complete = False
            break
        state = g.state_dict(point[1])
        out = []
        for labels, idx, after, goto in _groups(scenario, node, state):
            target = (goto, tuple(after[n] for n in names))
            out.append(Edge(labels, idx, target))
            if target not in queued:
                queued.add(target)
                todo.append(target)
        g.edges[point] = out
    return g


# --- walking paths -------------------------------------------------------------------------

@dataclass(frozen=True)
class Path:
    steps: tuple[tuple[str, tuple[str, ...]], ...]  # (turn id, labels taken there)
    end: str  # an ending id, or "" when the path looped or was cut
    state: Mapping[str, int | bool]
    looped: bool = False  # came back to a point already on the path (end == "")

    @property
    def replies(self) -> int:
        return len(self.steps)

    @property
    def sequences(self) -> int:
        return prod(len(labels) for _, labels in self.steps)

    def describe(self) -> str:
        bits = [f"{node} ({'/'.join(labels)})" for node, labels in self.steps]
        return " -> ".join(bits + [self.end or "(loop)"])


def share(budget: int, caps: list[int]) -> list[int]:
    """Split `budget` as evenly as the caps allow; leftovers go to the earlier ones first."""
    alloc = [0] * len(caps)
    active = [i for i, c in enumerate(caps) if c > 0]
    remaining = budget
    while remaining > 0 and active:
        each = remaining // len(active)
        if each == 0:
            for i in active[:remaining]:
                alloc[i] += 1
            break
        for i in active:
            give = min(each, caps[i] - alloc[i])
            alloc[i] += give
            remaining -= give
        active = [i for i in active if alloc[i] < caps[i]]
    return alloc


def spread_paths(graph: StateGraph, budget: int) -> Iterator[Path]:
    """Up to `budget` paths, spread evenly over the branches at every point (not just the first
    ones in label order), so a limited walk still samples every part of the scenario.

    Needs the exact path counts, so only for graphs without loops; see paths() otherwise.
    """
    table = graph.path_table()
    if table is None:
        raise ValueError("spread_paths needs a complete graph without loops")
    endings = graph.scenario.endings

    def go(point: Point, budget: int, prefix: tuple) -> Iterator[Path]:
        outs = graph.edges[point]
        for e, b in zip(outs, share(budget, [table[e.target].paths for e in outs])):
            if not b:
                continue
            steps = prefix + ((point[0], e.labels),)
            if e.target[0] in endings:
                yield Path(steps, e.target[0], graph.state_dict(e.target[1]))
            else:
                yield from go(e.target, b, steps)

    yield from go(graph.start, budget, ())


def paths(graph: StateGraph) -> Iterator[Path]:
    """Every path from the start to an ending, depth first in label order.

    A path that comes back to a point it already passed (same turn, same state) is a loop: it is
    yielded once with looped=True and not followed further.
    """
    sc = graph.scenario
    start = graph.start
    # Each frame: the point, the edges still to try there, and the labels that led to it.
    trail: list[Point] = [start]
    on_trail = {start}
    steps: list[tuple[str, tuple[str, ...]]] = []
    iters: list[Iterator[Edge]] = [iter(graph.edges.get(start, []))]
    while iters:
        edge = next(iters[-1], None)
        if edge is None:
            iters.pop()
            p = trail.pop()
            on_trail.discard(p)
            if steps:
                steps.pop()
            continue
        here = trail[-1]
        steps.append((here[0], edge.labels))
        target = edge.target
        if target[0] in sc.endings:
            yield Path(tuple(steps), target[0], graph.state_dict(target[1]))
            steps.pop()
            continue
        if target in on_trail or len(steps) >= MAX_DEPTH or target not in graph.edges:
            yield Path(tuple(steps), "", graph.state_dict(target[1]), looped=target in on_trail)
            steps.pop()
            continue
        trail.append(target)
        on_trail.add(target)
        iters.append(iter(graph.edges[target]))


@dataclass
class EndingStats:
    id: str
    title: str
    outcome: str
    paths: int = 0
    ranges: dict[str, tuple[int | bool, int | bool]] = field(default_factory=dict)

    def add(self, state: Mapping[str, int | bool]) -> None:
        self.paths += 1
        for k, v in state.items():
            lo, hi = self.ranges.get(k, (v, v))
            self.ranges[k] = (min(lo, v), max(hi, v))


@dataclass
class WalkResult:
    scenario: Scenario
    explored: int
    limit: int
    exhausted: bool  # every path was explored
    sequences: int
    shortest: int | None
    longest: int | None
    turns_covered: set[str]
    endings: dict[str, EndingStats]
    loops: list[Path]
    totals: PathStats | None  # exact, over all paths (None when there is a loop or too many states)
    graph: StateGraph
    shortest_path: Path | None = None  # one shortest way to an ending (breadth first)

    @property
    def turns_missed(self) -> list[str]:
        return [n for n in self.scenario.nodes if n not in self.turns_covered]

    @property
    def endings_missed(self) -> list[str]:
        reached = self.graph.endings_reached() if self.graph.complete else {}
        return [e for e in self.scenario.endings if not self.endings[e].paths and e not in reached]


def walk(scenario: Scenario, max_paths: int = MAX_PATHS, max_states: int = MAX_STATES) -> WalkResult:
    graph = explore(scenario, max_states)
    endings = {e.id: EndingStats(e.id, e.title, e.outcome) for e in scenario.endings.values()}
    explored = sequences = 0
    shortest = longest = None  # replies
    covered: set[str] = set()
    loops: list[Path] = []
    exhausted, table = True, graph.path_table()
    if table is not None:
        total = table[graph.start].paths
        exhausted = total <= max_paths
        source = spread_paths(graph, max_paths)
    else:
        source = paths(graph)
    for path in source:
        if explored >= max_paths:
            exhausted = False
            break
        explored += 1
        sequences += path.sequences
        covered.update(n for n, _ in path.steps)
        if not path.end:  # a loop, or cut short by a search limit
            if path.looped and len(loops) < 5:
                loops.append(path)
            continue
        endings[path.end].add(path.state)
        shortest = path.replies if shortest is None else min(shortest, path.replies)
        longest = path.replies if longest is None else max(longest, path.replies)
    best = graph.shortest() if graph.complete else None  # breadth first, whatever the limit left out
    if graph.complete:
        covered |= graph.nodes_reached()
        shortest = best.replies if best is not None else shortest
    return WalkResult(scenario, explored, max_paths, exhausted and graph.complete, sequences, shortest,
                      longest, covered, endings, loops, graph.path_stats(), graph, best)
