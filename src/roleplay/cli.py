"""The `roleplay` command: parses arguments, calls into core or the app, formats the output."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


# --- scoring (issue 3) -------------------------------------------------------------------

_LABEL_WORDS = {
    "empathic": "empathic: feels with the client",
    "sympathetic": "sympathetic: feels for the client, from outside",
    "judgmental": "judgmental: evaluates the client",
    "neutral": "neutral: none of the three",
}
_ANSI = {"empathic": "\033[1;32m", "sympathetic": "\033[1;33m", "judgmental": "\033[1;31m", "neutral": "\033[1;36m"}


def _highlight(reply: str, evidence, color: bool) -> str:
    """The reply with evidence spans marked: [brackets], or ANSI colours on a terminal."""
    spans = sorted((e.start, e.end, e.label) for e in evidence
                   if e.end > e.start and e.weight > 0 and not e.source.startswith("exemplar:"))
    merged: list[list] = []
    for a, b, lab in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b, lab])
    out, pos = [], 0
    for a, b, lab in merged:
        out.append(reply[pos:a])
        out.append(f"{_ANSI[lab]}{reply[a:b]}\033[0m" if color and lab in _ANSI else f"[{reply[a:b]}]")
        pos = b
    out.append(reply[pos:])
    return "".join(out)


def _score_lines(reply: str, a, color: bool) -> list[str]:
    kinds = ", ".join(a.kinds) if a.kinds else "no clear sub-kind"
    label = _LABEL_WORDS.get(a.label, a.label)
    if color:
        label = f"{_ANSI.get(a.label, '')}{label}\033[0m"
    lines = [f"Label: {label}", f"Sub-kinds: {kinds}", f"Confidence: {a.confidence:.0%}"]
    shown = reply if len(reply) <= 2000 else reply[:2000] + " ..."
    lines.append("Reply: " + _highlight(shown, [e for e in a.evidence if e.end <= len(shown)], color))
    why = [f'"{e.text}" ({e.label} {e.kind})'.replace(" )", ")") for e in a.evidence
           if e.label == a.label and e.weight > 0 and not e.source.startswith("exemplar:")][:5]
    if why:
        lines.append("Because of: " + ", ".join(why))
    if a.feedback:
        lines.append(f"Feedback: {a.feedback}")
    return lines


def _score_jsonl(scorer, source: str) -> int:
    import json

    from .core.assessment import Context
    from .core.evaluation import read_jsonl

    try:
        stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"roleplay score: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        for _, row, err in read_jsonl(stream, need_label=False):
            if err is not None:
                out = err
            else:
                a = scorer.assess(row.reply, Context(client=row.client))
                out = {"id": row.id, "label": a.label, "confidence": round(a.confidence, 4),
                       "scores": {k: round(v, 4) for k, v in a.scores.items()}, "kinds": list(a.kinds),
                       "evidence": [e.to_dict() for e in a.evidence]}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    except OSError as exc:
        print(f"roleplay score: cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    scorer, diags = _load_scorer(args.rubric)
    _print_diags(diags)
    if scorer is None:
        return 1
    if args.jsonl:
        return _score_jsonl(scorer, args.jsonl)
    if args.reply is None:
        print("roleplay score: give a reply to score, or --jsonl FILE (- for stdin)", file=sys.stderr)
        return 2
    from .core.assessment import Context

    a = scorer.assess(args.reply, Context(client=args.client or ""))
    for line in _score_lines(args.reply, a, sys.stdout.isatty()):
        print(line)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .core.assessment import Context
    from .core.evaluation import format_metrics, metrics, read_jsonl

    scorer, diags = _load_scorer(args.rubric)
    _print_diags(diags)
    if scorer is None:
        return 1
    try:
        with open(args.file, encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
    except OSError as exc:
        print(f"roleplay eval: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    gold: list[str] = []
    pred: list[str] = []
    hard: list[bool] = []
    bad = 0
    for n, row, err in read_jsonl(lines, need_label=True):
        if err is not None:
            bad += 1
            print(f"{args.file}:{n}: skipped: {err['error']}", file=sys.stderr)
            continue
        gold.append(row.label)
        pred.append(scorer.assess(row.reply, Context(client=row.client)).label)
        hard.append(row.hard)
    if not gold:
        print(f"roleplay eval: no labelled replies in {args.file}", file=sys.stderr)
        return 1
    for line in format_metrics(metrics(gold, pred)):
        print(line)
    if any(hard):
        idx = [i for i, h in enumerate(hard) if h]
        mh = metrics([gold[i] for i in idx], [pred[i] for i in idx])
        print("")
        print(f"hard items: {len(idx)}, accuracy: {mh.accuracy:.3f}, hard macro-F1: {mh.macro_f1:.3f}")
    if bad:
        print(f"\n{bad} bad row(s) skipped")
    return 0


def _add_scoring_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="label one reply, or a batch of replies as JSON lines")
    p.add_argument("reply", nargs="?", help="the student's reply")
    p.add_argument("--client", default="", help="what the client just said")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.add_argument("--jsonl", metavar="FILE", help="batch mode: JSON lines from FILE, or - for stdin")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("eval", help="check the scorer against labelled replies (JSON lines)")
    p.add_argument("file", metavar="FILE.jsonl")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.set_defaults(func=cmd_eval)


# --- scenarios: list, validate, play (issue 2) -------------------------------------------

def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _resolve(name: str):
    """A scenario by built-in name or path, or (None, diagnostics)."""
    from .core.catalog import resolve

    return resolve(name)


def _no_files(command: str) -> int:
    print(f"roleplay {command}: no scenario files found", file=sys.stderr)
    return 1


def _print_diags(diags, stream=None) -> None:
    for d in diags:
        print(d, file=stream or sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    from .core.catalog import catalog

    entries = catalog(args.dirs)
    if not entries:
        print("No scenarios found.")
        return 0
    for e in entries:
        where = "built-in" if e.builtin else str(e.path)
        if e.scenario is None:
            errors = sum(1 for d in e.diagnostics if d.is_error)
            print(f"{e.path.stem}  [{where}]  BROKEN: {errors} error(s); run `roleplay validate {e.path}`")
            continue
        s = e.scenario
        p = s.persona
        print(f"{s.id}  [{where}]  {s.title}")
        print(f"    {p.name}, {p.age} ({p.pronouns}): {p.setting}")
        print(f"    {s.difficulty}, about {s.minutes} min. Content note: {p.content_note}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .core.loader import load_scenario
    from .core.paths import scenario_files

    files = scenario_files(args.paths)
    if not files:
        return _no_files("validate")
    errors = warnings = 0
    for path in files:
        _, diags = load_scenario(path)
        _print_diags(diags, sys.stdout)
        errors += sum(1 for d in diags if d.is_error)
        warnings += sum(1 for d in diags if not d.is_error)
    print(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _load_scorer(rubric: str | None, scenario=None):
    """The scorer for --rubric, else the scenario's own rubric, else the default; (scorer, diagnostics)."""
    from .core.scoring import scorer_for

    return scorer_for(scenario, rubric)


