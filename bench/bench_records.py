"""Records at the size limit: how long and how much memory it takes to list, resume and save one.

    python bench/bench_records.py [--mb 50] [--kind small|long|wide]

Builds a record just under records.MAX_RECORD_BYTES in a temporary ROLEPLAY_HOME, then in a
fresh process resumes it with `roleplay play --resume` and one reply (refused: the record is
full) and reports that process's peak RSS (VmHWM). Target (issue 11): under 300 MB.
  small: many short turns (the most objects per byte); long: 20,000-character replies;
  wide: long replies with one emoji each (then every character takes 4 bytes in memory).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TINY = HERE.parent / "tests" / "fixtures" / "tiny.yaml"


def build(home: Path, limit: int, kind: str) -> tuple[Path, int]:
    """A record of `kind` turns, as many as fit under `limit` bytes; (its path, its turns)."""
    from roleplay.core.assessment import Assessment, Evidence
    from roleplay.core.scenario.loader import load_scenario
    from roleplay.core.session import record_json, records
    from roleplay.core.session.engine import Session

    scenario, _ = load_scenario(TINY)
    s = Session(scenario, scorer=None, id="bench-full", clock=lambda: "2026-01-01T00:00:00+00:00")
    reply = {"small": "It sounds like a lot. {i}", "long": "It sounds like a lot. {i} " + "x" * 19_960,
             "wide": "It sounds like a lot \U0001F642 {i} " + "x" * 19_960}[kind]
    ev = (Evidence(0, 14, "It sounds like", "empathic", "reflection", "cue:reflection"),)
    a = Assessment("empathic", 0.9, {"empathic": 0.9, "sympathetic": 0.05, "judgmental": 0.03, "neutral": 0.02},
                   ("reflection",), ev, feedback="You named the feeling.")
    first = s.respond_with(a, reply.format(i=0))
    first = dataclasses.replace(first, next_id="hello", ending=None)
    per_turn = sum(len(x.encode()) for x in record_json.lines(dataclasses.replace(s.to_record(), turns=(first,))))
    n = int(limit / (per_turn - 700) * 0.99)  # the header is about 700 bytes
    turns = [dataclasses.replace(first, index=i + 1, reply=reply.format(i=i)) for i in range(n)]
    record = dataclasses.replace(s.to_record(), turns=tuple(turns), finished=False, ending=None, outcome=None)
    while True:
        try:
            path = records.save(record, home / "sessions")
            return path, len(record.turns)
        except records.RecordFull:
            record = dataclasses.replace(record, turns=record.turns[: int(len(record.turns) * 0.995)])


PROBE = """
import sys
from roleplay.cli import main
code = main(["play", sys.argv[1], "--resume", "--script", "-"])
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print("VmHWM", hwm, file=sys.stderr)
sys.exit(code)
"""


def measure(kind: str, limit: int) -> dict:
    from roleplay.core.session import records

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t = time.perf_counter()
        path, n = build(home, limit, kind)
        built = time.perf_counter() - t
        env = {**os.environ, "ROLEPLAY_HOME": str(home)}
        t = time.perf_counter()
        infos, _ = records.list_records(home / "sessions")
        listed = time.perf_counter() - t
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", PROBE, str(TINY)], input="It sounds like that was hard.\n",
                             capture_output=True, text=True, env=env, timeout=600)
        resumed = time.perf_counter() - t
        hwm = next((int(line.split()[1]) for line in out.stderr.splitlines() if line.startswith("VmHWM")), 0)
        return {"kind": kind, "bytes": path.stat().st_size, "turns": n, "build_s": built, "list_s": listed,
                "listed": len(infos), "resume_s": resumed, "peak_mb": hwm / 1024, "code": out.returncode,
                "said": [x for x in out.stdout.splitlines() if "Resuming" in x or "Not added" in x][:2]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=None, help="record size (default: the limit)")
    ap.add_argument("--kind", choices=("small", "long", "wide"), action="append")
    args = ap.parse_args()
    from roleplay.core.session.records import MAX_RECORD_BYTES

    limit = int(args.mb * 1_000_000) if args.mb else MAX_RECORD_BYTES
    for kind in args.kind or ["small", "long", "wide"]:
        r = measure(kind, limit)
        print(f"resume a {r['bytes'] / 1e6:.1f} MB record ({r['turns']:,} {kind} turns): peak {r['peak_mb']:.0f} MB, "
              f"{r['resume_s']:.1f} s (list {r['list_s'] * 1000:.0f} ms; exit {r['code']}) {r['said']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
