"""The lab's web server: textual-serve's Server with the join page in front of every route, one
trainer process per browser tab in that student's own data folder, and a cap on open sessions.

Subclasses textual-serve (the `serve` extra); its page and its terminal in the browser are used as
they are. This module is imported only by `roleplay serve`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from .access import Lab, Pass, JoinRefused, is_loopback
from .pages import TITLE, full_page, join_page, refused_page

COOKIE = "roleplay_pass"
PUBLIC = ("/join",)  # the only route served without a pass
STOP_SECONDS = 10  # an app still running this long after being asked to quit is killed
IDLE_GRACE = 60  # the app saves and quits on its own when idle; the server steps in only after this
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}
PASS = web.RequestKey("pass", Pass) if hasattr(web, "RequestKey") else "pass"  # the request's student

log = logging.getLogger("roleplay.serve")


@dataclass(frozen=True)
class LabSettings:
    home: Path  # the server's ROLEPLAY_HOME; students' folders are under home/students
    code: str | None
    max_sessions: int
    host: str = "127.0.0.1"
    port: int = 8000
    idle_seconds: int = 1800  # 0: sessions are never closed for being idle
    feedback: str = "immediate"
    scenarios: tuple[Path, ...] = ()
    public_url: str | None = None
    banner: Callable[[int], list[str]] | None = field(default=None, compare=False)  # printed once listening

    @property
    def students(self) -> Path:
        return self.home / "students"


def app_command(settings: LabSettings) -> str:
    """The shell command for one student's trainer: this Python, so it works in a venv. Every part
    is quoted; the student's name never appears in it (their folder goes in the environment)."""
    parts = [sys.executable, "-m", "roleplay.cli", "--lab", "--feedback", settings.feedback]
    if settings.idle_seconds:
        parts += ["--idle-exit", str(settings.idle_seconds)]
    for folder in settings.scenarios:
        parts += ["--scenarios", str(Path(folder).resolve())]
    if os.name == "posix":
        return "exec " + " ".join(shlex.quote(p) for p in parts)  # exec: the app is the shell's process
    return subprocess.list2cmdline(parts)


class StudentAppService(AppService):
    """One trainer process for one browser tab, with the student's folder as its ROLEPLAY_HOME."""

    def __init__(self, command: str, *, student_home: Path, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.student_home = student_home
        self.process: asyncio.subprocess.Process | None = None
        self.last_input = time.monotonic()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width=width, height=height)
        env["ROLEPLAY_HOME"] = str(self.student_home)
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self.process = await super()._open_app_process(width, height)
        return self.process

    async def send_bytes(self, data: bytes) -> bool:
        self.last_input = time.monotonic()
        return await super().send_bytes(data)

    async def run(self) -> None:
        """When the app ends, however it ends (quit, idle, a crash), close the tab's connection so the
        page says "Session ended" instead of freezing; every completed turn is already saved."""
        try:
            await super().run()
        finally:
            try:
                await self.remote_close()
            except Exception:  # the browser may be gone already
                pass

    async def shut(self) -> None:
        """Ask the app to quit; kill it if it does not."""
        try:
            await asyncio.wait_for(self.stop(), STOP_SECONDS)
        except Exception:  # a timeout, or a pipe that is already closed
            pass
        proc = self.process
        if proc is not None and proc.returncode is None:
            try:
                await asyncio.wait_for(proc.wait(), 2)
            except asyncio.TimeoutError:
                proc.kill()
                await proc.wait()


