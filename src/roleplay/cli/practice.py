"""Practice in the plain terminal: list, validate, play, forget."""

from __future__ import annotations

import argparse
import sys

from . import common
from .common import no_files, now, print_diags
from .play_feedback import debrief_lines, disagree as _disagree, feedback_lines as _feedback_lines
from .safe_output import ask


def cmd_list(args: argparse.Namespace) -> int:
    from roleplay.core.scenario.catalog import catalog, duplicate_ids

    entries = catalog(args.dirs)
    if not entries:
        print("No scenarios found.")
        return 0
    builtin_ids = {e.name for e in entries if e.builtin}
    for d in duplicate_ids([e.path for e in entries if not e.builtin]):
        print(d)
    for e in entries:
        if not e.builtin and e.scenario is not None and e.name in builtin_ids:
            print(f"{e.path}: warning: the id {e.name!r} is also a built-in scenario's; "
                  "`roleplay play` with --scenarios uses this file")
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
    from roleplay.core.scenario.loader import load_scenario

    files, found = common.expand(args.paths, args.scenarios)
    print_diags(found, sys.stdout)
    errors = sum(1 for d in found if d.is_error)
    warnings = len(found) - errors
    if not files:
        return 1 if errors else no_files("validate")
    for path in files:
        _, diags = load_scenario(path)
        print_diags(diags, sys.stdout)
        errors += sum(1 for d in diags if d.is_error)
        warnings += sum(1 for d in diags if not d.is_error)
    print(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def _script_lines(source: str):
    # Bytes that are not UTF-8 survive as surrogate escapes; Practice replaces them with U+FFFD
    # and the turn's record says so.
    if source == "-":
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(errors="surrogateescape")
        stream = sys.stdin
    else:
        stream = open(source, encoding="utf-8", errors="surrogateescape")
    try:
        for line in stream:
            if line.strip():
                yield line.rstrip("\n")
    finally:
        if stream is not sys.stdin:
            stream.close()


def _resume(args: argparse.Namespace, scenario, scorer, say):
    """(practice or None, its lock or None, exit code or None) for --resume and the offer to resume."""
    from roleplay.core.session.engine import Session
    from roleplay.core.session.practice import Practice, save_record
    from roleplay.core.session.resume import resumable

    if args.resume is None and (args.script is not None or not sys.stdin.isatty()):
        return None, None, None  # not asked for, and not at a terminal to be offered one
    candidates, problems = resumable(scenario.id, args.resume)
    for p in problems:
        say(p)
    if args.resume is None:  # offer the latest
        if not candidates:
            return None, None, None
        r = candidates[0]
        n = r.header.turns
        answer = ask(f"Resume your unfinished session from {r.updated} "
                       f"({n} turn{'' if n == 1 else 's'} so far)? [Y/n] ").strip().lower()
        if answer not in ("", "y", "yes"):
            return None, None, None
        candidates = candidates[:1]
    got = Practice.resume(candidates, lambda record: Session.from_record(record, scenario, scorer, clock=now),
                          saver=None if args.no_save else save_record)
    for skip in got.skipped:
        say(str(skip))
    if got.refused:
        say(got.refused)
        return None, None, 1
    if got.practice is not None:
        session = got.practice.session
        say(f"Resuming session {session.id} after turn {len(session.turns)}.")
        return got.practice, got.lock, None
    if args.resume is not None:
        say("No unfinished session to resume; starting a new one.")
    return None, None, None


def cmd_play(args: argparse.Namespace) -> int:
    import zlib
    from datetime import datetime

    from roleplay.core.session import records
    from roleplay.core.session.engine import Session
    from roleplay.core.session.practice import Practice, save_record

    scenario = common.resolve_or_report(args.scenario, args.scenarios)
    if scenario is None:
        return 1
    scorer, rdiags = common.load_scorer(args.rubric, scenario)
    if scorer is None:
        print_diags(rdiags)
        return 1
    quiet = args.json
    say = (lambda *a: print(*a, file=sys.stderr)) if quiet else print

    records.clean_stray()
    student = common.student_name(args.student, args.script is None and sys.stdin.isatty(), "play", say)
    practice, lock, code = _resume(args, scenario, scorer, say)
    if code is not None:
        return code
    if practice is None:
        sid = records.new_session_id(datetime.now(), scenario.id)
        practice = Practice(Session(scenario, scorer, id=sid, seed=zlib.crc32(sid.encode()) % 10_000, clock=now,
                                    student=student), saver=None if args.no_save else save_record)
        if not args.no_save:
            lock = _lock_new(records.record_path(sid))
    elif practice.session.student is None:  # a session from before the name was given
        practice.session.student = student
    try:
        return _play(args, practice, say)
    finally:
        if lock is not None:
            lock.release()


def _lock_new(path):
    from roleplay.core.session.record_lock import SessionLock

    try:
        return SessionLock(path).acquire()
    except Exception:  # a new id is never held elsewhere; a folder that cannot be locked is told by the save
        return None


def _play(args: argparse.Namespace, practice, say) -> int:
    from roleplay.core.session.engine import ReplyTooLong
    from roleplay.core.session.practice import RecordFullError
    from roleplay.core.reporting.endings import ending_name

    session = practice.session
    scenario = session.scenario
    p = scenario.persona
    say(f"{scenario.title}: {p.name}, {p.age} ({p.pronouns}) - {p.setting}")
    if p.content_note and p.content_note.lower() != "none":
        say(f"Content note: {p.content_note}")
    say(p.briefing)
    if args.script is None:
        say("Type your reply and press Enter. Commands: /undo, /hint, /model, /disagree LABEL because ..., /quit")
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(errors="surrogateescape")
    replies = _script_lines(args.script) if args.script is not None else None

    def news() -> None:
        message = practice.news()
        if message:
            say(message)

    watching = _watch(args, practice, say)
    while not session.finished:
        if watching:
            scenario = _watch_tick(practice, say)
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
        # Slash commands are commands whether typed or read from --script.
        cmd = text.strip().lower()
        if cmd == "/quit":
            break
        if cmd == "/undo":
            say("Rewound one turn." if practice.rewind() else "Nothing to rewind.")
            news()
            continue
        if cmd in ("/hint", "/model"):
            hint, model = practice.hint(), practice.model_reply()
            if cmd == "/hint" and hint:
                say(f"  hint: {hint}")
            elif model:
                say(f"  model reply: {model}")
            else:
                say("  (nothing to show at this moment)")
            continue
        if cmd.split(maxsplit=1)[:1] == ["/disagree"]:
            say(_disagree(practice, text))
            news()
            continue
        if not text.strip():
            continue
        if watching:
            scenario = _watch_tick(practice, say)
            p = scenario.persona
        try:
            turn = practice.submit(text)
        except (ReplyTooLong, RecordFullError) as exc:
            say(f"  {exc}")
            continue
        news()
        for note in turn.notes:
            say(f"  (note: {note})")
        for line in _feedback_lines(turn, scenario):
            say(line)
        if turn.trap is not None:
            say(f"  ! Teaching moment ({turn.trap.when}): {turn.trap.note}")
        if turn.reaction:
            say(f"{p.name}: {turn.reaction}")
    ending = session.ending
    if ending is not None:
        say("")
        if session.ending_line:
            say(f"{p.name}: {session.ending_line}" + (f"  {ending.cue}" if ending.cue else ""))
        say(f"Ending: {ending_name(ending.id, scenario)}")
        say(ending.debrief)
        _say_traps(session, say)
    else:
        say("")
        if args.no_save:
            say(f"Stopped after {len(session.turns)} turn(s); nothing was saved (--no-save).")
        elif practice.last_error and session.turns:
            say(f"Stopped after {len(session.turns)} turn(s); the session could not be saved (see above).")
        else:
            say(f"Stopped after {len(session.turns)} turn(s); the session is saved and can be resumed.")
        _say_traps(session, say)
    for line in debrief_lines(session):
        say(line)
    if args.json:
        import json

        print(json.dumps(session.to_dict(), ensure_ascii=False))
    return 0


def _say_traps(session, say) -> None:  # the debrief's teaching moments: every trap sprung
    from roleplay.core.reporting.trap_lines import trap_lines

    for i, line in enumerate(trap_lines(session.to_record())):
        say(f"  - {line}" if i else f"\nTeaching moments:\n  - {line}")


def cmd_forget(args: argparse.Namespace) -> int:
    from roleplay.core.session import records
    from roleplay.core.io.paths import sessions_dir

    if not args.all and not args.session:
        print("roleplay forget: name a SESSION id, or use --all", file=sys.stderr)
        return 2
    if args.all and not args.yes:
        if not sys.stdin.isatty():
            print("roleplay forget --all: add --yes to confirm when not at a terminal", file=sys.stderr)
            return 2
        if ask(f"Delete every session record in {sessions_dir()}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 0
    if args.all:
        gone = records.forget(None)
    else:
        found = records.matching(args.session)
        if not found:
            print(f"No session {args.session!r} in {sessions_dir()}: nothing deleted.", file=sys.stderr)
            return 1
        exact = len(found) == 1 and found[0].stem == args.session
        if not exact:
            # A prefix (or several records): say which, and ask; never delete on a guess.
            names = ", ".join(p.stem for p in found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
            if not args.yes:
                if not sys.stdin.isatty():
                    print(f"roleplay forget: {args.session!r} is not a session id; it begins {len(found)} "
                          f"record(s) ({names}). Give the full id, or add --yes to delete them all.",
                          file=sys.stderr)
                    return 2
                if ask(f"Delete {len(found)} record(s): {names}? [y/N] ").strip().lower() not in ("y", "yes"):
                    print("Nothing deleted.")
                    return 0
        gone = records.forget(paths=found)
    print(f"Deleted {len(gone)} record(s) from {sessions_dir()}.")
    return 0


def _watch(args: argparse.Namespace, practice, say) -> bool:
    """play --watch: the practice follows its scenario's file; False when not asked or no file."""
    if not getattr(args, "watch", False):
        return False
    from roleplay.core.authoring.watch import ScenarioWatcher

    scenario = practice.session.scenario
    if not scenario.path:
        say("--watch: this scenario has no file to watch.")
        return False
    watcher = ScenarioWatcher(scenario.path)
    watcher.adopt(scenario)
    practice.follow(watcher)
    say(f"Watching {scenario.path}: saved changes are picked up before each client line.")
    return True


def _watch_tick(practice, say):
    """Say what a look at the scenario file found; returns the scenario the session is now on."""
    from roleplay.core.session.practice import BROKEN, CAUGHT_UP

    found = practice.poll_scenario()
    if found is not None:
        say("")
        if found.kind == BROKEN:
            say(f"[watch] {practice.watcher.path} has errors; carrying on with the last good version:")
        elif found.kind == CAUGHT_UP:
            say(f"[watch] your turn is in the newest version now: {found.note}")
        else:
            say(f"[watch] {found.note}")
        for d in found.diagnostics:
            say(f"  {d}")
        message = practice.news()  # a reload is saved: a save problem is told here too
        if message:
            say(message)
    return practice.session.scenario


def add_commands(sub: argparse._SubParsersAction) -> None:

    p = sub.add_parser("list", help="built-in and your scenarios, with persona, setting and content note")
    p.add_argument("dirs", nargs="*", metavar="DIR", help="folders with your own scenarios")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="check scenario files; exit 1 if any has an error")
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files, folders or names")
    common.add_scenarios_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("play", help="a session in the plain terminal")
    p.add_argument("scenario", metavar="SCENARIO", help="a built-in name or a path to a scenario file")
    p.add_argument("--script", metavar="FILE", help="read one reply per line from FILE (- for stdin)")
    p.add_argument("--json", action="store_true", help="print the session record as one JSON object at the end")
    p.add_argument("--rubric", metavar="FILE", help="a rubric file instead of the default")
    p.add_argument("--resume", nargs="?", const="", metavar="SESSION",
                   help="resume the latest unfinished session of this scenario (or the one given)")
    p.add_argument("--no-save", action="store_true", help="do not keep a record of this session")
    p.add_argument("--student", metavar="NAME", help="your name or student number, kept in your records (remembered)")
    common.add_scenarios_option(p)
    p.add_argument("--watch", action="store_true",
                   help="reload the scenario file when it changes (for authors), keeping your place")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("forget", help="delete saved session records from this machine")
    p.add_argument("session", nargs="?", metavar="SESSION", help="the session id (or its beginning)")
    p.add_argument("--all", action="store_true", help="delete every record")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_forget)

