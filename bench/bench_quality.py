"""Scoring quality: the `roleplay eval` figures on the shared labelled dev set, when it is there.

    python bench/bench_quality.py [FILE.jsonl]

Looks for ../shared/eval/dev.jsonl next to the repository (and /work/shared/eval/dev.jsonl);
prints accuracy, macro-F1, per-label precision/recall/F1, the confusion matrix and the hard-item
macro-F1. Targets: macro-F1 >= 0.85 overall and >= 0.75 on hard items. Without the file it says
so and exits 0: the project's own tests never need it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CANDIDATES = [HERE.parent.parent / "shared" / "eval" / "dev.jsonl", Path("/work/shared/eval/dev.jsonl")]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(argv[0])] if argv else CANDIDATES
    path = next((p for p in paths if p.is_file()), None)
    if path is None:
        print("bench_quality: no labelled dev set found (looked for "
              + ", ".join(str(p) for p in paths) + "); nothing to measure.")
        return 0
    from roleplay.cli import main as cli

    print(f"roleplay eval {path}\n")
    return cli(["eval", str(path)])


if __name__ == "__main__":
    sys.exit(main())
