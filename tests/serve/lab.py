"""Helpers for the browser-lab tests: the lab's server in-process, `roleplay serve` as a student's
instructor starts it, and the terminal a browser tab draws, read back as text."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="the serve extra is not installed: pip install -e '.[test]'")
pytest.importorskip("pyte", reason="pyte is not installed: pip install -e '.[test]'")

import aiohttp  # noqa: E402
import pyte  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from roleplay.serve.server import ClassroomServer, LabSettings  # noqa: E402

SRC = Path(__file__).resolve().parents[2] / "src"
COLS, ROWS = 120, 40


class Screen:
    """What a tab's terminal shows: the app's output bytes fed through a terminal emulator."""

    def __init__(self, cols: int = COLS, rows: int = ROWS) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = re.search(pattern, self.text)
            if m:
                return m
            await asyncio.sleep(0.05)
        raise AssertionError(f"{pattern!r} did not appear within {timeout} s; the screen:\n{self.text}")


class Tab:
    """One browser tab's connection, without the browser: keys in, screen out."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.screen = Screen()
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.screen.feed(message.data)
        finally:
            self.closed.set()

    async def keys(self, text: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", text]))

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.wait_for(self.closed.wait(), 10)


async def open_tab(client: TestClient | aiohttp.ClientSession, url: str = "/ws") -> Tab:
    ws = await client.ws_connect(f"{url}?width={COLS}&height={ROWS}")
    await ws.send_str(json.dumps(["resize", {"width": COLS, "height": ROWS}]))
    return Tab(ws)


async def start_first_scenario(tab: Tab) -> None:
    """From the picker: Enter on the first card, Enter on its content note; the reply box is focused."""
    await tab.screen.wait_for("Choose a client to practise with")
    await tab.keys("\r")
    await tab.screen.wait_for("content note")
    await tab.keys("\r")
    await tab.screen.wait_for("Type your reply")


def settings(tmp_path: Path, **kw) -> LabSettings:
    kw.setdefault("code", None)
    kw.setdefault("max_sessions", 4)
    return LabSettings(home=tmp_path / "home", **kw)


@asynccontextmanager
async def lab_client(lab_settings: LabSettings):
    """The lab's web app on a free loopback port, and a client with its own cookies (one browser)."""
    server = ClassroomServer(lab_settings)
    server.settings.students.mkdir(parents=True, exist_ok=True)
    app = await server._make_app()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        client.lab = server  # the tests look at the lab's state: places taken, trainers running
        yield client


def records(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "sessions").glob("*.json"))]


async def wait_for_turns(folder: Path, n: int, timeout: float = 30) -> list[dict]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = [r for r in _safe_records(folder) if len(r.get("turns", [])) >= n]
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"no record with {n} turn(s) in {folder} within {timeout} s")


def _safe_records(folder: Path) -> list[dict]:
    try:
        return records(folder)
    except (OSError, ValueError):
        return []


@contextmanager
def serve_process(home: Path, *args: str, timeout: float = 30):
    """`roleplay serve --port 0 ARGS` in its own process; yields (process, base URL, output lines so far,
    a list that goes on filling with its output)."""
    import queue
    import threading

    env = {**os.environ, "ROLEPLAY_HOME": str(home), "PYTHONPATH": os.pathsep.join(
        [str(SRC)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    proc = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue = queue.Queue()
    output: list[str] = []

    def read() -> None:  # drains the pipe for the whole run, so the server never blocks on it
        for line in proc.stdout:
            output.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        end = time.monotonic() + timeout
        port = None
        while True:
            try:
                line = lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                break
            m = re.search(r"Students open:.*?(?::(\d+)\b|port (\d+))", line)
            if m:
                port = int(m.group(1) or m.group(2))
            if line.startswith("Press Ctrl+C"):
                break
        assert port is not None, "roleplay serve did not start:\n" + "\n".join(output)
        yield proc, f"http://127.0.0.1:{port}", output
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
