"""Drills in the plain terminal: single client lines from the corpus, one reply each, feedback at once."""

from __future__ import annotations

import argparse
import sys
import threading

from .common import now, print_diags

COMMANDS = "After the feedback: Enter for the next line, /retry to try the same line again (once), /quit to stop."


def _key(text: str) -> str:
    """A tag or area as typed ("Self-harm", "grief and illness") in the corpus's spelling."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def _unknown(what: str, value: str, choices, hint: str = "") -> int:
    from roleplay.core.scenario.shape import suggest

    print(f"roleplay drill: unknown {what} {value!r}{suggest(value, sorted(choices))}. {hint}".rstrip(),
          file=sys.stderr)
    return 2


class _Background:
    """The scorer loads while the first line is read (it takes most of a second)."""

    def __init__(self) -> None:
        self.result: tuple = (None, ["the reply scorer did not start"])
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            from roleplay.core.scoring import scorer_for

            self.result = scorer_for(None, None)
        except Exception as exc:  # said in words when the first reply needs it, never a traceback
            self.result = (None, [f"roleplay drill: the reply scorer could not start ({type(exc).__name__}: {exc})"])

    def get(self):
        self._thread.join()
        return self.result


def _list(items, say) -> int:
    from roleplay.core.content_notes import CONTENT_TAGS, area_name
    from roleplay.core.labels import EMPATHIC, KINDS
    from roleplay.core.session.drill_corpus import areas

    counts = {a: sum(1 for it in items if it.area == a) for a in areas(items)}
    say(f"{len(items)} drill lines. Settings (--setting AREA, --exclude AREA):")
    for a, n in counts.items():
        say(f"  {a:<26} {n:>4}  {area_name(a)}")
    say("Content notes (--exclude TAG):")
    for tag, name in CONTENT_TAGS.items():
        say(f"  {tag:<26} {sum(1 for it in items if tag in it.content):>4}  {name}")
    say("Habits to aim at (--focus KIND, or auto):")
    for label, kinds in KINDS.items():
        if label != EMPATHIC:
            say(f"  {label}: {', '.join(kinds)}")
    return 0


def _feedback(attempt, item, say) -> None:
    from roleplay.core.io.terminal import terminal_safe as safe

    a = attempt.assessment
    kinds = ", ".join(a.kinds) if a.kinds else "no clear sub-kind"
    say(f"  -> {a.label.upper()} ({kinds}), confidence {a.confidence:.0%}")
    from roleplay.core.assessment import shown_words

    words, more = shown_words(a, attempt.reply)
    if words:
        say("     because of: " + ", ".join(f'"{safe(w)}"' for w, _ in words) + (f", and {more} more" if more else ""))
    if a.feedback:
        say(f"     {a.feedback}")
    say(f"     An empathic reply from the corpus: {safe(item.example)}")


def _summary(drill, say) -> None:
    from collections import Counter

    from roleplay.core.labels import EMPATHIC
    from roleplay.core.reporting.debrief import PRACTICE

    s = drill.summary()
    say("")
    say(f"Drill over: {s['answered']} of {s['lines']} lines answered; empathic at the first try: "
        f"{s['empathic_first']} of {s['answered']}; retries: {s['retries']} ({s['improved']} became empathic).")
    habits = Counter(a.kind for a in drill.first_tries() if a.label != EMPATHIC and a.kind)
    if habits:
        kind, n = habits.most_common(1)[0]
        say(f"Most frequent in this drill: {kind} ({n} {'reply' if n == 1 else 'replies'}). {PRACTICE.get(kind, '')}".rstrip())


def _preferences(args, say) -> tuple:
    """Preferences with this run's --student, --exclude and --include applied (and remembered)."""
    from roleplay.core.content_notes import tag_name
    from roleplay.core.session import preferences

    prefs, message = preferences.load()
    if message:
        print(f"roleplay drill: {message}", file=sys.stderr)
    changed = prefs
    if args.student is not None:
        changed = type(prefs)(preferences.sanitise_name(args.student), changed.excluded)
    if args.exclude:
        changed = changed.excluding([_key(x) for x in args.exclude])
    if args.include:
        changed = changed.including([_key(x) for x in args.include])
    if changed != prefs:
        try:
            preferences.save(changed)
            for k in (_key(x) for x in args.exclude or []):
                say(f"Remembered: {tag_name(k)} is left out of your drills (--include {k} brings it back).")
            for k in (_key(x) for x in args.include or []):
                say(f"Remembered: {tag_name(k)} can appear in your drills again.")
        except OSError as exc:
            print(f"roleplay drill: could not remember your choices ({exc.strerror or exc}); "
                  "they apply to this drill only.", file=sys.stderr)
    return changed


