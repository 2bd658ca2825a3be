"""Start-up time of the trainer to a usable picker, next to a minimal Textual app on this machine.

Each run is a fresh subprocess (a fresh interpreter: imports, CSS, first layout and paint), timed
from spawn until the child reports "ready" on stdout:

  minimal  an App with one Static, ready after its first refresh;
  roleplay the trainer from `create_app()` with the built-in scenarios (and any --scenarios DIR),
           ready once the picker is mounted and its cards are populated (after a refresh).
           The picker's card index (cards.py) is warm after the warm-up run, as on every
           start-up after the first; --cold measures a first start-up (every file validated).

Both run headless (no terminal needed). The data folder is an empty temporary ROLEPLAY_HOME, so
the picker reads no records. Prints the median of several runs and the ratio; the target is
roleplay <= 1.3 x minimal. Exit status 1 when the ratio is over the target (for CI).

    python bench/bench_startup.py [--runs 9] [--scenarios DIR ...] [--target 1.3]
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

MINIMAL = r"""
import sys
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("Hello")

    def on_mount(self):
        self.call_after_refresh(self.ready)

    def ready(self):
        sys.stdout.write("ready\n"); sys.stdout.flush()
        self.exit()

Minimal().run(headless=True)
"""

ROLEPLAY = r"""
import json, sys
from roleplay.tui.app import create_app

def ready(app):
    cards = len(app.screen.query("#cards > ListItem"))
    scorer = "roleplay.core.scoring.decide" in sys.modules
    info = {"cards": cards, "scorer_imported": scorer, "validated": app.cards_validated}
    sys.stdout.write("ready " + json.dumps(info) + "\n")
    sys.stdout.flush()
    app.exit()

create_app(json.loads(sys.argv[1]), on_ready=ready).run(headless=True)
"""


def one_run(code: str, args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = proc.communicate(timeout=60)
    if not line.startswith("ready"):
        raise SystemExit(f"the app did not report ready:\n{err[-2000:]}")
    return elapsed, line[5:].strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--scenarios", action="append", default=[], metavar="DIR")
    ap.add_argument("--target", type=float, default=1.3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--cold", action="store_true",
                    help="first start-up: remove the picker's card index before each run, so every "
                    "scenario file is validated")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, ROLEPLAY_HOME=home, TEXTUAL="")
        env.pop("TEXTUAL_DEVTOOLS", None)
        # Both apps start from compiled bytecode, as an installed wheel does: Textual's is compiled
        # when pip installs it, and with PYTHONDONTWRITEBYTECODE set (some CI machines set it) an
        # editable checkout would recompile every roleplay module on every run instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # One warm-up of each, so both start from the same disk-cache and .pyc state.
        one_run(MINIMAL, [], env)
        _, info = one_run(ROLEPLAY, [json.dumps(args.scenarios)], env)
        minimal, ours, revalidated = [], [], 0
        index = os.path.join(home, "cache", "cards.json")
        for _ in range(args.runs):  # interleaved, so drift on the machine hits both alike
            minimal.append(one_run(MINIMAL, [], env)[0])
            if args.cold and os.path.exists(index):
                os.unlink(index)
            t, run_info = one_run(ROLEPLAY, [json.dumps(args.scenarios)], env)
            ours.append(t)
            revalidated += bool(json.loads(run_info).get("validated")) if run_info else 0

    m, o = statistics.median(minimal), statistics.median(ours)
    ratio = o / m
    detail = json.loads(info) if info else {}
    if args.json:
        print(json.dumps({"minimal_s": round(m, 4), "roleplay_s": round(o, 4), "ratio": round(ratio, 3),
                          "ratio_of_fastest": round(min(ours) / min(minimal), 3),
                          "runs": args.runs, "target": args.target, "cold": args.cold,
                          "runs_that_validated": revalidated, **detail}))
    else:
        print(f"runs: {args.runs} each, in subprocesses, median")
        print(f"minimal Textual app : {m * 1000:7.1f} ms  (min {min(minimal) * 1000:.1f}, max {max(minimal) * 1000:.1f})")
        print(f"roleplay picker     : {o * 1000:7.1f} ms  (min {min(ours) * 1000:.1f}, max {max(ours) * 1000:.1f})"
              f"  [{detail.get('cards', '?')} cards; scorer imported: {detail.get('scorer_imported')}]")
        print(f"card index          : {'removed before each run (cold)' if args.cold else 'kept (warm)'}; "
              f"{revalidated} of {args.runs} runs validated scenario files")
        print(f"ratio               : {ratio:.2f}x of the medians (target <= {args.target}x) "
              f"{'OK' if ratio <= args.target else 'OVER'}; {min(ours) / min(minimal):.2f}x of the fastest runs")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
