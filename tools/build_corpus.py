"""Merge corpus batches into rubrics/corpus/: keep what both labelling passes agree on, drop
duplicates, and keep every reply away from the development set.

    python tools/build_corpus.py BATCH_DIR [--dev ../shared/eval/dev.jsonl] [--append]

BATCH_DIR holds, per batch N: writer_N.jsonl (the writer's labelled replies), label2_N.jsonl (the
blind second pass: {"id", "label", "kind"} for the same ids) and optionally situations_N.jsonl.
The rubric's older examples come as writer_ex.jsonl / label2_ex.jsonl. With --append, the
corpus already in rubrics/corpus/ is kept as it is and BATCH_DIR's batches are added to it (a
later batch, when the earlier batch files are no longer at hand).

An item is kept when both passes give the same label; disagreements are dropped (the guide
settles nothing a second time). A reply within rapidfuzz ratio 85 of a development-set reply is
dropped, and so is an exact duplicate (after lower-casing and squeezing spaces). The report
printed at the end goes into docs/scoring.md.
"""

from __future__ import annotations

import argparse
import json
import re
import zlib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rubrics" / "corpus"
FIELDS = ("id", "situation", "client", "reply", "label", "kind", "voice", "hard")


# The areas writers named, mapped to the areas the issue and the drills use (first match wins).
AREAS = (
    ("child_protection", ("child_protection", "child protection", "neglect", "safeguard", "contact", "custody",
                          "parenting", "teenage_parent", "learning_needs", "new parent", "postnatal")),
    ("youth_and_care", ("foster", "care leaver", "adoption", "residential", "youth", "young", "teen", "runaway",
                        "lgbtq", "online harm", "bullying", "exclusion", "exam")),
    ("school", ("school", "teacher", "student")),
    ("grief_and_illness", ("grief", "bereave", "palliative", "terminal", "hospital", "diagnosis", "baby_loss",
                           "baby loss", "miscarriage", "pet", "illness", "hiv", "long-term", "chronic")),
    ("abuse_and_trauma", ("abuse", "trauma", "assault", "stalking", "honour", "male_victims", "male victims",
                          "coercive", "trafficking", "victim")),
    ("homelessness_and_poverty", ("homeless", "housing", "eviction", "debt", "benefit", "food bank", "poverty",
                                  "unemploy", "redundan", "disrepair", "neighbour")),
    ("addiction", ("addiction", "alcohol", "drug", "relapse", "gambl")),
    ("probation_and_justice", ("probation", "prison", "offend", "court", "justice")),
    ("older_adults", ("older", "dementia", "care home", "falls", "driving", "loneliness", "discharge")),
    ("disability", ("disab", "pain")),
    ("carers", ("carer",)),
    ("mental_health", ("mental", "panic", "depress", "psychosis", "suicid", "eating", "anxiety", "self-harm")),
    ("immigration_and_asylum", ("immigra", "asylum", "refugee", "migra", "racism", "discrimination")),
    ("work", ("work", "burnout", "harassment", "farm", "veteran")),
)


