"""How long a 10-line drill takes to start, from the built-in corpus (target: under 1 s).

Each run is a fresh subprocess (a fresh interpreter, nothing cached), with an empty temporary
ROLEPLAY_HOME, timed inside the child:

  core   from the first import to a Drill ready to show its first line: read the corpus, the
         preferences and the student's records (the habit profile, for --focus auto), choose the
         lines. This is what `roleplay drill` does before the first line; the scorer loads beside
         it, in a thread, while the student reads (its own time is printed too).
  app    in the running trainer (headless), from pressing d in the picker to the drill screen
         showing its first client line, without the time the student spends in the setup
         dialog: the dialog reads the corpus and records in a worker, then Enter starts the
         drill. The scorer loads in a worker after that. (Timed by polling the screen, not with
         Pilot's key presses, which also wait for the scorer's worker to go idle.)

Prints the median of several runs; exit status 1 when a median is over the target.

    python bench/bench_drill.py [--runs 5] [--target 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CORE = r"""
import json, sys, time
t0 = time.perf_counter()
from roleplay.core.reporting.drill_plan import AUTO, plan_drill
from roleplay.core.reporting.habits import own_profile, recently_drilled
from roleplay.core.session import preferences
from roleplay.core.session.drill import Drill
from roleplay.core.session.drill_corpus import load_items
items, _ = load_items()
prefs, _ = preferences.load()
profile, drills, _ = own_profile()
plan = plan_drill(items, 10, focus=AUTO, excluded=prefs.excluded, seed=1, profile=profile,
                  avoid=recently_drilled(drills))
drill = Drill(plan.items, None, id="bench")
assert drill.current is not None and drill.total == 10
ready = time.perf_counter() - t0
t1 = time.perf_counter()
from roleplay.core.scoring import scorer_for
scorer, _ = scorer_for(None, None)
scorer_s = time.perf_counter() - t1
print(json.dumps({"ready": ready, "scorer": scorer_s, "lines": len(items)}))
"""

APP = r"""
import asyncio, json, time
from roleplay.tui.app import create_app

async def main():
    app = create_app(include_builtin=False, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        from roleplay.tui.screens.drill import DrillScreen
        t0 = time.perf_counter()
        app.action_drill()  # d in the picker
        while not getattr(app.screen, "ready", False):
            await asyncio.sleep(0.001)
        setup = time.perf_counter() - t0
        t1 = time.perf_counter()
        app.screen.action_start()  # Enter in the setup dialog
        while not (isinstance(app.screen, DrillScreen) and app.screen.query(".client")):
            await asyncio.sleep(0.001)
        start = time.perf_counter() - t1
        print(json.dumps({"ready": setup + start, "setup": setup, "start": start, "lines": app.screen.drill.total}))
        app.exit()

asyncio.run(main())
"""


def run(code: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="roleplay-bench-") as home:
        env = {**os.environ, "ROLEPLAY_HOME": home}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        if out.returncode != 0:
            raise SystemExit(f"benchmark child failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--target", type=float, default=1.0, help="seconds (default 1.0)")
    args = ap.parse_args(argv)
    core = [run(CORE) for _ in range(args.runs)]
    app = [run(APP) for _ in range(args.runs)]
    rows = [("core: corpus, records, choice -> first line", statistics.median(r["ready"] for r in core)),
            ("  (the scorer, loading beside it)", statistics.median(r["scorer"] for r in core)),
            ("app: d in the picker -> first line shown", statistics.median(r["ready"] for r in app)),
            ("  (of which: the setup dialog ready)", statistics.median(r["setup"] for r in app))]
    print(f"A 10-line drill from {core[0]['lines']} drillable corpus lines (median of {args.runs} runs):")
    for name, secs in rows:
        print(f"  {name:<46} {secs * 1000:7.0f} ms")
    over = [name for name, secs in (rows[0], rows[2]) if secs > args.target]
    print(f"target: under {args.target:.1f} s -> " + ("OK" if not over else "OVER: " + ", ".join(over)))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
