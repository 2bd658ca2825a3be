"""Scoring speed: p50/p99 milliseconds per reply and replies per second.

    python bench/bench_speed.py [--rounds N]

Two settings: the default rubric alone (Context with only the client's line), and inside a
scenario turn (the turn's exemplars as context, so fuzzy exemplar matching is included). The
replies are every exemplar and model reply of the built-in scenarios, scored against turns other
than their own. Then the batch path as a user runs it: `roleplay score --jsonl FILE` on 20,000
corpus replies (the corpus over again from its start once it runs out), timed from the command's
start to its last line (start-up included); and, for information, on every corpus reply once,
where no reply repeats (every word a worker meets is new to it at least once).
Targets (Scorer 2): p99 <= 2 ms per reply, >= 3,000 replies/s through `score --jsonl`.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _workload():
    from roleplay.core.assessment import Context
    from roleplay.core.scenario.catalog import builtin_files
    from roleplay.core.scenario.loader import load_scenario

    scenarios = [s for s in (load_scenario(p)[0] for p in builtin_files()) if s]
    nodes = [n for s in scenarios for n in s.nodes.values()]
    replies = [r for n in nodes for rs in n.exemplars.values() for r in rs] + \
              [n.model_reply for n in nodes if n.model_reply]
    if not replies:
        replies = ["It sounds like you're exhausted.", "Don't worry, it'll be fine.",
                   "You should have known better.", "The group is on Tuesdays."]
    plain, turn = [], []
    for i, r in enumerate(replies):
        n = nodes[(i * 7 + 3) % len(nodes)] if nodes else None
        client = n.lines[0] if n is not None and n.lines else ""
        plain.append((r, Context(client=client)))
        turn.append((r, Context(client=client, exemplars=n.exemplars if n else {},
                                model_reply=n.model_reply if n else None)))
    return plain, turn


def _run(scorer, items, rounds: int) -> dict:
    for r, c in items[:50]:
        scorer.assess(r, c)  # warm caches, as in a session
    times: list[float] = []
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            for r, c in items:
                t = time.perf_counter()
                scorer.assess(r, c)
                times.append(time.perf_counter() - t)
        total = time.perf_counter() - start
    finally:
        gc.enable()
    return {"n": len(times), "p50": _percentile(times, 0.5) * 1000, "p99": _percentile(times, 0.99) * 1000,
            "mean": statistics.fmean(times) * 1000, "rate": len(times) / total}


def _batch(n: int, piped: bool = False) -> tuple[int, float]:
    """(replies, seconds) for `roleplay score --jsonl` over n corpus replies (all of them once when
    n is 0), in a fresh process; `piped`: the lines come through a pipe (`score --jsonl -`)."""
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    from roleplay.core.io.paths import builtin_dir

    rows = [json.loads(line) for line in
            (builtin_dir("rubrics") / "corpus" / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(n or len(rows)):
                r = rows[i % len(rows)]
                f.write(json.dumps({"id": i, "client": r["client"], "reply": r["reply"]}) + "\n")
        data = path.read_bytes() if piped else None
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "roleplay.cli", "score", "--jsonl", "-" if piped else str(path)],
                             input=data, capture_output=True, check=True).stdout.decode()
        took = time.perf_counter() - t
    return out.count("\n"), took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=20_000, help="replies for the score --jsonl run")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    from roleplay.core.scoring import default_scorer

    scorer = default_scorer()
    load_ms = (time.perf_counter() - t) * 1000
    plain, turn = _workload()
    print(f"rubric + model load: {load_ms:.0f} ms ({len(scorer.rubric.cues)} cues, {len(scorer.model.vocab):,} features)")
    print(f"{'setting':<28} {'replies':>8} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'replies/s':>10}")
    ok = True
    for name, items in (("default rubric alone", plain), ("with a turn's exemplars", turn)):
        r = _run(scorer, items, args.rounds)
        print(f"{name:<28} {r['n']:>8} {r['p50']:>8.3f} {r['p99']:>8.3f} {r['mean']:>8.3f} {r['rate']:>10.0f}")
        ok = ok and r["p99"] <= 2.0
    long_reply = ("It sounds like this has been building for a long time. " * 2000)[:100_000]
    t = time.perf_counter()
    scorer.assess(long_reply, plain[0][1])
    print(f"one 100,000-character reply: {(time.perf_counter() - t) * 1000:.1f} ms")
    n, took = _batch(args.batch)
    rate = n / took
    print(f"score --jsonl, {n:,} replies: {took:.1f} s, {rate:,.0f} replies/s (start-up included)")
    ok = ok and rate >= 3000
    n, took = _batch(args.batch, piped=True)
    rate = n / took
    print(f"the same through a pipe (score --jsonl -): {took:.1f} s, {rate:,.0f} replies/s")
    ok = ok and rate >= 3000
    n, took = _batch(0)
    print(f"score --jsonl, every corpus reply once ({n:,}, none repeated): {took:.1f} s, {n / took:,.0f} replies/s")
    print("targets (p99 <= 2 ms per reply, >= 3,000 replies/s through score --jsonl):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