class _NoScorer(Exception):
    """The scorer could not be loaded (its diagnostics are the argument)."""


def _line(drill, read, say, background, *, scripted: bool, pending: str | None) -> tuple[str, str | None]:
    """One drill line: reply, feedback, maybe one retry. Returns ("next" or "quit", a scripted
    reply already read for the next line)."""
    from roleplay.core.io.terminal import terminal_safe as safe
    from roleplay.core.session.engine import EmptyReply

    while True:
        if drill.awaiting_reply:
            text = pending if pending is not None else read("you> ")
            if pending is not None:
                say(f"you> {safe(pending)}")
            pending = None
            cmd = text.strip().lower() if text is not None else "/quit"
            if cmd == "/quit":
                return "quit", None
            if cmd in ("/next", "/skip"):
                return "next", None
            if cmd == "/retry":
                say("  (reply first: /retry is for trying a line again after its feedback)")
                continue
            if drill.scorer is None:
                drill.scorer, diags = background.get()
                if drill.scorer is None:
                    raise _NoScorer(diags)
            try:
                attempt = drill.submit(text)
            except EmptyReply:
                continue
            if drill.last_error:
                say(drill.last_error)
            _feedback(attempt, drill.current, say)
        prompt = "  [Enter] next · " + ("/retry · " if drill.can_retry else "") + "/quit> "
        answer = read(prompt, echo=False)
        cmd = answer.strip().lower() if answer is not None else "/quit"
        if scripted and cmd.startswith("/"):
            say(f"{prompt}{safe(answer)}")
        if cmd == "/quit":
            return "quit", None
        if cmd == "/retry":
            say("Try the same line again:" if drill.retry() else "  (this line has had its retry)")
            continue
        if cmd in ("", "/next", "/skip"):
            return "next", None
        if scripted:
            return "next", answer  # the reply to the next line
        say("  Press Enter for the next line, or /retry to try this one again.")


