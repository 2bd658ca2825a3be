"""One command, one table: scoring speed, validation growth, app start-up, peak memory.

    python bench/bench_all.py [--quick]

Targets (issue 6): scoring p99 < 5 ms and >= 2,000 replies/s; 10,000-turn validation < 5 s;
start-up <= 1.3x a minimal Textual app; a 1,000-turn scenario in < 100 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def scoring_rows(rounds: int) -> list[tuple[str, str, str]]:
    from roleplay.core.assessment import Context
    from roleplay.core.scenario.catalog import builtin_files
    from roleplay.core.scenario.loader import load_scenario
    from roleplay.core.scoring import default_scorer

    scorer = default_scorer()
    scenarios = [s for s in (load_scenario(p)[0] for p in builtin_files()) if s]
    # Replies: every exemplar and model reply of every scenario, scored against every other turn,
    # so a reply is rarely scored next to its own exemplars.
    pool = [(lab, r) for s in scenarios for n in s.nodes.values() for lab, rs in n.exemplars.items() for r in rs]
    replies = [r for _, r in pool]
    rows = []

    def measure(name: str, contexts: list[Context]) -> None:
        for r in replies[:50]:  # warm caches as a running app would be
            scorer.assess(r, contexts[0])
        times = []
        start = time.perf_counter()
        for _ in range(rounds):
            for i, reply in enumerate(replies):
                ctx = contexts[i % len(contexts)]
                t = time.perf_counter()
                scorer.assess(reply, ctx)
                times.append((time.perf_counter() - t) * 1000)
        total = time.perf_counter() - start
        rows.append((f"scoring: {name}",
                     f"p50 {statistics.median(times):.2f} ms, p99 {_percentile(times, 0.99):.2f} ms",
                     f"{len(times) / total:,.0f} replies/s"))

    measure("default rubric, client line only",
            [Context(client=n.lines[0]) for s in scenarios for n in s.nodes.values()])
    for s in scenarios:
        nodes = list(s.nodes.values())
        measure(f"{s.id} (with the turn's exemplars)",
                [Context(client=n.lines[0], exemplars=n.exemplars, model_reply=n.model_reply) for n in nodes])
    return rows


def validation_rows(sizes: list[int]) -> list[tuple[str, str, str]]:
    from roleplay.core.scenario.loader import parse_scenario
    from roleplay.core.authoring.synthetic import synthetic_scenario

    rows = []
    for n in sizes:
        text = synthetic_scenario(n)
        best = float("inf")
        for _ in range(2 if n < 10_000 else 1):
            t = time.perf_counter()
            scenario, diags = parse_scenario(text, f"synthetic-{n}.yaml")
            best = min(best, time.perf_counter() - t)
        assert scenario is not None, diags[:3]
        rows.append((f"validate {n:,}-turn scenario ({len(text) / 1e6:.1f} MB)", f"{best:.2f} s",
                     f"{best / n * 1e6:.0f} us/turn"))
    return rows


_MEMORY_PROBE = """
import resource, sys
from roleplay.core.scenario.loader import parse_scenario
from roleplay.core.authoring.synthetic import synthetic_scenario
from roleplay.core.session.engine import Session
from roleplay.core.scoring import default_scorer
s, d = parse_scenario(synthetic_scenario(1000), "m.yaml")
session = Session(s, default_scorer())
for i in range(30):
    if session.finished:
        break
    session.respond("It sounds like this has been weighing on you for a long time.")
# VmHWM is this process's own peak; ru_maxrss would carry over the parent's peak across exec.
try:
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
    print(hwm)
except (OSError, IndexError):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def memory_row() -> tuple[str, str, str]:
    out = subprocess.run([sys.executable, "-c", _MEMORY_PROBE], capture_output=True, text=True, check=True)
    kb = int(out.stdout.strip().splitlines()[-1])
    return ("peak memory: load a 1,000-turn scenario and play 30 turns", f"{kb / 1024:.0f} MB", "(peak RSS)")


def startup_rows() -> list[tuple[str, str, str]]:
    script = HERE / "bench_startup.py"
    if not script.exists():
        return [("app start-up", "bench/bench_startup.py missing", "")]
    out = subprocess.run([sys.executable, str(script), "--json", "--runs", "25"], capture_output=True, text=True)
    try:
        data = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return [("app start-up", "could not measure", out.stderr.strip()[-200:])]
    return [("app start-up to a usable picker (median)",
             f"{data['roleplay_s'] * 1000:.0f} ms vs minimal app {data['minimal_s'] * 1000:.0f} ms",
             f"ratio {data['ratio']:.2f}x")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds, skip the 10,000-turn file")
    args = ap.parse_args()
    # Start-up first: it is timed in fresh processes and is the figure most disturbed by a busy machine.
    rows = startup_rows()
    rows += scoring_rows(1 if args.quick else 3)
    rows += validation_rows([100, 1_000] if args.quick else [100, 1_000, 10_000])
    rows.append(memory_row())
    width = max(len(r[0]) for r in rows)
    mid = max(len(r[1]) for r in rows)
    print(f"{'what':<{width}}  {'figure':<{mid}}  rate")
    print(f"{'-' * width}  {'-' * mid}  {'-' * 18}")
    for a, b, c in rows:
        print(f"{a:<{width}}  {b:<{mid}}  {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
