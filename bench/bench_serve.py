"""The browser lab under a class: `roleplay serve` on loopback, N students at once, T turns each.

Starts `roleplay serve --port 0` (a fresh ROLEPLAY_HOME in a temporary folder) and times it from
spawn until it listens. Then N clients connect at the same moment, as a class does when the
instructor says "go": each joins under its own name, opens the trainer's websocket (as the browser
page does), starts the first scenario and sends T replies back to back, each as soon as the
previous one is saved (or, with --arrive A, spread over A seconds as a class trickles in; with --think S, after a pause of 0.5 S to 1.5 S, as students read the
feedback and think). No browser: the clients speak the page's websocket protocol, and a turn
counts as done when the student's record on disk holds it (the record is written after scoring,
just before the screen shows the label).

Reports: start-up; time from connecting to a usable picker, and to a session ready for a reply;
the latency of a reply (Enter to saved), median, 95th percentile and worst, for the first reply
(which may wait for the student's scorer to finish loading) and the later ones apart; failures; the memory
of the trainer processes at the peak (RSS and PSS, the shared pages counted once). Bounded: every
wait has a timeout, the whole run has --timeout; exit status 1 on any failure.

    python bench/bench_serve.py [--clients 30] [--turns 5] [--arrive 0] [--think 0] [--timeout 600] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
# Every student sends these in this order: a mix of labels that keeps each built-in scenario going
# for five turns (a run of judgmental replies would end it early).
REPLIES = [
    "That makes sense, given everything you've been carrying.",
    "Tell me more about what that was like for you.",
    "It sounds like this has been building up for a long time.",
    "You should have told someone sooner.",
    "Don't worry, I'm sure it will all work out.",
    "What time did you get home that night?",
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
    def __init__(self, n: int, url: str, home: Path, turns: int, think: float = 0.0, arrive: float = 0.0) -> None:
        self.name = f"student{n:02d}"
        self.url, self.turns, self.think = url, turns, think
        self.rng = random.Random(n)
        self.arrive = self.rng.uniform(0, arrive)
        self.folder = home / "students" / self.name
        self.text = ""
        self.picker = self.ready = None
        self.latencies: list[float] = []
        self.error: str | None = None
        self.ended_early: int | None = None  # turns played when the scenario reached an ending

    async def wait_text(self, needle: str) -> None:
        end = time.monotonic() + WAIT
        while needle not in self.text:
            if time.monotonic() > end:
                raise TimeoutError(f"{needle!r} did not appear")
            await asyncio.sleep(0.05)

    async def wait_turns(self, n: int) -> bool:
        """Until the record holds turn n; False when the conversation reached its ending instead."""
        end = time.monotonic() + WAIT
        while True:
            for path in (self.folder / "sessions").glob("*.json"):
                try:
                    record = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if len(record.get("turns", [])) >= n:
                    return True
                if record.get("finished") and len(record.get("turns", [])) == n - 1:
                    return False
            if time.monotonic() > end:
                raise TimeoutError(f"turn {n} was not saved")
            await asyncio.sleep(0.02)

    async def run(self) -> None:
        await asyncio.sleep(self.arrive)
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
                            if self.think:
                                await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
                            reply = REPLIES[(k - 1) % len(REPLIES)]
                            t = time.perf_counter()
                            await ws.send_str(json.dumps(["stdin", reply + "\r"]))
                            if not await self.wait_turns(k):
                                self.ended_early = k - 1
                                break
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


def spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"median": round(statistics.median(values), 3), "p95": round(pct(values, 0.95), 3),
            "max": round(max(values), 3)}


async def run_class(url: str, home: Path, clients: int, turns: int, think: float, arrive: float,
                    server_pid: int) -> tuple[list[Client], dict]:
    peak: dict = {}
    sampler = asyncio.create_task(sample_memory(server_pid, peak))
    students = [Client(i + 1, url, home, turns, think, arrive) for i in range(clients)]
    await asyncio.gather(*(s.run() for s in students))
    sampler.cancel()
    return students, peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=30)
    ap.add_argument("--turns", type=int, default=5)
    ap.add_argument("--arrive", type=float, default=0.0, metavar="A",
                    help="students connect at random moments over A seconds (default 0: all at once)")
    ap.add_argument("--think", type=float, default=0.0, metavar="S",
                    help="pause about S seconds before each reply (default 0: back to back)")
    ap.add_argument("--timeout", type=float, default=600, help="bound on the whole run, in seconds")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        home = Path(tmp)
        proc, url, started = start_server(home, args.clients)
        wall0 = time.perf_counter()
        try:
            students, peak = asyncio.run(asyncio.wait_for(
                run_class(url, home, args.clients, args.turns, args.think, args.arrive, proc.pid), args.timeout))
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        wall = time.perf_counter() - wall0
    ok = [s for s in students if s.error is None and (len(s.latencies) == args.turns or s.ended_early)]
    lat = [x for s in students for x in s.latencies]
    first = [s.latencies[0] for s in students if s.latencies]
    later = [x for s in students for x in s.latencies[1:]]
    pickers = [s.picker for s in students if s.picker is not None]
    readies = [s.ready for s in students if s.ready is not None]
    figures = {
        "clients": args.clients, "turns": args.turns, "cores": os.cpu_count(),
        "start_s": round(started, 2), "wall_s": round(wall, 1),
        "completed_clients": len(ok), "turns_saved": len(lat),
        "picker_s": {"median": round(statistics.median(pickers), 2), "max": round(max(pickers), 2)} if pickers else None,
        "session_ready_s": {"median": round(statistics.median(readies), 2),
                            "max": round(max(readies), 2)} if readies else None,
        "think_s": args.think, "arrive_s": args.arrive,
        "first_reply_s": spread(first), "later_replies_s": spread(later),
        "peak_memory_mb": {k: round(v) if isinstance(v, float) else v for k, v in peak.items()},
        "errors": sorted({s.error for s in students if s.error}),
    }
    print(f"roleplay serve, {args.clients} clients x {args.turns} turns on loopback, {os.cpu_count()} cores, "
          + (f"arriving over {args.arrive:g} s, " if args.arrive else "all connecting at once, ")
          + (f"about {args.think:g} s between replies" if args.think else "replies back to back"))
    print(f"  start-up (spawn to listening):   {figures['start_s']:.2f} s")
    if pickers:
        print(f"  connect to picker:               median {figures['picker_s']['median']:.1f} s, "
              f"slowest {figures['picker_s']['max']:.1f} s")
    if readies:
        print(f"  connect to session ready:        median {figures['session_ready_s']['median']:.1f} s, "
              f"slowest {figures['session_ready_s']['max']:.1f} s")
    for what, values in (("first reply to saved", first), ("later replies to saved", later)):
        if values:
            r = spread(values)
            print(f"  {what + f' ({len(values)})':<32} median {r['median']:.2f} s, p95 {r['p95']:.2f} s, "
                  f"worst {r['max']:.2f} s")
    if peak:
        print(f"  trainer processes at the peak:   {peak['processes']}, RSS {peak['rss']:.0f} MB, "
              f"PSS {peak['pss']:.0f} MB ({peak['pss'] / max(1, peak['processes']):.0f} MB each)")
    print(f"  completed: {len(ok)} of {args.clients} clients, whole run {wall:.0f} s")
    early = [s.ended_early for s in students if s.ended_early]
    if early:
        print(f"  {len(early)} conversation(s) reached their ending early (after {sorted(set(early))} turns)")
    for e in figures["errors"]:
        print(f"  error: {e}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if len(ok) == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
