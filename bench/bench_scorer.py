"""The scorer's honest figures: grouped cross-validation on the corpus, the dev set (never trained
on), speed and memory. Needs the `train` extra for the cross-validation.

    python bench/bench_scorer.py [--dev PATH] [--folds 5] [--skip-cv] [--grid]

Cross-validation groups folds by situation, so no client situation is in both the training and
the test part; vocabulary and idf are learned inside each fold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from roleplay.core.assessment import Context  # noqa: E402
from roleplay.core.scoring.rubric import load_default_rubric  # noqa: E402
from roleplay.core.scoring import train  # noqa: E402
from roleplay.core.scoring.corpus import read_items  # noqa: E402
from roleplay.core.scoring.decide import default_scorer  # noqa: E402
from roleplay.core.scoring.features import Featuriser  # noqa: E402
from roleplay.core.scoring.metrics import format_summary, summarise  # noqa: E402


def cv(args, rubric, items) -> None:
    docs = train.featurise(Featuriser(rubric), items)
    grid = [train.Params()]
    if args.grid:
        grid = [train.Params(c=c, praise_cost=pc, miss_judgment_cost=jc, scales=sc)
                for c in (2.0, 4.0, 8.0) for sc in ((1.0, 1.0, 0.6), (1.0, 1.0, 1.0))
                for pc, jc in ((2.0, 1.2), (3.0, 1.5))]
    for p in grid:
        t = time.time()
        rep = train.cv_report(rubric, items, p, args.folds, docs)
        s = rep.summary
        if args.grid:
            worst = min(f for _n, f in s.by_voice.values())
            print(f"c={p.c} scales={p.scales} costs={p.praise_cost}/{p.miss_judgment_cost}: macro-F1 "
                  f"{s.overall.macro_f1:.3f}, judgmental recall {s.overall.per_label['judgmental'].recall:.3f}, "
                  f"false praise {100 * s.false_praise:.1f}%, worst voice {worst:.3f} ({time.time() - t:.0f}s)")
            continue
        for line in format_summary(s, f"Grouped {args.folds}-fold cross-validation by situation "
                                      f"({len({i.situation for i in items})} situations)"):
            print(line)
        print("\nmost confidently wrong:")
        for conf, it, lab in rep.wrong[:20]:
            print(f"  {conf:.2f} {it.label}->{lab} [{it.voice or '-'}] {it.reply[:110]!r}")


def dev(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sc = default_scorer()
    pred = [sc.assess(r["reply"], Context(client=r.get("client", ""))).label for r in rows]
    s = summarise([r["label"] for r in rows], pred, None, [bool(r.get("hard")) for r in rows])
    for line in format_summary(s, f"Development set {path} (never trained on)"):
        print(line)


def speed(items) -> None:
    sc = default_scorer()
    sample = items[:3000]
    for it in sample[:300]:
        sc.assess(it.reply, Context(client=it.client))
    ts = []
    for it in sample:
        t = time.perf_counter()
        sc.assess(it.reply, Context(client=it.client))
        ts.append(time.perf_counter() - t)
    ts.sort()
    print(f"\nper reply (in process, {len(ts)} corpus replies): p50 {1000 * ts[len(ts) // 2]:.3f} ms, "
          f"p99 {1000 * ts[int(len(ts) * 0.99)]:.3f} ms, max {1000 * ts[-1]:.2f} ms")
    long = "I hear you. " * 2000
    t = time.perf_counter()
    sc.assess(long)
    print(f"a {len(long):,}-character reply: {1000 * (time.perf_counter() - t):.1f} ms")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "in.jsonl"
        lines = [json.dumps({"id": i, "client": it.client, "reply": it.reply}) for i, it in enumerate(items)]
        f.write_text("\n".join((lines * (20000 // len(lines) + 1))[:20000]) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "roleplay.cli", "score", "--jsonl", str(f)]
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        wall = time.perf_counter() - t
        n = out.stdout.count("\n")
        print(f"score --jsonl: {n:,} replies in {wall:.2f} s = {n / wall:,.0f} replies/s (start-up included)")
    code = ("import time,resource;t=time.perf_counter();from roleplay.core.scoring.decide import default_scorer;"
            "s=default_scorer();print(round(1000*(time.perf_counter()-t)));"
            "s.assess('that sounds hard');print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])")
    loads, mems = [], []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout.split()
        loads.append(int(out[0]))
        mems.append(int(out[1]))
    print(f"scorer load (rubric + model, fresh process): median {statistics.median(loads)} ms; "
          f"peak memory {statistics.median(mems) / 1024:.0f} MB")
    from roleplay.core.scoring.decide import model_path
    from roleplay.core.scoring.model import LinearModel

    p = model_path(load_default_rubric())
    ts = []
    for _ in range(10):
        t = time.perf_counter()
        LinearModel.load(p)
        ts.append(time.perf_counter() - t)
    print(f"model file {p.name}: {p.stat().st_size / 1e6:.1f} MB, loads in {1000 * statistics.median(ts):.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-cv", action="store_true")
    ap.add_argument("--grid", action="store_true", help="try a small grid of settings (for tuning)")
    args = ap.parse_args()
    rubric = load_default_rubric()
    items = read_items(train.corpus_path())
    if not args.skip_cv:
        cv(args, rubric, items)
        print()
    if args.dev.is_file() and not args.grid:
        dev(args.dev)
    elif not args.grid:
        print(f"(no development set at {args.dev})")
    if not args.grid:
        speed(items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