def _feedback_lines(turn, scenario) -> list[str]:
    a = turn.assessment
    kinds = ", ".join(a.kinds) if a.kinds else "no clear sub-kind"
    out = [f"  -> {a.label.upper()} ({kinds}), confidence {a.confidence:.0%}"]
    words = [e.text for e in a.evidence if e.label == a.label][:4]
    if words:
        out.append("     because of: " + ", ".join(f'"{w}"' for w in words))
    if a.feedback:
        out.append(f"     {a.feedback}")
    for c in turn.changes:
        var = scenario.variables.get(c.var)
        if var is not None and var.type == "int":
            out.append(f"     {var.display}: {c.before} -> {c.after}" + (f" ({c.reason})" if c.reason else ""))
    if a.model_reply and a.label != "empathic":
        out.append(f"     A model reply: {a.model_reply}")
    return out


def _script_lines(source: str):
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    try:
        for line in stream:
            if line.strip():
                yield line.rstrip("\n")
    finally:
        if stream is not sys.stdin:
            stream.close()


def cmd_play(args: argparse.Namespace) -> int:
    import zlib
    from datetime import datetime

    from .core import records
    from .core.catalog import resolve
    from .core.engine import Session

    scenario, diags = resolve(args.scenario, args.scenarios or [])
    if scenario is None:
        _print_diags(diags)
        return 1
    scorer, rdiags = _load_scorer(args.rubric, scenario)
    if scorer is None:
        _print_diags(rdiags)
        return 1
    quiet = args.json
    say = (lambda *a: print(*a, file=sys.stderr)) if quiet else print

    session = None
    if args.resume is not None:
        candidates = records.unfinished(scenario_id=scenario.id)
        if args.resume:
            candidates = [r for r in candidates if r.id.startswith(args.resume)]
        if not candidates:
            say("No unfinished session to resume; starting a new one.")
        else:
            session = Session.from_dict(candidates[0].data, scenario, scorer, clock=_now)
            say(f"Resuming session {session.id} after turn {len(session.turns)}.")
    elif args.script is None and sys.stdin.isatty():
        waiting = records.unfinished(scenario_id=scenario.id)
        if waiting:
            r = waiting[0]
            n = len(r.data["turns"])
            answer = input(f"Resume your unfinished session from {r.updated} "
                           f"({n} turn{'' if n == 1 else 's'} so far)? [Y/n] ").strip().lower()
            if answer in ("", "y", "yes"):
                session = Session.from_dict(r.data, scenario, scorer, clock=_now)
    if session is None:
        sid = records.new_session_id(datetime.now(), scenario.id)
        session = Session(scenario, scorer, id=sid, seed=zlib.crc32(sid.encode()) % 10_000, clock=_now)

    p = scenario.persona
    say(f"{scenario.title}: {p.name}, {p.age} ({p.pronouns}) - {p.setting}")
    if p.content_note and p.content_note.lower() != "none":
        say(f"Content note: {p.content_note}")
    say(p.briefing)
    if args.script is None:
        say("Type your reply and press Enter. Commands: /undo, /hint, /model, /quit")
    replies = _script_lines(args.script) if args.script is not None else None
    save = not args.no_save

    def persist() -> None:
        if save:
            records.save(session.to_dict())

    watcher = _watcher_for(args, scenario, say)
    while not session.finished:
        if watcher is not None:
            scenario = _watch_tick(watcher, session, say)
            p = scenario.persona
        cur = session.current
        if cur is None:
            say("This session's place no longer exists in the scenario.")
            break
        say("")
        say(f"{p.name}: {cur.text}" + (f"  {cur.cue}" if cur.cue else ""))
        if replies is not None:
            text = next(replies, None)
            if text is None:
                break
            say(f"you> {text}")
        else:
            try:
                text = input("you> ")
            except EOFError:
                break
            cmd = text.strip().lower()
            if cmd == "/quit":
                break
            if cmd == "/undo":
                say("Rewound one turn." if session.undo() else "Nothing to rewind.")
                persist()
                continue
            if cmd in ("/hint", "/model"):
                node = session.node
                if cmd == "/hint" and node and node.exemplars.get("empathic"):
                    say(f"  hint: an empathic opener - {node.exemplars['empathic'][0]}")
                elif node and node.model_reply:
                    say(f"  model reply: {node.model_reply}")
                continue
        if not text.strip():
            continue
        if watcher is not None:
            scenario = _watch_tick(watcher, session, say)
            p = scenario.persona
        turn = session.respond(text)
        persist()
        for line in _feedback_lines(turn, scenario):
            say(line)
    ending = session.ending
    if ending is not None:
        say("")
        if ending.line_text:
            say(f"{p.name}: {ending.line_text}" + (f"  {ending.cue}" if ending.cue else ""))
        say(f"Ending: {ending.title} ({ending.outcome})")
        say(ending.debrief)
    else:
        say("")
        say(f"Stopped after {len(session.turns)} turn(s); the session is saved and can be resumed.")
    if args.json:
        import json

        print(json.dumps(session.to_dict(), ensure_ascii=False))
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from .core import records
    from .core.paths import sessions_dir

    if not args.all and not args.session:
        print("roleplay forget: name a SESSION id, or use --all", file=sys.stderr)
        return 2
    if args.all and not args.yes:
        if not sys.stdin.isatty():
            print("roleplay forget --all: add --yes to confirm when not at a terminal", file=sys.stderr)
            return 2
        if input(f"Delete every session record in {sessions_dir()}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 0
    gone = records.forget(None if args.all else args.session)
    if not gone and args.session:
        print(f"No session {args.session!r} in {sessions_dir()}.", file=sys.stderr)
        return 1
    print(f"Deleted {len(gone)} record(s) from {sessions_dir()}.")
    return 0


def _add_scenario_commands(sub: argparse._SubParsersAction) -> None:

    p = sub.add_parser("list", help="built-in and your scenarios, with persona, setting and content note")
    p.add_argument("dirs", nargs="*", metavar="DIR", help="folders with your own scenarios")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="check scenario files; exit 1 if any has an error")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("play", help="a session in the plain terminal")
    p.add_argument("scenario", metavar="SCENARIO", help="a built-in name or a path to a scenario file")
    p.add_argument("--script", metavar="FILE", help="read one reply per line from FILE (- for stdin)")
    p.add_argument("--json", action="store_true", help="print the session record as one JSON object at the end")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.add_argument("--resume", nargs="?", const="", metavar="SESSION",
                   help="resume the latest unfinished session of this scenario (or the one given)")
    p.add_argument("--no-save", action="store_true", help="do not keep a record of this session")
    p.add_argument("--scenarios", action="append", metavar="DIR", help="also look for SCENARIO in DIR")
    p.add_argument("--watch", action="store_true",
                   help="reload the scenario file when it changes (for authors), keeping your place")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("forget", help="delete saved session records from this machine")
    p.add_argument("session", nargs="?", metavar="SESSION", help="the session id (or its beginning)")
    p.add_argument("--all", action="store_true", help="delete every record")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_forget)


