"""Scoring replies: score, eval (and eval --cv), train."""

from __future__ import annotations

import argparse
import sys

from roleplay.core.assessment import shown_evidence
from roleplay.core.io.gc_pause import gc_paused

from . import common
from .batch import default_jobs, score_jsonl
from .common import print_diags


_LABEL_WORDS = {
    "empathic": "empathic: feels with the client",
    "sympathetic": "sympathetic: feels for the client, from outside",
    "judgmental": "judgmental: evaluates the client",
    "neutral": "neutral: none of the three",
}


# Each label's colour on a terminal (safe_output's fixed table; words carry the meaning too).
_COLOUR = {"empathic": "green", "sympathetic": "yellow", "judgmental": "red", "neutral": "cyan"}

Parts = list[tuple[str, "str | None"]]  # (text, colour): written by safe_output.write_styled


def _highlight(reply: str, evidence, color: bool) -> Parts:
    """The reply with evidence spans marked: [brackets], or the label's colour on a terminal."""
    spans = sorted((e.start, e.end, e.label) for e in evidence
                   if e.end > e.start and e.weight > 0 and not e.source.startswith("exemplar:"))
    merged: list[list] = []
    for a, b, lab in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b, lab])
    out: Parts = []
    pos = 0
    for a, b, lab in merged:
        out.append((reply[pos:a], None))
        out.append((reply[a:b], _COLOUR.get(lab)) if color and lab in _COLOUR else (f"[{reply[a:b]}]", None))
        pos = b
    out.append((reply[pos:], None))
    return out


def _score_lines(reply: str, a, color: bool) -> list[Parts]:
    """The human-readable result, as styled parts; safe_output makes every part terminal-safe."""
    kinds = ", ".join(a.kinds) if a.kinds else "no clear sub-kind"
    label = _LABEL_WORDS.get(a.label, a.label)
    lines: list[Parts] = [[("Label: ", None), (label, _COLOUR.get(a.label) if color else None)],
                          [(f"Sub-kinds: {kinds}", None)], [(f"Confidence: {a.confidence:.0%}", None)]]
    shown = reply if len(reply) <= 2000 else reply[:2000] + " ..."
    lines.append([("Reply: ", None)] + _highlight(shown, [e for e in a.evidence if e.end <= len(shown)], color))
    why = [f'"{e.text}" ({e.label} {e.kind})'.replace(" )", ")") for e in shown_evidence(a, reply)][:5]
    if why:
        lines.append([("Because of: " + ", ".join(why), None)])
    if a.feedback:
        lines.append([(f"Feedback: {a.feedback}", None)])
    for note in a.notes:
        lines.append([(f"Note: {note}", None)])
    return lines


def cmd_score(args: argparse.Namespace) -> int:
    # Loading builds a few hundred thousand long-lived objects; collecting finds nothing to free.
    with gc_paused():
        scorer, diags = common.load_scorer(args.rubric)
    print_diags(diags)
    if scorer is None:
        return 1
    if args.jsonl:
        return score_jsonl(scorer, args.jsonl, default_jobs(args.jobs))
    if args.reply is None:
        print("roleplay score: give a reply to score, or --jsonl FILE (- for stdin)", file=sys.stderr)
        return 2
    from roleplay.core.assessment import Context

    a = scorer.assess(args.reply, Context(client=args.client or ""))
    from .safe_output import write_styled

    for line in _score_lines(args.reply, a, sys.stdout.isatty()):
        write_styled(line + [("\n", None)])
    return 0


def _need_training_extra(command: str) -> bool:
    try:
        import scipy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        print(f"roleplay {command}: this needs the training extra (scikit-learn): "
              "python3 -m pip install 'roleplay[train]'", file=sys.stderr)
        return False
    return True


