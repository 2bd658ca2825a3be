"""Reports across students: report."""

from __future__ import annotations

import argparse
import sys


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from roleplay.core.io.output_targets import target_problem
    from roleplay.core.reporting import report, report_render
    from roleplay.core.session.records import atomic_write

    # Every output is checked before anything is read: a refused target costs nothing.
    targets = [t for t in (args.csv, args.md, args.json) if t]
    if len({str(Path(t).resolve()) for t in targets}) < len(targets):
        print("roleplay report: --csv, --md and --json need different files", file=sys.stderr)
        return 2
    for target in targets:
        problem = target_problem(target, inputs=args.paths, force=args.force)
        if problem:
            print(f"roleplay report: {target} {problem}", file=sys.stderr)
            return 2
    sessions, problems = report.collect(args.paths)
    for p in problems:
        print(f"roleplay report: {p}", file=sys.stderr)
    if not sessions:
        print("roleplay report: no readable session records found", file=sys.stderr)
        return 1
    rep = report.summarise(sessions, problems)
    sys.stdout.write(report_render.to_text(rep))
    for option, render in (("csv", report_render.to_csv), ("md", report_render.to_markdown),
                           ("json", report_render.to_json)):
        target = getattr(args, option)
        if target:
            try:
                atomic_write(Path(target), render(rep))
            except OSError as exc:
                print(f"roleplay report: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
                return 1
            print(f"Wrote {target}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="a class report from many students' session records")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                   help="session records (.json) or CSV exports, or folders of them (one per student)")
    p.add_argument("--csv", metavar="FILE", help="also write the per-student table as CSV")
    p.add_argument("--md", metavar="FILE", help="also write the whole report as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write the whole report as JSON")
    p.add_argument("--force", action="store_true", help="replace --csv, --md or --json files that already exist")
    p.set_defaults(func=cmd_report)

