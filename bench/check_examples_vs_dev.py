"""Check that no labelled example the word model learns from is a near-duplicate of a dev reply.

    python bench/check_examples_vs_dev.py [EXAMPLES.jsonl] [DEV.jsonl]

Defaults: rubrics/examples/default.jsonl and /work/shared/eval/dev.jsonl (or $ROLEPLAY_DEV). A pair
is near when rapidfuzz's ratio or token_set_ratio of the lower-cased replies is >= 85. Exits 1 if
any is found, 0 if none, and 0 with a note when the dev file is not there (it is not shipped).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
CUTOFF = 85


def replies(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(str(json.loads(line)["reply"]))
    return out


def main(argv: list[str]) -> int:
    examples = Path(argv[0]) if argv else ROOT / "rubrics" / "examples" / "default.jsonl"
    dev = Path(argv[1]) if len(argv) > 1 else Path(os.environ.get("ROLEPLAY_DEV", "/work/shared/eval/dev.jsonl"))
    if not dev.is_file():
        print(f"no dev file at {dev}: nothing to check")
        return 0
    devs = [d.lower() for d in replies(dev)]
    bad = 0
    ex = replies(examples)
    for r in ex:
        low = r.lower()
        for d in devs:
            if fuzz.ratio(low, d) >= CUTOFF or fuzz.token_set_ratio(low, d) >= CUTOFF:
                bad += 1
                print(f"near-duplicate of a dev reply:\n  example: {r}\n  dev:     {d}")
                break
    print(f"{len(ex)} examples checked against {len(devs)} dev replies: {bad} near-duplicates")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
