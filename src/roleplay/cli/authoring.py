"""The instructor's toolkit: new, schema, lint, graph, test, walk."""

from __future__ import annotations

import argparse
import sys


from .common import ToolkitScorers, add_scenarios_option, expand, no_files, print_diags, resolve_or_report


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from roleplay.core.authoring import scaffold
    from roleplay.core.authoring.schema import schema_json

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
    from roleplay.core.authoring.schema import SchemaUnavailable, schema_json

    try:
        sys.stdout.write(schema_json(args.kind))
    except SchemaUnavailable as exc:
        print(f"roleplay schema: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from roleplay.core.authoring.lint import lint_file

    files, found = expand(args.paths, args.scenarios)
    print_diags(found, sys.stdout)
    errors = sum(1 for d in found if d.is_error)
    warnings = len(found) - errors
    if not files:
        return 1 if errors else no_files("lint")
    from roleplay.core.scenario.loader import load_scenario

    scorers = ToolkitScorers(args.rubric)
    for path in files:
        scorer = None
        if not args.no_scorer:
            scenario, _ = load_scenario(path)
            if scenario is not None:
                scorer, rdiags = scorers.for_scenario(scenario)
                print_diags(rdiags, sys.stdout)  # a broken rubric: its own positioned errors
                errors += sum(1 for d in rdiags if d.is_error)
        result = lint_file(path, scorer)
        print_diags(result.diagnostics, sys.stdout)
        if scorer is not None:
            for note in result.notes:
                print(f"{path}: note: {note}")
        errors += result.errors
        warnings += result.warnings
    print(f"{len(files)} file(s) linted: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from roleplay.core.authoring.graph_render import render

    scenario = resolve_or_report(args.scenario, args.scenarios)
    if scenario is None:
        return 1
    sys.stdout.write(render(scenario, args.format))
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from roleplay.core.scenario.loader import load_scenario
    from roleplay.core.authoring.scenario_tests import needs_scorer, run_tests

    targets, found = expand(args.paths, args.scenarios)
    print_diags(found, sys.stdout)
    broken = sum(1 for d in found if d.is_error)
    if not targets:
        return 1 if broken else no_files("test")
    passed = failed = 0
    scorers = ToolkitScorers(args.rubric)
    for target in targets:
        scenario, diags = load_scenario(target)
        if scenario is None:
            print_diags(diags, sys.stdout)
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
            print_diags(rdiags, sys.stdout)
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
    from roleplay.core.authoring.walk import walk
    from roleplay.core.authoring.walk_render import format_walk

    if args.max_paths < 1:
        print("roleplay walk: --max-paths must be at least 1", file=sys.stderr)
        return 2
    scenario = resolve_or_report(args.scenario, args.scenarios)
    if scenario is None:
        return 1
    sys.stdout.write(format_walk(walk(scenario, args.max_paths)))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
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
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders or names")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--no-scorer", action="store_true", help="skip the checks that run the scorer (L220, L221)")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    add_scenarios_option(p)
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("graph", help="the branching map of a scenario")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario name (built-in or in --scenarios) or a path")
    p.add_argument("--format", choices=("text", "mermaid", "dot"), default="text")
    add_scenarios_option(p)
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("test", help="run the `tests:` section of scenarios")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders or built-in names")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default (for `replies:`)")
    add_scenarios_option(p)
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("walk", help="explore every path by label: coverage, path lengths, state at endings")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario name (built-in or in --scenarios) or a path")
    p.add_argument("--max-paths", type=int, default=10_000, metavar="N",
                   help="stop after N paths (default 10,000); beyond it paths are sampled evenly")
    add_scenarios_option(p)
    p.set_defaults(func=cmd_walk)
