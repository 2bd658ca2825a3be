"""Reports across students: report."""

from __future__ import annotations

import argparse
import sys


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from roleplay.core.reporting import report, report_render
    from roleplay.core.session.records import atomic_write

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
    p.set_defaults(func=cmd_report)

