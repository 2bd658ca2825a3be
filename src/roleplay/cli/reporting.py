"""Reports across students: report (sessions grouped by student, and drills in their own section)."""

from __future__ import annotations

import argparse
import sys


def cmd_report(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from roleplay.core.io.output_targets import target_problem
    from roleplay.core.io.terminal import terminal_safe
    from roleplay.core.reporting import drill_report, report, report_render
    from roleplay.core.session.records import atomic_write

    # Every output is checked before anything is read: a refused target costs nothing.
    targets = [t for t in (args.csv, args.md, args.json, args.disputes, args.replies_csv, args.html) if t]
    if len({str(Path(t).resolve()) for t in targets}) < len(targets):
        print("roleplay report: --csv, --md, --json, --disputes, --replies-csv and --html need different files",
              file=sys.stderr)
        return 2
    for target in targets:
        problem = target_problem(target, inputs=args.paths, force=args.force)
        if problem:
            print(f"roleplay report: {target} {problem}", file=sys.stderr)
            return 2
    drills = drill_report.DrillCollector()
    sessions, problems = report.collect(args.paths, other=drills.take)
    for p in problems:
        print(f"roleplay report: {p}", file=sys.stderr)
    if not sessions and not drills.runs:
        print("roleplay report: no readable session records found", file=sys.stderr)
        return 1
    rep = report.summarise(sessions, problems) if sessions else None
    section = drill_report.summarise(drills.runs, sessions) if drills.runs else None
    if rep is not None:
        sys.stdout.write(report_render.to_text(rep))
    if section is not None:  # drills get their own section; a report of sessions alone is unchanged
        text = drill_report.to_text(section)
        sys.stdout.write(terminal_safe(text.lstrip("\n") if rep is None else text))

    def as_markdown(r) -> str:
        text = report_render.to_markdown(r) if r is not None else "# Class report\n"
        return text + drill_report.to_markdown(section) if section is not None else text

    def as_json(r) -> str:
        if section is None:
            return report_render.to_json(r)
        data = json.loads(report_render.to_json(r)) if r is not None else {}
        data["drills"] = drill_report.to_dict(section)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def as_jsonl(r) -> str:
        from roleplay.core.reporting.disputes import to_jsonl

        return to_jsonl(r.disputes if r is not None else [])

    def as_html(r) -> str:
        from roleplay.core.reporting.report_html import to_html

        return to_html(r, drill_report.to_markdown(section) if section is not None else "")

    def as_replies(_r) -> str:
        from roleplay.core.reporting.report_replies import to_replies_csv

        return to_replies_csv(sessions)

    have = rep is not None
    renders = {"csv": report_render.to_csv if have else None, "md": as_markdown, "json": as_json,
               "replies_csv": as_replies if have else None, "html": as_html if have else None,
               "disputes": as_jsonl}
    for option, render in renders.items():
        target = getattr(args, option)
        if not target:
            continue
        if render is None:
            print(f"roleplay report: no session records, so no --{option.replace('_', '-')} file was written",
                  file=sys.stderr)
            continue
        try:
            atomic_write(Path(target), render(rep))
        except OSError as exc:
            print(f"roleplay report: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        n = f" ({len(rep.disputes) if rep is not None else 0} disputed label(s))" if option == "disputes" else ""
        print(f"Wrote {target}{n}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="a class report from many students' session and drill records")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR",
                   help="session and drill records (.json) or CSV exports, or folders of them (one per student)")
    p.add_argument("--csv", metavar="FILE", help="also write the per-student table as CSV")
    p.add_argument("--md", metavar="FILE", help="also write the whole report as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write the whole report as JSON")
    p.add_argument("--disputes", metavar="FILE",
                   help="also write the labels students disputed as labelled replies (JSON lines) for "
                        "`roleplay train` and `roleplay eval`; review them first")
    p.add_argument("--replies-csv", metavar="FILE",
                   help="also write one row per reply (student, session, turn, reply, label, confidence) for a gradebook")
    p.add_argument("--html", metavar="FILE", help="also write the whole report as one self-contained HTML file")
    p.add_argument("--force", action="store_true", help="replace output files that already exist")
    p.set_defaults(func=cmd_report)

