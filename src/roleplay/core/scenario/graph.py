"""The branching graph of a scenario: reachability, dead ends, path lengths."""

from __future__ import annotations

from collections import deque
from typing import Mapping, Sequence


def reachable(start: str, edges: Mapping[str, Sequence[str]]) -> set[str]:
    seen = {start}
    todo = deque([start])
    while todo:
        for nxt in edges.get(todo.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def can_reach(targets: set[str], edges: Mapping[str, Sequence[str]]) -> set[str]:
    """Every id from which some id in `targets` can be reached (targets included)."""
    back: dict[str, list[str]] = {}
    for src, outs in edges.items():
        for dst in outs:
            back.setdefault(dst, []).append(src)
    seen = set(targets)
    todo = deque(targets)
    while todo:
        for prev in back.get(todo.popleft(), ()):
            if prev not in seen:
                seen.add(prev)
                todo.append(prev)
    return seen


def longest_path(start: str, edges: Mapping[str, Sequence[str]]) -> int | None:
    """The most edges on any path from start, or None when a cycle makes it unbounded.

    Iterative, so a 10,000-turn scenario does not hit Python's recursion limit.
    """
    depth: dict[str, int] = {}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        node, i = stack.pop()
        outs = edges.get(node, ())
        if i == 0:
            if state.get(node) == 2:
                continue
            state[node] = 1
        if i < len(outs):
            stack.append((node, i + 1))
            nxt = outs[i]
            if state.get(nxt) == 1:
                return None
            if state.get(nxt) != 2:
                stack.append((nxt, 0))
            continue
        depth[node] = max((depth[n] + 1 for n in outs if n in depth), default=0)
        state[node] = 2
    return depth.get(start, 0)
