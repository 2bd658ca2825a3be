"""A class in a real browser: `roleplay serve` on the room's network with an access code, headless
Chromium as two students and an outsider.

The labels are read from the page: the terminal the page draws, rebuilt from the bytes its
websocket receives (the same bytes xterm.js paints on its canvas). The test saves a screenshot of
a session page in its temporary folder, and into docs/images/browser-lab.png for the README when
that file is missing or ROLEPLAY_SCREENSHOTS=1 is set (so a test run does not rewrite a tracked file).

Skips, saying why, when Playwright or a Chromium cannot be had (Debian: apt-get install chromium).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from .lab import Screen, serve_process

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "browser-lab.png"
CODE = "KDW7-M3QX"
BADGE = re.compile(r"[✔≈✖•] (EMPATHIC|SYMPATHETIC|JUDGMENTAL|NEUTRAL)\b")
REPLIES = {
    "Alice": ["It sounds like you feel worn down and judged before I have even come in.",
              "That must be so painful to carry. Tell me more about it."],
    "Bob Li": ["You should have taken her to the doctor much sooner.",
               "Don't worry, I'm sure everything will be fine."],
}


def chromium() -> str:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no Chromium found (/usr/bin/chromium, /usr/bin/chromium-browser or on PATH); "
                    "on Debian: apt-get install chromium")
    return found


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed: pip install -e '.[test]'")
    executable = chromium()
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"], headless=True)
        except Exception as exc:  # a Chromium that cannot start here (missing libraries, no /dev/shm)
            pytest.skip(f"Chromium at {executable} did not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()


class Student:
    """One student's browser context: the join page, then the trainer, read through its websocket."""

    def __init__(self, browser, url: str, name: str, code: str) -> None:
        self.name = name
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.screen: Screen | None = None
        self.page.on("websocket", self._watch)
        self.page.goto(url)
        self.page.fill("#name", name)
        self.page.fill("#code", code)
        self.page.click("#start")

    def _watch(self, ws) -> None:
        size = parse_qs(urlsplit(ws.url).query)
        self.screen = Screen(int(size["width"][0]), int(size["height"][0]))
        ws.on("framereceived", lambda payload: self.screen.feed(payload) if isinstance(payload, bytes) else None)

    def wait_for(self, pattern: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.screen is not None and re.search(pattern, self.screen.text):
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{self.name}: {pattern!r} not on the page; it shows:\n"
                             + (self.screen.text if self.screen else "(no terminal)"))

    def key(self, key: str) -> None:
        self.page.keyboard.press(key)

    def start_first_scenario(self) -> None:
        self.wait_for("Choose a client to practise with")
        self.page.click("#terminal")
        self.key("Enter")
        self.wait_for("content note")
        self.key("Enter")
        self.wait_for("Type your reply")

    def reply(self, text: str) -> str:
        """Type a reply, send it, and read its label off the page (the badge under the reply)."""
        self.page.keyboard.insert_text(text)  # one input event, not one per character: the app redraws once
        self.key("Enter")
        words = text[:30]
        end = time.monotonic() + 30
        while time.monotonic() < end:
            lines = self.screen.screen.display
            for i, line in enumerate(lines):
                if words in line:
                    for below in lines[i + 1:i + 5]:
                        m = BADGE.search(below)
                        if m:
                            return m.group(1).lower()
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{self.name}: no label under {words!r}:\n{self.screen.text}")


def saved_labels(folder: Path) -> list[list[str]]:
    out = []
    for path in sorted((folder / "sessions").glob("*.json")):
        out.append([t["label"] for t in json.loads(path.read_text(encoding="utf-8"))["turns"]])
    return out


def test_two_students_in_two_browsers_on_the_network_with_a_code(browser, tmp_path):
    home = tmp_path / "home"
    with serve_process(home, "--host", "0.0.0.0", "--code", CODE) as (proc, url, output):
        # An outsider with a wrong code stays on the join page, and gets nothing else.
        outsider = browser.new_context()
        page = outsider.new_page()
        page.goto(url)
        assert urlsplit(page.url).path == "/join"
        page.fill("#name", "Mallory")
        page.fill("#code", "WRNG-C0DE")
        page.click("#start")
        assert "not right" in page.inner_text("#error")
        page.goto(url + "/")
        assert urlsplit(page.url).path == "/join" and page.locator("#terminal").count() == 0
        outsider.close()

        students = [Student(browser, url, name, CODE.lower()) for name in REPLIES]
        for s in students:
            s.start_first_scenario()
        read: dict[str, list[str]] = {s.name: [] for s in students}
        for turn in range(2):
            for s in students:
                read[s.name].append(s.reply(REPLIES[s.name][turn]))
        shot = tmp_path / "browser-lab.png"
        students[0].page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("ROLEPLAY_SCREENSHOTS") == "1" or not SCREENSHOT.exists():
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, SCREENSHOT)
        for s in students:
            s.context.close()

    # Each student's record is in their own folder, with the labels the page showed them.
    for name, labels in read.items():
        assert saved_labels(home / "students" / name) == [labels], "\n".join(output)
    assert read["Alice"] == ["empathic", "empathic"]
    assert "judgmental" in read["Bob Li"]
    assert sorted(p.name for p in (home / "students").iterdir()) == ["Alice", "Bob Li"]