class ClassroomServer(Server):
    def __init__(self, settings: LabSettings, lab: Lab | None = None) -> None:
        super().__init__(app_command(settings), host=settings.host, port=settings.port, title=TITLE,
                         public_url=settings.public_url)
        self.settings = settings
        self.lab = lab or Lab(settings.students, settings.code, settings.max_sessions)
        self.sockets: set[web.WebSocketResponse] = set()
        self.services: set[StudentAppService] = set()  # the trainers running now, one per open tab
        self._endings: set[asyncio.Future] = set()
        self.allowed_hosts: set[str] | None = None  # None: any Host header (a code guards the lab)
        if is_loopback(settings.host) and not settings.code:
            # Bound to this machine with no code: refuse pages asked for under another name, so a
            # web page the student visits cannot reach the lab by pointing its own name here.
            self.allowed_hosts = set(LOCAL_NAMES)
            if settings.public_url:
                self.allowed_hosts.add((urlsplit(settings.public_url).hostname or "").lower())

    # --- set-up -----------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # a line per request is noise

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.add_routes([web.get("/join", self.handle_join_page), web.post("/join", self.handle_join)])
        return app

    async def on_startup(self, app: web.Application) -> None:
        self.settings.students.mkdir(parents=True, exist_ok=True)

    def serve(self, debug: bool = False) -> None:
        """Listen until Ctrl+C or SIGTERM. OSError when the address cannot be had (the port is taken)."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            if runner.addresses:  # the port taken, when 0 asked for any free one
                self.port = runner.addresses[0][1]
            for line in self.settings.banner(self.port) if self.settings.banner else ():
                print(line, flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(sig, stop.set)
                except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
                    pass
            await stop.wait()
        finally:
            await runner.cleanup()

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's connection, so each app is asked to quit (and saves) before the server stops."""
        for ws in list(self.sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"The lab is closing")

    # --- every request ------------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        host = (request.url.host or "").lower().strip("[]")
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return _html(refused_page("This trainer answers only at its own address."), status=421)
        if request.path not in PUBLIC:
            student = self.lab.pass_for(request.cookies.get(COOKIE))
            if student is None:
                if request.path == "/":
                    raise web.HTTPSeeOther("/join")
                return web.Response(status=403, text="Enter your name (and the access code) at /join first.")
            request[PASS] = student
        response = await handler(request)
        if not response.prepared:
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            if response.content_type == "text/html":
                response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _secure(self, request: web.Request) -> bool:
        return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https" \
            or (self.settings.public_url or "").startswith("https:")

    def _client(self, request: web.Request) -> str:
        """The student's address. Behind the proxy named by --public-url, every request comes from the
        proxy, which adds the real address to X-Forwarded-For (wrong codes are counted per address)."""
        remote = request.remote or ""
        forwarded = request.headers.get("X-Forwarded-For", "")
        if self.settings.public_url and forwarded and is_loopback(remote):
            return forwarded.split(",")[-1].strip()
        return remote

    def _base_url(self, request: web.Request) -> str:
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return f"{'https' if self._secure(request) else 'http'}://{request.host}"

    # --- the join page ------------------------------------------------------------------------

    async def handle_join_page(self, request: web.Request) -> web.Response:
        return _html(join_page(code_required=self.lab.code_required))

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        name, code = str(form.get("name", "")), str(form.get("code", ""))
        try:
            student = self.lab.join(name, code, self._client(request), current=request.cookies.get(COOKIE))
        except JoinRefused as no:
            log.info("join refused (%s) from %s", no.field, self._client(request))
            page = join_page(code_required=self.lab.code_required, name=no.suggestion or name[:80],
                             error=no.message, error_field=no.field)
            return _html(page, status=no.status)
        log.info("%s joined from %s", student.name, self._client(request))
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(COOKIE, student.token, httponly=True, samesite="Strict", path="/",
                            secure=self._secure(request))
        return response

    # --- the trainer ----------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, with addresses taken from the request (the lab may be reached
        under any of this machine's addresses, or through a proxy) unless --public-url was given."""
        if self.lab.full:
            return _html(full_page(self.lab.sessions, self.lab.max_sessions), status=503,
                         headers={"Retry-After": "30"})
        base = self._base_url(request)
        ws = ("wss" if base.startswith("https:") else "ws") + base[base.index(":"):] + "/ws"
        context = {"font_size": to_int(request.query.get("fontsize", "16"), 16), "app_websocket_url": ws,
                   "config": {"static": {"url": f"{base}/static/"}}, "application": {"name": self.title}}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        student: Pass = request[PASS]
        if not self.lab.open_session(student):
            return web.Response(status=503, text="The lab is full right now; try again in a minute.")
        log.info("%s: session opened (%d of %d)", student.name, self.lab.sessions, self.lab.max_sessions)
        websocket = web.WebSocketResponse(heartbeat=15)
        service: StudentAppService | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            student.folder.mkdir(parents=True, exist_ok=True)
            service = StudentAppService(self.command, student_home=student.folder,
                                        write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                        close=websocket.close, download_manager=self.download_manager,
                                        debug=self.debug)
            self.services.add(service)
            await service.start(to_int(request.query.get("width", "80"), 80),
                                to_int(request.query.get("height", "24"), 24))
            watchdog = asyncio.create_task(self._close_when_idle(service, websocket))
            try:
                await self._process_messages(websocket, service)
            finally:
                watchdog.cancel()
        except Exception as exc:  # one tab's trouble must not stop the lab
            log.warning("%s: session failed: %s: %s", student.name, type(exc).__name__, exc)
        finally:
            # aiohttp cancels a handler whose browser has gone: the ending runs in its own task, so
            # the app is always stopped and the place always given back.
            ending = asyncio.ensure_future(self._end_session(student, websocket, service))
            self._endings.add(ending)
            ending.add_done_callback(self._endings.discard)
            await asyncio.shield(ending)
        return websocket

    async def _end_session(self, student: Pass, websocket: web.WebSocketResponse,
                           service: StudentAppService | None) -> None:
        self.sockets.discard(websocket)
        try:
            if service is not None:
                await service.shut()
        finally:
            self.services.discard(service)
            self.lab.close_session(student)
            log.info("%s: session closed (%d of %d open)", student.name, self.lab.sessions, self.lab.max_sessions)

    async def _close_when_idle(self, service: StudentAppService, websocket: web.WebSocketResponse) -> None:
        """A backstop: the app saves and quits after --idle-exit by itself; if it has not, close the tab."""
        if not self.settings.idle_seconds:
            return
        limit = self.settings.idle_seconds + IDLE_GRACE
        while not websocket.closed:
            await asyncio.sleep(min(30.0, limit / 4))
            if time.monotonic() - service.last_input > limit:
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"Closed after no input")
                return


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers=headers)
