"""`roleplay serve`: the trainer for a class, in the browser (the `serve` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

SESSION_MB = 100  # one student's trainer with its scorer: about 60 MB PSS, 75 MB RSS (bench/README.md)
SESSIONS_PER_CORE = 16  # a session idles between replies; a reply costs a few ms of scoring


def default_max_sessions(cpus: int | None = None, free_mb: int | None = None) -> int:
    """Sized to the machine: by cores, and by memory with a quarter kept back for everything else."""
    cpus = cpus or os.cpu_count() or 1
    by_cpu = cpus * SESSIONS_PER_CORE
    if free_mb is None:
        free_mb = _available_mb()
    by_memory = int(free_mb * 0.75) // SESSION_MB if free_mb else by_cpu
    return max(2, min(by_cpu, by_memory))


def _available_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (AttributeError, ValueError, OSError):
        return None  # unknown (Windows): sized by cores alone


def needs_code(host: str, public_url: str | None) -> bool:
    """A lab reachable from other machines, directly or through a proxy, needs an access code."""
    from roleplay.serve.access import is_loopback

    if not is_loopback(host):
        return True
    return bool(public_url) and not is_loopback(urlsplit(public_url).hostname or "")


def _lan_address() -> str | None:
    """This machine's address on the room's network (no packet is sent), for the banner."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return None


def _url(host: str, port: int) -> str:
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}"


def banner(port: int, host: str, code: str | None, home: Path, max_sessions: int, idle_minutes: float,
           public_url: str | None, generated: bool) -> list[str]:
    from roleplay.serve.access import is_loopback

    where = public_url or _url(host, port)
    if not public_url and host in ("0.0.0.0", "::", ""):
        lan = _lan_address()
        where = f"{_url(lan, port)}  (or this machine's other addresses)" if lan \
            else f"this machine's address, port {port}"
    lines = ["roleplay serve: the trainer in the browser, one session per tab.",
             f"  Students open:  {where}"]
    if is_loopback(host) and not public_url:
        lines[-1] += "  (this computer only; --host 0.0.0.0 opens it to the room's network)"
    if code:
        lines.append(f"  Access code:    {code}" + ("  (made up now; set your own with --code)" if generated else ""))
    lines += [f"  Records:        {home / 'students'}{os.sep}<student name>{os.sep}",
              f"  Class report:   roleplay report {home / 'students'}",
              f"  Up to {max_sessions} sessions at once; "
              + (f"a session idle for {idle_minutes:g} min is saved and closed." if idle_minutes
                 else "idle sessions are left open."),
              "Press Ctrl+C to stop."]
    return lines


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from roleplay.serve.server import ClassroomServer, LabSettings
    except ImportError as exc:
        missing = getattr(exc, "name", None) or "textual-serve"
        print(f"roleplay serve needs the browser-lab extra, which is not installed (missing: {missing}).\n"
              f"Install it with:\n    {sys.executable} -m pip install \"roleplay[serve]\"", file=sys.stderr)
        return 2
    from roleplay.core.io.paths import data_home
    from roleplay.serve.access import code_problem, new_code

    def fail(message: str) -> int:
        print(f"roleplay serve: {message}", file=sys.stderr)
        return 2

    for folder in args.scenarios or []:
        if not Path(folder).is_dir():
            return fail(f"--scenarios {folder}: no such folder")
    if not 0 <= args.port < 65536:
        return fail("--port must be between 1 and 65535 (0: any free port)")
    if args.max_sessions is not None and args.max_sessions < 1:
        return fail("--max-sessions must be 1 or more")
    if args.idle_minutes < 0:
        return fail("--idle-minutes must be 0 (never) or more")
    public_url = args.public_url
    if public_url and (urlsplit(public_url).scheme not in ("http", "https") or not urlsplit(public_url).hostname):
        return fail(f"--public-url {public_url!r}: give the address students open, e.g. https://lab.example.edu")
    code, generated = args.code, False
    if code is not None:
        problem = code_problem(code)
        if problem:
            return fail(f"--code: {problem}")
        code = code.strip()
    elif needs_code(args.host, public_url):
        code, generated = new_code(), True
    max_sessions = args.max_sessions or default_max_sessions()
    home = data_home()
    settings = LabSettings(
        home=home, code=code, max_sessions=max_sessions, host=args.host, port=args.port,
        idle_seconds=int(args.idle_minutes * 60), feedback=args.feedback,
        scenarios=tuple(Path(d) for d in args.scenarios or []), public_url=public_url,
        banner=lambda port: banner(port, args.host, code, home, max_sessions, args.idle_minutes, public_url,
                                   generated))
    try:
        ClassroomServer(settings).serve()
    except OSError as exc:
        import errno

        if exc.errno == errno.EADDRINUSE:
            return fail(f"port {args.port} is in use on {args.host}; choose another with --port.")
        return fail(f"cannot listen on {args.host} port {args.port}: {exc.strerror or exc}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="the trainer for a class in the browser, one session per tab "
                       "(needs the serve extra)",
                       description="Serve the trainer to browsers: each student types their name (and, off "
                       "this computer, the access code) and gets their own session; records go to "
                       "ROLEPLAY_HOME/students/<name>/. Students need only a browser.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the room's "
                   "network, with an access code)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: any free port)")
    p.add_argument("--scenarios", action="append", metavar="DIR", help="also offer the scenarios in DIR (repeatable)")
    p.add_argument("--feedback", choices=("immediate", "end", "reveal"), default="immediate",
                   help="when students see labels (as for the trainer; default immediate)")
    p.add_argument("--max-sessions", type=int, metavar="N",
                   help="sessions open at once; more are asked to wait (default: sized to this machine)")
    p.add_argument("--code", metavar="CODE",
                   help="the access code students type (default: made up at start when the lab is reachable "
                   "from other machines)")
    p.add_argument("--idle-minutes", type=float, default=30, metavar="M",
                   help="save and close a session after M minutes without input (default 30; 0: never)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address students open when the lab is behind a reverse proxy "
                   "(e.g. https://lab.example.edu); a code is then required")
    p.set_defaults(func=cmd_serve)