def cmd_drill(args: argparse.Namespace) -> int:
    import secrets
    from datetime import datetime

    from roleplay.core.content_notes import CONTENT_TAGS, area_name, content_note
    from roleplay.core.io.terminal import terminal_safe as safe
    from roleplay.core.labels import KINDS
    from roleplay.core.reporting.drill_plan import AUTO, describe_exclusions, plan_drill
    from roleplay.core.reporting.habits import own_profile, recently_drilled
    from roleplay.core.session import drill_records
    from roleplay.core.session.drill import Drill, new_drill_id
    from roleplay.core.session.drill_corpus import DrillCorpusError, areas, load_items
    from .practice import _script_lines

    say = print
    try:
        items, problems = load_items(args.corpus)
    except DrillCorpusError as exc:
        print(f"roleplay drill: {exc}", file=sys.stderr)
        return 1
    for p in problems:
        print(f"roleplay drill: {p}", file=sys.stderr)
    if args.list:
        return _list(items, say)
    known_areas = areas(items)
    kinds = [k for ks in KINDS.values() for k in ks]
    focus = args.focus.strip().lower() if args.focus else None
    if focus is not None and focus != AUTO and focus not in kinds:
        return _unknown("focus", args.focus, kinds + [AUTO], "See roleplay drill --list.")
    area = _key(args.setting) if args.setting else None
    if area is not None and area not in known_areas:
        return _unknown("setting", args.setting, known_areas, "See roleplay drill --list.")
    for value in (args.exclude or []) + (args.include or []):
        if _key(value) not in CONTENT_TAGS and _key(value) not in known_areas:
            return _unknown("content tag or setting", value, list(CONTENT_TAGS) + known_areas,
                            "See roleplay drill --list.")
    if args.n < 1:
        print("roleplay drill: --n must be at least 1", file=sys.stderr)
        return 2
    prefs = _preferences(args, say)
    background = _Background()
    profile, drills, skipped = own_profile()
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    plan = plan_drill(items, args.n, focus=focus, area=area, excluded=prefs.excluded, seed=seed,
                      profile=profile, avoid=recently_drilled(drills))
    if not plan.items:
        why = [f"setting {area_name(area)}"] if area else []
        why += [f"focus {plan.focus}"] if plan.focus else []
        why += [f"leaving out {describe_exclusions(prefs.excluded, known_areas)}"] if prefs.excluded else []
        print(f"roleplay drill: no drill lines match ({'; '.join(why) or 'the corpus has none'}). "
              "Try another --setting or --focus, or --include what you left out.", file=sys.stderr)
        return 1
    drill = Drill(plan.items, None, id=new_drill_id(datetime.now()), student=prefs.student, clock=now,
                  saver=None if args.no_save else drill_records.save, focus=plan.focus, setting=area,
                  excluded=prefs.excluded, seed=seed)
    say(f"Drill: {drill.total} line{'' if drill.total == 1 else 's'}. {plan.note}")
    if prefs.excluded:
        say(f"Left out: {describe_exclusions(prefs.excluded, known_areas)}.")
    if len(plan.items) < args.n:
        say(f"(Only {len(plan.items)} lines match; the drill is shorter.)")
    say(f"Type your reply and press Enter. {COMMANDS}")
    replies = _script_lines(args.script) if args.script is not None else None

    def read(prompt: str, echo: bool = True) -> str | None:
        if replies is None:
            try:
                return input(prompt)
            except EOFError:
                return None
        text = next(replies, None)
        if text is not None and echo:
            say(f"{prompt}{safe(text)}")
        return text

    pending: str | None = None
    while drill.current is not None:
        item = drill.current
        say("")
        note = content_note(item.content)
        say(f"[{drill.position + 1}/{drill.total}] {area_name(item.area)}" + (f" · Content note: {note}" if note else ""))
        say(safe(item.setting))
        say(f"Client: {safe(item.client)}")
        try:
            step, pending = _line(drill, read, say, background, scripted=replies is not None, pending=pending)
        except _NoScorer as exc:
            print_diags(exc.args[0])
            return 1
        if step == "quit":
            break
        drill.next()
    _summary(drill, say)
    if args.no_save:
        say("Nothing was saved (--no-save).")
    elif drill.attempts:
        say(f"Every reply is saved in {drill_records.drill_path(drill.id)} (roleplay report reads drills too).")
    for p in skipped[:3]:
        print(f"roleplay drill: {p}", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help="short practice: single client lines from many settings, aimed at your habits")
    p.add_argument("--n", type=int, default=10, metavar="N", help="how many lines (default 10)")
    p.add_argument("--focus", metavar="KIND", help="a habit to practise against (e.g. reassurance, interrogating), "
                   "or auto: your most frequent one")
    p.add_argument("--setting", metavar="AREA", help="only lines from one setting area (see --list)")
    p.add_argument("--exclude", nargs="+", action="extend", metavar="TAG",
                   help="leave out a content tag or a setting area, remembered for later drills (e.g. self_harm)")
    p.add_argument("--include", nargs="+", action="extend", metavar="TAG",
                   help="bring back something left out with --exclude")
    p.add_argument("--student", metavar="NAME", help="your name, kept in your drill records (remembered)")
    p.add_argument("--seed", type=int, metavar="N", help="choose the same lines again (a number)")
    p.add_argument("--script", metavar="FILE", help="read one reply per line from FILE (- for stdin); "
                   "/retry, /next and /quit are commands")
    p.add_argument("--no-save", action="store_true", help="do not keep a record of this drill")
    p.add_argument("--corpus", metavar="DIR", help="a folder with situations.jsonl and replies.jsonl "
                   "instead of the built-in corpus")
    p.add_argument("--list", action="store_true", help="list the setting areas, content tags and habits, then stop")
    p.set_defaults(func=cmd_drill)