# --- instructor toolkit: new, schema, lint, graph, test, walk, report; play --watch (issue 5) ---

class _ToolkitScorers:
    """Scorers for lint and test (core.scoring.scorer_for); a broken rubric's diagnostics are
    given once, however many scenarios use it."""

    def __init__(self, option: str | None) -> None:
        self.option = option
        self._reported: set[str] = set()

    def for_scenario(self, scenario) -> tuple:
        """(scorer or None, diagnostics to print now)."""
        scorer, diags = _load_scorer(self.option, scenario)
        key = "\n".join(map(str, diags))
        if key in self._reported:
            return scorer, []
        self._reported.add(key)
        return scorer, diags


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core import scaffold
    from .core.schema import schema_json

    try:
        ident, text = scaffold.render(args.name)
    except scaffold.BadName as exc:
        print(f"roleplay new: {exc}", file=sys.stderr)
        return 2
    folder = Path(args.dir)
    target = folder / f"{ident}.yaml"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as fh:  # "x": never overwrite
            fh.write(text)
    except FileExistsError:
        print(f"roleplay new: {target} already exists; not overwriting it "
              "(choose another NAME or --dir)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"roleplay new: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote {target}")
    if not args.no_schema:
        schema_path = folder / scaffold.SCHEMA_FILE
        if not schema_path.exists():
            try:
                schema_path.write_text(schema_json("scenario"), encoding="utf-8")
                print(f"Wrote {schema_path} (editor completion: see the first line of {target.name})")
            except OSError as exc:
                print(f"roleplay new: could not write {schema_path}: {exc.strerror or exc}", file=sys.stderr)
    if ident != args.name:
        print(f"(the scenario id is {ident!r}: lower_snake_case)")
    print("Next: edit it, then run")
    for step in (f"roleplay lint {target}", f"roleplay test {target}", f"roleplay graph {target}",
                 f"roleplay play {target} --watch"):
        print(f"  {step}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .core.schema import SchemaUnavailable, schema_json

    try:
        sys.stdout.write(schema_json(args.kind))
    except SchemaUnavailable as exc:
        print(f"roleplay schema: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from .core.lint import lint_file
    from .core.paths import scenario_files

    files = scenario_files(args.paths)
    if not files:
        return _no_files("lint")
    from .core.loader import load_scenario

    scorers = _ToolkitScorers(args.rubric)
    errors = warnings = 0
    for path in files:
        scorer = None
        if not args.no_scorer:
            scenario, _ = load_scenario(path)
            if scenario is not None:
                scorer, rdiags = scorers.for_scenario(scenario)
                _print_diags(rdiags, sys.stdout)  # a broken rubric: its own positioned errors
                errors += sum(1 for d in rdiags if d.is_error)
        result = lint_file(path, scorer)
        _print_diags(result.diagnostics, sys.stdout)
        if scorer is not None:
            for note in result.notes:
                print(f"{path}: note: {note}")
        errors += result.errors
        warnings += result.warnings
    print(f"{len(files)} file(s) linted: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .core.graph_render import render

    scenario, diags = _resolve(args.scenario)
    if scenario is None:
        _print_diags(diags)
        return 1
    sys.stdout.write(render(scenario, args.format))
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core.loader import load_scenario
    from .core.paths import scenario_files
    from .core.scenario_tests import needs_scorer, run_tests

    targets: list = []
    for item in args.paths:
        if Path(item).exists() or item.endswith((".yaml", ".yml")):
            targets += scenario_files([item])
        else:
            targets.append(item)  # a built-in name
    if not targets:
        return _no_files("test")
    passed = failed = broken = 0
    scorers = _ToolkitScorers(args.rubric)
    for target in targets:
        if isinstance(target, Path):
            scenario, diags = load_scenario(target)
        else:
            scenario, diags = _resolve(target)
        if scenario is None:
            _print_diags(diags, sys.stdout)
            print(f"BROKEN {target}: fix the errors above (roleplay validate {target})")
            broken += 1
            continue
        if len(targets) > 1:
            print(f"{scenario.path or target}:")
        if not scenario.tests:
            print("  (no tests: add a `tests:` section)" if len(targets) > 1 else
                  f"{target}: no tests (add a `tests:` section)")
            continue
        scorer = None
        if needs_scorer(scenario):
            scorer, rdiags = scorers.for_scenario(scenario)
            _print_diags(rdiags, sys.stdout)
        for outcome in run_tests(scenario, scorer):
            print(("  " if len(targets) > 1 else "") + outcome.describe())
            if outcome.passed:
                passed += 1
            else:
                failed += 1
    summary = f"{passed} passed, {failed} failed"
    if broken:
        summary += f", {broken} broken file(s)"
    print(summary)
    return 1 if failed or broken else 0


def cmd_walk(args: argparse.Namespace) -> int:
    from .core.walk import format_walk, walk

    if args.max_paths < 1:
        print("roleplay walk: --max-paths must be at least 1", file=sys.stderr)
        return 2
    scenario, diags = _resolve(args.scenario)
    if scenario is None:
        _print_diags(diags)
        return 1
    sys.stdout.write(format_walk(walk(scenario, args.max_paths)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core import report
    from .core.records import atomic_write

    sessions, problems = report.collect(args.paths)
    for p in problems:
        print(f"roleplay report: {p}", file=sys.stderr)
    if not sessions:
        print("roleplay report: no readable session records found", file=sys.stderr)
        return 1
    rep = report.summarise(sessions, problems)
    sys.stdout.write(report.to_text(rep))
    for option, render in (("csv", report.to_csv), ("md", report.to_markdown), ("json", report.to_json)):
        target = getattr(args, option)
        if target:
            try:
                atomic_write(Path(target), render(rep))
            except OSError as exc:
                print(f"roleplay report: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
                return 1
            print(f"Wrote {target}", file=sys.stderr)
    return 0


def _watcher_for(args: argparse.Namespace, scenario, say):
    """play --watch: a watcher on the scenario's file, or None."""
    if not getattr(args, "watch", False):
        return None
    from .core.watch import ScenarioWatcher

    if not scenario.path:
        say("--watch: this scenario has no file to watch.")
        return None
    watcher = ScenarioWatcher(scenario.path)
    watcher.load()
    say(f"Watching {scenario.path}: saved changes are picked up before each client line.")
    return watcher


def _watch_tick(watcher, session, say):
    """Reload the scenario if its file changed; returns the scenario the session is now on."""
    from .core.watch import fit_state, rebase

    changed, new, diags = watcher.poll()
    if changed:
        if new is None:
            say("")
            say(f"[watch] {watcher.path} has errors; carrying on with the last good version:")
            for d in diags:
                say(f"  {d}")
        else:
            say("")
            say(f"[watch] {rebase(session, new)}")
            for d in diags:
                say(f"  {d}")
    fit_state(session)
    return session.scenario


def _add_toolkit_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="start a new scenario file from a commented, working template")
    p.add_argument("name", metavar="NAME", help="the scenario name (becomes its id and file name)")
    p.add_argument("--dir", default=".", metavar="DIR", help="where to write NAME.yaml (default: here)")
    p.add_argument("--no-schema", action="store_true",
                   help="do not write scenario.schema.json beside it for editor completion")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario or rubric files")
    p.add_argument("kind", choices=("scenario", "rubric"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("lint", help="validate, plus reachability with state, exemplars vs the scorer, "
                       "text lengths, content notes")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--no-scorer", action="store_true", help="skip the checks that run the scorer (L220, L221)")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("graph", help="the branching map of a scenario")
    p.add_argument("scenario", metavar="SCENARIO", help="a built-in name or a path")
    p.add_argument("--format", choices=("text", "mermaid", "dot"), default="text")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("test", help="run the `tests:` section of scenarios")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders or built-in names")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default (for `replies:`)")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("walk", help="explore every path by label: coverage, path lengths, state at endings")
    p.add_argument("scenario", metavar="SCENARIO", help="a built-in name or a path")
    p.add_argument("--max-paths", type=int, default=10_000, metavar="N",
                   help="stop after N paths (default 10,000); beyond it paths are sampled evenly")
    p.set_defaults(func=cmd_walk)

    p = sub.add_parser("report", help="a class report from many students' session records")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                   help="session records (.json) or CSV exports, or folders of them (one per student)")
    p.add_argument("--csv", metavar="FILE", help="also write the per-student table as CSV")
    p.add_argument("--md", metavar="FILE", help="also write the whole report as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write the whole report as JSON")
    p.set_defaults(func=cmd_report)


# --- parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Practise empathic responding with scripted clients. "
        "With no command, opens the trainer.",
    )
    # Options for the trainer app (no COMMAND). dest app_* so subcommands' own options never clash.
    parser.add_argument("--scenarios", dest="app_scenarios", action="append", default=[], metavar="DIR",
                        help="also offer the scenarios in DIR in the trainer (repeatable)")
    parser.add_argument("--projector", dest="app_projector", action="store_true",
                        help="start the trainer in projector mode (high contrast, large conversation; F5 toggles)")
    parser.add_argument("--feedback", dest="app_feedback", choices=("immediate", "end", "reveal"),
                        default="immediate",
                        help="immediate: labels after every reply (default); end: only at the debrief; "
                        "reveal: hidden until revealed with F4, for class discussion")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_scenario_commands(sub)
    _add_scoring_commands(sub)
    _add_toolkit_commands(sub)
    return parser


def run_app(args: argparse.Namespace) -> int:
    """The no-command path: open the trainer. Textual is imported only here."""
    from .tui.app import create_app

    app = create_app(getattr(args, "app_scenarios", None) or [], projector=getattr(args, "app_projector", False),
                     feedback=getattr(args, "app_feedback", "immediate"))
    app.run()
    return int(app.return_code or 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        try:
            return run_app(args)
        except KeyboardInterrupt:
            return 130
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
