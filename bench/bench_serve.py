"""The browser lab under a class: `roleplay serve` on loopback, N students at once, T turns each.

Starts `roleplay serve --port 0` (a fresh ROLEPLAY_HOME in a temporary folder) and times it from
spawn until it listens. Then N clients connect at the same moment, as a class does when the
instructor says "go": each joins under its own name, opens the trainer's websocket (as the browser
page does), starts the first scenario and sends T replies back to back, each as soon as the
previous one is saved. No browser: the clients speak the page's websocket protocol, and a turn
counts as done when the student's record on disk holds it (the record is written after scoring,
just before the screen shows the label).

Reports: start-up; time from connecting to a usable picker, and to a session ready for a reply;
the latency of a reply (Enter to saved), median, 95th percentile and worst; failures; the memory
of the trainer processes at the peak (RSS and PSS, the shared pages counted once). Bounded: every
wait has a timeout, the whole run has --timeout; exit status 1 on any failure.

    python bench/bench_serve.py [--clients 30] [--turns 5] [--timeout 600] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
REPLIES = [
    "It sounds like this has been building up for a long time.",
    "You should have told someone sooner.",
    "Don't worry, I'm sure it will all work out.",
    "What time did you get home that night?",
    "That makes sense, given everything you've been carrying.",
    "Tell me more about what that was like for you.",
]
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>78]")
WAIT = 180.0  # the longest any one step may take


def start_server(home: Path, clients: int) -> tuple[subprocess.Popen, str, float]:
    env = {**os.environ, "ROLEPLAY_HOME": str(home),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "serve", "--port", "0",
                             "--max-sessions", str(clients)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    url = None
    for line in proc.stdout:
        m = re.search(r"Students open:\s+(http://\S+)", line)
        if m:
            url = m.group(1)
        if line.startswith("Press Ctrl+C"):
            break
    started = time.perf_counter() - t0
    if url is None:
        proc.kill()
        raise SystemExit("roleplay serve did not start")
    return proc, url, started


class Client:
    def __init__(self, n: int, url: str, home: Path, turns: int) -> None:
        self.name = f"student{n:02d}"
        self.url, self.turns = url, turns
        self.folder = home / "students" / self.name
        self.text = ""
        self.picker = self.ready = None
        self.latencies: list[float] = []
        self.error: str | None = None

    async def wait_text(self, needle: str) -> None:
        end = time.monotonic() + WAIT
        while needle not in self.text:
            if time.monotonic() > end:
                raise TimeoutError(f"{needle!r} did not appear")
            await asyncio.sleep(0.05)

    async def wait_turns(self, n: int) -> None:
        end = time.monotonic() + WAIT
        while True:
            for path in (self.folder / "sessions").glob("*.json"):
                try:
                    if len(json.loads(path.read_text(encoding="utf-8"))["turns"]) >= n:
                        return
                except (OSError, ValueError, KeyError):
                    pass
            if time.monotonic() > end:
                raise TimeoutError(f"turn {n} was not saved")
            await asyncio.sleep(0.02)

    async def run(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)
        try:
            async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=None)) as http:
                async with http.post(self.url + "/join", data={"name": self.name}) as r:
                    if r.status != 200:
                        raise RuntimeError(f"join: HTTP {r.status}")
                t0 = time.perf_counter()
                async with http.ws_connect(self.url.replace("http", "ws", 1) + "/ws?width=120&height=40") as ws:
                    await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
                    reader = asyncio.create_task(self._read(ws))
                    try:
                        await self.wait_text("Choose a client to practise with")
                        self.picker = time.perf_counter() - t0
                        await ws.send_str(json.dumps(["stdin", "\r"]))
                        await self.wait_text("content note")
                        await ws.send_str(json.dumps(["stdin", "\r"]))
                        await self.wait_text("Type your reply")
                        self.ready = time.perf_counter() - t0
                        for k in range(1, self.turns + 1):
                            reply = REPLIES[(k + len(self.name)) % len(REPLIES)]
                            t = time.perf_counter()
                            await ws.send_str(json.dumps(["stdin", reply + "\r"]))
                            await self.wait_turns(k)
                            self.latencies.append(time.perf_counter() - t)
                    finally:
                        reader.cancel()
        except Exception as exc:  # a failure is a figure of the run, not the end of it
            self.error = f"{type(exc).__name__}: {exc}"

    async def _read(self, ws) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text = (self.text + ANSI.sub("", message.data.decode("utf-8", "replace")))[-200_000:]


def trainer_pids(server_pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat", encoding="ascii").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server_pid:
                out.append(int(entry))
    return out


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """(RSS, PSS) of the processes, in MB."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup", encoding="ascii"):
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


