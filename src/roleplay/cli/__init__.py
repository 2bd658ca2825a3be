"""The `roleplay` command: parses arguments and hands each command family to its module."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

# Each command and the module that defines it. `roleplay score` imports only scoring.py and the
# trainer none of them: together they cost tens of milliseconds of every start. Help, a typo or
# anything unclear loads them all (build_parser()).
COMMANDS = {"list": "practice", "validate": "practice", "play": "practice", "forget": "practice",
            "drill": "drill", "score": "scoring", "eval": "scoring", "train": "scoring",
            "new": "authoring", "schema": "authoring", "lint": "authoring", "graph": "authoring",
            "test": "authoring", "walk": "authoring", "report": "reporting", "serve": "serve"}
FAMILIES = ("practice", "drill", "scoring", "authoring", "reporting", "serve")
_VALUED = frozenset({"--scenarios", "--feedback", "--idle-exit"})  # the app's options that take a value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("give a number of seconds, 0 or more")
    return value


def build_parser(families: Sequence[str] = FAMILIES) -> argparse.ArgumentParser:
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
    parser.add_argument("--idle-exit", dest="app_idle_exit", type=_seconds, default=0, metavar="SECONDS",
                        help="save and quit after SECONDS without a key press or click (roleplay serve sets it)")
    parser.add_argument("--lab", dest="app_lab", action="store_true",
                        help="as served to a class by roleplay serve: exports go only to the data folder")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for family in families:
        importlib.import_module(f"{__name__}.{family}").add_commands(sub)
    return parser


def _families(argv: Sequence[str]) -> Sequence[str]:
    """The command modules `argv` needs: the one its command names, none for the trainer, and all
    of them for help or anything not plainly a known command."""
    skip = False
    for tok in argv:
        if skip:
            skip = False
        elif tok in _VALUED:
            skip = True
        elif tok in ("-h", "--help"):
            return FAMILIES
        elif not tok.startswith("-"):
            family = COMMANDS.get(tok)
            return (family,) if family else FAMILIES
    return ()


def run_app(args: argparse.Namespace) -> int:
    """The no-command path: open the trainer. Textual is imported only here."""
    from ..tui.app import create_app

    app = create_app(getattr(args, "app_scenarios", None) or [], projector=getattr(args, "app_projector", False),
                     feedback=getattr(args, "app_feedback", "immediate"),
                     idle_seconds=getattr(args, "app_idle_exit", 0), lab=getattr(args, "app_lab", False),
                     ask_student=not getattr(args, "app_lab", False))  # a lab asks for the name at the door
    app.run()
    return int(app.return_code or 0)


def main(argv: Sequence[str] | None = None) -> int:
    from .safe_output import safe_streams

    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(_families(argv))
    with safe_streams():  # argparse echoes its arguments in errors: those are made safe too
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        try:
            return run_app(args)  # the app keeps text from files off the terminal itself (tui/app.py)
        except KeyboardInterrupt:
            return 130
    if sys.stdin is None:  # started with standard input closed (`<&-`): read it as empty
        import os

        sys.stdin = open(os.devnull, encoding="utf-8")
    try:
        with safe_streams():
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
