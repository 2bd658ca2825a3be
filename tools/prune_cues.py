"""Drop the rubric cues that fire on fewer than N corpus replies (default 3).

    python tools/prune_cues.py [--min 3] [--rubric rubrics/default.yaml] [--dry-run]

A cue that never fires teaches the model nothing and costs time on every reply. The rubric file
is edited in place, keeping its comments and layout: each cue entry is its `- {id: ...}` line and
the more deeply indented lines that continue it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from roleplay.core.scoring.rubric import load_rubric  # noqa: E402
from roleplay.core.scoring.corpus import read_items  # noqa: E402
from roleplay.core.scoring.features import Featuriser  # noqa: E402
from roleplay.core.scoring.train import corpus_path  # noqa: E402

_ENTRY = re.compile(r"^(\s*)- \{id: ([\w.-]+),")


def firing_counts(rubric, items) -> Counter:
    fz = Featuriser(rubric)
    counts: Counter = Counter()
    for it in items:
        a = fz.analyse(it.reply, it.client)
        counts.update({m.cue for m in a.cues})
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min", type=int, default=3)
    ap.add_argument("--rubric", type=Path, default=ROOT / "rubrics" / "default.yaml")
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    rubric, diags = load_rubric(args.rubric)
    if rubric is None:
        print("\n".join(map(str, diags)), file=sys.stderr)
        return 1
    counts = firing_counts(rubric, read_items(corpus_path()))
    drop = {c.id for c in rubric.cues if counts[c.id] < args.min}
    lines = args.rubric.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _ENTRY.match(lines[i])
        if m and m.group(2) in drop:
            indent = len(m.group(1))
            i += 1
            while i < len(lines) and lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) > indent:
                i += 1
            continue
        out.append(lines[i])
        i += 1
    # A `cues:` left with no entries becomes an empty list.
    for k, line in enumerate(out):
        if line.rstrip().endswith("cues:"):
            j = k + 1
            while j < len(out) and (not out[j].strip() or out[j].lstrip().startswith("#")):
                j += 1
            if j >= len(out) or not out[j].lstrip().startswith("- "):
                out[k] = line.rstrip() + " []\n"
    print(f"{len(rubric.cues)} cues; {len(drop)} fire on fewer than {args.min} corpus replies"
          f"{' (dry run)' if args.dry_run else ' and are removed'}; {len(rubric.cues) - len(drop)} stay")
    if not args.dry_run:
        args.rubric.write_text("".join(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