async def sample_memory(server_pid: int, peak: dict) -> None:
    while True:
        pids = trainer_pids(server_pid)
        rss, pss = memory_mb(pids)
        if pss > peak.get("pss", 0):
            peak.update(rss=rss, pss=pss, processes=len(pids))
        await asyncio.sleep(0.5)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run_class(url: str, home: Path, clients: int, turns: int, server_pid: int) -> tuple[list[Client], dict]:
    peak: dict = {}
    sampler = asyncio.create_task(sample_memory(server_pid, peak))
    students = [Client(i + 1, url, home, turns) for i in range(clients)]
    await asyncio.gather(*(s.run() for s in students))
    sampler.cancel()
    return students, peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=30)
    ap.add_argument("--turns", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600, help="bound on the whole run, in seconds")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        home = Path(tmp)
        proc, url, started = start_server(home, args.clients)
        wall0 = time.perf_counter()
        try:
            students, peak = asyncio.run(asyncio.wait_for(
                run_class(url, home, args.clients, args.turns, proc.pid), args.timeout))
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        wall = time.perf_counter() - wall0
    ok = [s for s in students if s.error is None and len(s.latencies) == args.turns]
    lat = [x for s in students for x in s.latencies]
    pickers = [s.picker for s in students if s.picker is not None]
    readies = [s.ready for s in students if s.ready is not None]
    figures = {
        "clients": args.clients, "turns": args.turns, "cores": os.cpu_count(),
        "start_s": round(started, 2), "wall_s": round(wall, 1),
        "completed_clients": len(ok), "turns_saved": len(lat),
        "picker_s": {"median": round(statistics.median(pickers), 2), "max": round(max(pickers), 2)} if pickers else None,
        "session_ready_s": {"median": round(statistics.median(readies), 2),
                            "max": round(max(readies), 2)} if readies else None,
        "reply_s": {"median": round(statistics.median(lat), 3), "p95": round(pct(lat, 0.95), 3),
                    "max": round(max(lat), 3)} if lat else None,
        "peak_memory_mb": {k: round(v) if isinstance(v, float) else v for k, v in peak.items()},
        "errors": sorted({s.error for s in students if s.error}),
    }
    print(f"roleplay serve, {args.clients} clients x {args.turns} turns on loopback, {os.cpu_count()} cores")
    print(f"  start-up (spawn to listening):   {figures['start_s']:.2f} s")
    if pickers:
        print(f"  connect to picker:               median {figures['picker_s']['median']:.1f} s, "
              f"slowest {figures['picker_s']['max']:.1f} s")
    if readies:
        print(f"  connect to session ready:        median {figures['session_ready_s']['median']:.1f} s, "
              f"slowest {figures['session_ready_s']['max']:.1f} s")
    if lat:
        r = figures["reply_s"]
        print(f"  reply to saved ({len(lat)} replies):   median {r['median']:.2f} s, p95 {r['p95']:.2f} s, "
              f"worst {r['max']:.2f} s")
    if peak:
        print(f"  trainer processes at the peak:   {peak['processes']}, RSS {peak['rss']:.0f} MB, "
              f"PSS {peak['pss']:.0f} MB ({peak['pss'] / max(1, peak['processes']):.0f} MB each)")
    print(f"  completed: {len(ok)} of {args.clients} clients, whole run {wall:.0f} s")
    for e in figures["errors"]:
        print(f"  error: {e}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if len(ok) == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
