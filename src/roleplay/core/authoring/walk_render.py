"""`roleplay walk` as text: coverage, path lengths and the state at each ending (walk.py finds them)."""

from __future__ import annotations

from roleplay.core.authoring.walk import MAX_STATES, EndingStats, StateGraph, WalkResult


def _fmt(v: int | bool) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def all_ending_ranges(graph: StateGraph) -> dict[str, dict[str, tuple]]:
    """For each ending reached in the state graph, the min..max of each variable there."""
    out: dict[str, dict[str, tuple]] = {}
    for end, keys in graph.endings_reached().items():
        stats = EndingStats(end, "", "")
        for key in keys:
            stats.add(graph.state_dict(key))
        out[end] = stats.ranges
    return out


def format_walk(r: WalkResult) -> str:
    sc = r.scenario
    out = [f"{sc.id}: {sc.title}"]
    if r.exhausted:
        out.append(f"paths explored: {r.explored:,} (all of them; {r.sequences:,} label sequences)")
    else:
        total = f"; {r.totals.paths:,} in all" if r.totals else ""
        out.append(f"paths explored: {r.explored:,} (stopped at the limit of {r.limit:,}{total}; "
                   "raise --max-paths to see more)")
    # The shortest is breadth first over every path; the longest exact when the graph allows it.
    if r.shortest is not None:
        if r.loops or (r.graph.complete and r.totals is None):
            out.append(f"path length: shortest {r.shortest} repl{'y' if r.shortest == 1 else 'ies'}; "
                       "no longest (a loop can go round for ever)")
        elif r.totals is not None:
            out.append(f"path length: shortest {r.shortest}, longest {r.totals.longest} replies")
        else:
            out.append(f"path length: shortest {r.shortest}, longest {r.longest} replies among the explored paths")
        if r.shortest_path is not None and r.shortest_path.replies:
            out.append(f"  a shortest path: {r.shortest_path.describe()}")
    out.append(f"turns covered: {len(r.turns_covered)}/{len(sc.nodes)}"
               + (f" (not reached: {', '.join(r.turns_missed)})" if r.turns_missed else ""))
    hit = len(sc.endings) - len(r.endings_missed)
    out.append(f"endings covered: {hit}/{len(sc.endings)}"
               + (f" (not reached: {', '.join(r.endings_missed)})" if r.endings_missed else ""))
    # State ranges: exact from the state graph when it is complete, else over the explored paths.
    exact = all_ending_ranges(r.graph) if r.graph.complete else None
    if exact is not None and not r.exhausted:
        out.append("state at each ending (over all paths, not only the explored ones):")
    for e in r.endings.values():
        ranges = exact.get(e.id) if exact is not None else (e.ranges or None)
        of_all = ""
        if r.totals is not None and not r.exhausted:
            of_all = f" of {r.totals.by_ending.get(e.id, 0):,}"
        if not ranges:
            out.append(f"  {e.id} [{e.outcome}]: no path")
            continue
        text = ", ".join(f"{k} {_fmt(lo)}..{_fmt(hi)}" if lo != hi else f"{k} {_fmt(lo)}"
                         for k, (lo, hi) in ranges.items())
        out.append(f"  {e.id} [{e.outcome}]: {e.paths:,}{of_all} path(s); {text}")
    if r.loops:
        out.append(f"loops: {len(r.loops)} path(s) come back to the same turn with the same state, e.g.")
        out.append(f"  {r.loops[0].describe()}")
    if not r.graph.complete:
        out.append(f"note: the state search stopped at {MAX_STATES:,} states; results are partial")
    return "\n".join(out) + "\n"