def _read_corpus(command: str, files) -> list | None:
    from roleplay.core.scoring.corpus import CorpusError
    from roleplay.core.scoring.train import training_items

    try:
        return training_items(files or ())
    except CorpusError as exc:
        print(f"roleplay {command}: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"roleplay {command}: cannot read {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
    return None


def _load_rubric(command: str, path: str | None):
    from roleplay.core.scoring.rubric import find_rubric, load_default_rubric, load_rubric

    if not path:
        return load_default_rubric()
    rub, diags = load_rubric(find_rubric(path))
    print_diags(diags)
    if rub is None:
        print(f"roleplay {command}: the rubric {path} has errors", file=sys.stderr)
    return rub


def cmd_eval(args: argparse.Namespace) -> int:
    if args.cv:
        return _eval_cv(args)
    if not args.file:
        print("roleplay eval: give a labelled FILE.jsonl, or --cv for cross-validation on the corpus",
              file=sys.stderr)
        return 2
    from roleplay.core.assessment import Context
    from roleplay.core.scoring.evaluation import read_jsonl
    from roleplay.core.scoring.metrics import format_summary, summarise

    scorer, diags = common.load_scorer(args.rubric)
    print_diags(diags)
    if scorer is None:
        return 1
    gold: list[str] = []
    pred: list[str] = []
    hard: list[bool] = []
    voices: list[str] = []
    bad = 0
    for path in args.file:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.readlines()
        except OSError as exc:
            print(f"roleplay eval: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        for n, row, err in read_jsonl(lines, need_label=True):
            if err is not None:
                bad += 1
                print(f"{path}:{n}: skipped: {err['error']}", file=sys.stderr)
                continue
            gold.append(row.label)
            pred.append(scorer.assess(row.reply, Context(client=row.client)).label)
            hard.append(row.hard)
            voices.append(str(row.extra.get("voice") or ""))
    if not gold:
        print(f"roleplay eval: no labelled replies in {', '.join(args.file)}", file=sys.stderr)
        return 1
    for line in format_summary(summarise(gold, pred, voices, hard)):
        print(line)
    if bad:
        print(f"\n{bad} bad row(s) skipped")
    return 0


def _eval_cv(args: argparse.Namespace) -> int:
    from roleplay.core.scoring.metrics import format_summary

    if not _need_training_extra("eval --cv"):
        return 1
    from roleplay.core.scoring.train import Params, cv_report

    if args.folds < 2:
        print("roleplay eval: --folds must be at least 2", file=sys.stderr)
        return 2
    rubric = _load_rubric("eval", args.rubric)
    items = _read_corpus("eval", args.file)
    if rubric is None or items is None:
        return 1
    n_sit = len({it.situation for it in items})
    if n_sit < args.folds:
        print(f"roleplay eval: {n_sit} situation(s) is too few for {args.folds} folds", file=sys.stderr)
        return 1
    print(f"Cross-validation: {len(items)} replies, {n_sit} situations, {args.folds} folds grouped by "
          "situation (no situation in both training and test)...", file=sys.stderr)
    rep = cv_report(rubric, items, Params(), args.folds)
    for line in format_summary(rep.summary):
        print(line)
    print("")
    print("20 most confidently wrong (confidence, gold -> predicted, voice, reply):")
    for conf, it, lab in rep.wrong[:20]:
        reply = it.reply if len(it.reply) <= 120 else it.reply[:117] + "..."
        print(f"  {conf:.2f}  {it.label} -> {lab}  [{it.voice or '-'}]  {reply}")
    return 0


def _readable(path) -> None:
    """A model is shared (a class folder, a wheel): readable by all, unlike a private record."""
    import os

    os.chmod(path, 0o644)


def cmd_train(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    if not _need_training_extra("train"):
        return 1
    from roleplay.core.session.records import atomic_write
    from roleplay.core.scoring.decide import model_path
    from roleplay.core.scoring.train import train_model

    rubric = _load_rubric("train", args.rubric)
    if rubric is None:
        return 1
    if args.out:
        out = Path(args.out)
    elif args.rubric:
        if not rubric.model:
            print(f"roleplay train: the rubric {args.rubric} names no model file: add a line such as "
                  f"`model: models/{rubric.id or 'mine'}.rpm` to it, or give --out FILE", file=sys.stderr)
            return 2
        out = model_path(rubric)
    elif args.files:
        print("roleplay train: give --out FILE (or --rubric FILE whose `model:` names the file); "
              "the built-in model is only rebuilt from the built-in corpus", file=sys.stderr)
        return 2
    else:
        out = model_path(rubric)
    from roleplay.core.io.output_targets import target_problem

    # Retraining replaces the model file by design (no --force), but never a device or an input.
    problem = target_problem(out, inputs=[*(args.files or ()), *([args.rubric] if args.rubric else [])], force=True)
    if problem:
        print(f"roleplay train: {out} {problem}", file=sys.stderr)
        return 2
    items = _read_corpus("train", args.files)
    if items is None:
        return 1
    labels = {it.label for it in items}
    if len(labels) < 4:
        print(f"roleplay train: the replies need all four labels (found: {', '.join(sorted(labels))})",
              file=sys.stderr)
        return 1
    t = time.monotonic()
    print(f"Training on {len(items)} replies ({len({i.situation for i in items})} situations)...", file=sys.stderr)
    model = train_model(rubric, items)
    data = model.to_bytes()
    try:
        atomic_write(out, data)
        _readable(out)
    except OSError as exc:
        print(f"roleplay train: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote {out}: {len(model.vocab):,} features, {len(data) / 1e6:.1f} MB, "
          f"in {time.monotonic() - t:.0f} s")
    if not (args.out or args.rubric or args.files):  # the built-in model: its rubric's cue facts ship too
        from roleplay.core.scoring import pattern_facts
        from roleplay.core.scoring.cues import cue_patterns

        facts_path = pattern_facts.shipped_path()
        try:
            atomic_write(facts_path, pattern_facts.shipped_text(cue_patterns(rubric.cues)))
            _readable(facts_path)
        except OSError as exc:
            print(f"roleplay train: cannot write {facts_path}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"Wrote {facts_path}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="label one reply, or a batch of replies as JSON lines")
    p.add_argument("reply", nargs="?", help="the student's reply")
    p.add_argument("--client", default="", help="what the client just said")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.add_argument("--jsonl", metavar="FILE", help="batch mode: JSON lines from FILE, or - for stdin")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="batch mode from a file: score in N processes (default: one per core, at most 4)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("eval", help="check the scorer against labelled replies (JSON lines), or "
                       "cross-validate it on the corpus (--cv)")
    p.add_argument("file", metavar="FILE.jsonl", nargs="*",
                   help="labelled replies; with --cv, added to the built-in corpus")
    p.add_argument("--cv", action="store_true",
                   help="cross-validation grouped by situation on the built-in corpus (needs the train extra)")
    p.add_argument("--folds", type=int, default=5, metavar="K", help="folds for --cv (default 5)")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="train the scorer's model from the built-in corpus plus your labelled "
                       "replies (needs the train extra)")
    p.add_argument("files", nargs="*", metavar="FILE.jsonl",
                   help='your labelled replies: {"reply", "label"} per line, optionally "client", "kind", '
                        '"situation", "voice"')
    p.add_argument("--rubric", metavar="FILE", help="train for this rubric; the model goes to the file its "
                   "`model:` key names")
    p.add_argument("--out", metavar="FILE", help="write the model here instead")
    p.set_defaults(func=cmd_train)

