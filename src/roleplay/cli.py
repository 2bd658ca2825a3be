"""The `roleplay` command: parses arguments, calls into core or the app, formats the output."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _not_ready(name: str) -> int:
    print(f"roleplay {name}: not available in this build yet.", file=sys.stderr)
    return 2


# --- scoring (issue 3) -------------------------------------------------------------------

def cmd_score(args: argparse.Namespace) -> int:
    return _not_ready("score")


def cmd_eval(args: argparse.Namespace) -> int:
    return _not_ready("eval")


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


# --- parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Practise empathic responding with scripted clients. "
        "With no command, opens the trainer.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_scoring_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        print("roleplay: the trainer app is not built yet; try `roleplay --help`.")
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