def canonical_area(area: str) -> str:
    low = area.lower()
    for name, keys in AREAS:
        if any(k in low for k in keys):
            return name
    return "other"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("batches", type=Path)
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--append", action="store_true", help="add the batches to the corpus already built")
    ap.add_argument("--out", type=Path, default=OUT, help="the corpus folder (default: rubrics/corpus)")
    args = ap.parse_args(argv)
    out = args.out
    from rapidfuzz import fuzz, process

    dev = [_key(d["reply"]) for d in _read(args.dev)] if args.dev.is_file() else []
    if not dev:
        print(f"warning: no development set at {args.dev}; distance from dev NOT checked", file=sys.stderr)
    items: list[dict] = []
    situations: dict[str, dict] = {}
    stats: dict[str, Counter] = {}
    for wpath in sorted(args.batches.glob("writer_*.jsonl")):
        batch = wpath.stem.split("_", 1)[1]
        second = {d["id"]: d for d in _read(args.batches / f"label2_{batch}.jsonl")}
        c = stats.setdefault(batch, Counter())
        for it in _read(wpath):
            c["written"] += 1
            two = second.get(it["id"])
            if two is None:
                c["no second label"] += 1
                continue
            if two["label"] != it["label"]:
                c["labels disagree"] += 1
                continue
            c["labels agree"] += 1
            if it.get("kind"):
                c["with kinds"] += 1
                c["kinds agree"] += two.get("kind") == it.get("kind")
            else:  # the older examples carry no sub-kind: the second pass gives it
                it["kind"] = two.get("kind", "")
            it.setdefault("situation", "")
            it["hard"] = it.get("hard") is True
            items.append(it)
        spath = args.batches / f"situations_{batch}.jsonl"
        if spath.is_file():
            for s in _read(spath):
                s["topic"] = s.get("area", "")
                s["area"] = canonical_area(s["topic"])
                situations.setdefault(s["situation"], s)
    # The rubric's older examples have no situation: replies to one client line form one.
    for it in items:
        if not it["situation"]:
            it["situation"] = "examples:" + (f"{zlib.crc32(_key(it['client']).encode()):08x}" if it.get("client")
                                             else it["id"])
    seen: dict[str, str] = {}
    kept: list[dict] = []
    if args.append:
        kept = _read(out / "replies.jsonl")
        seen = {_key(it["reply"]): it["label"] for it in kept}
        taken = {it["id"] for it in kept}
        clash = sorted(it["id"] for it in items if it["id"] in taken)
        if clash:
            print(f"ids already in the corpus: {', '.join(clash[:5])}", file=sys.stderr)
            return 1
    dropped = Counter()
    for it in items:
        k = _key(it["reply"])
        if k in seen:
            dropped["duplicate" if seen[k] == it["label"] else "duplicate with another label"] += 1
            continue
        seen[k] = it["label"]
        if dev and process.extractOne(k, dev, scorer=fuzz.ratio, score_cutoff=85) is not None:
            dropped["within ratio 85 of a dev reply"] += 1
            continue
        kept.append(it)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "replies.jsonl").open("w", encoding="utf-8") as f:
        for it in kept:
            f.write(json.dumps({k: it.get(k, "") for k in FIELDS}, ensure_ascii=False) + "\n")
    used = {it["situation"] for it in kept}
    # The drill review (practice, content notes) was done on the merged file: carry it over.
    spath = out / "situations.jsonl"
    if args.append and spath.is_file():
        for old in _read(spath):
            situations.setdefault(old["situation"], old)
    elif spath.is_file():
        for old in _read(spath):
            if old.get("situation") in situations:
                for key in ("practice", "content", "not_practice"):
                    if key in old:
                        situations[old["situation"]][key] = old[key]
    with spath.open("w", encoding="utf-8") as f:
        for sid in sorted(situations):
            if sid in used:
                f.write(json.dumps(situations[sid], ensure_ascii=False) + "\n")
    total = Counter()
    for c in stats.values():
        total.update(c)
    print(f"batches: {len(stats)}; written {total['written']}; labels agree {total['labels agree']} "
          f"({100 * total['labels agree'] / max(1, total['written']):.1f}%); kinds agree where labels do "
          f"{100 * total['kinds agree'] / max(1, total['with kinds']):.1f}% (where the first pass gave one)")
    for b, c in stats.items():
        print(f"  batch {b}: {c['written']} written, {c['labels agree']} agreed, {c['labels disagree']} disagreed")
    print("dropped:", dict(dropped))
    print(f"kept {len(kept)} replies to {len(used)} situations -> {out}")
    print("labels:", dict(Counter(it["label"] for it in kept)))
    print("voices:", dict(Counter(it.get("voice") or "(none)" for it in kept)))
    print(f"hard: {100 * sum(it['hard'] for it in kept) / max(1, len(kept)):.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
