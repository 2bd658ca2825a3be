"""Helpers for the app tests: a deterministic keyword scorer, an app factory with fixed clock and ids."""

from __future__ import annotations

import re
from pathlib import Path

from roleplay.core.assessment import Assessment, Context, Evidence

HERE = Path(__file__).parent
GOOD = HERE / "fixtures" / "good"
BROKEN = HERE / "fixtures" / "broken"
TINY_DIR = HERE.parent / "fixtures"

RULES = [
    (r"sounds like|you feel|that's a lot|so much on you", "empathic", "reflection"),
    (r"makes sense|understandable", "empathic", "validation"),
    (r"tell me more|what's that like", "empathic", "exploration"),
    (r"don't worry|i'm sure|it'll be fine", "sympathetic", "reassurance"),
    (r"at least", "sympathetic", "minimising"),
    (r"poor you|so sorry", "sympathetic", "pity"),
    (r"you should|you need to|you must", "judgmental", "moralising"),
    (r"why didn't", "judgmental", "interrogating"),
    (r"\?$", "neutral", "closed-question"),
]
FEEDBACK = {
    "empathic": "You named what the client feels from their side.",
    "sympathetic": "Kind, but it moves away from the client's experience.",
    "judgmental": "This evaluates the client; name the feeling behind it instead.",
    "neutral": "Factual; add the feeling you hear.",
}


class KeywordScorer:
    """Deterministic: the first rule that matches decides the label; every match is evidence."""

    def __init__(self) -> None:
        self.calls = 0

    def assess(self, reply: str, context: Context) -> Assessment:
        self.calls += 1
        evidence = []
        label, kinds = None, []
        low = reply.lower()
        for pattern, lab, kind in RULES:
            for m in re.finditer(pattern, low):
                if m.end() > m.start():
                    evidence.append(Evidence(m.start(), m.end(), reply[m.start():m.end()], lab, kind, f"rule:{kind}"))
                if label is None:
                    label = lab
                if lab == label and kind not in kinds:
                    kinds.append(kind)
        label = label or "neutral"
        if not kinds:
            kinds = ["information"]
        return Assessment(label=label, confidence=0.8, scores={label: 0.8}, kinds=tuple(kinds),
                          evidence=tuple(evidence), feedback=FEEDBACK[label])


class ExplodingScorer:
    def assess(self, reply: str, context: Context) -> Assessment:
        raise RuntimeError("scorer bug")


async def settle(pilot) -> None:
    """Let background work (the picker's look for unfinished sessions) finish, then repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def send(pilot, text: str) -> None:
    """Put a reply in the box and press Enter (typing every key is covered by one test)."""
    from roleplay.tui.widgets.reply_input import ReplyInput

    box = pilot.app.screen.query_one("#reply", ReplyInput)
    box.text = text
    await pilot.press("enter")
    await pilot.pause()


def screen_text(app) -> str:
    """All text the current screen holds in Statics and cards, for asserting on what a student sees."""
    from textual.content import Content
    from textual.widgets import Static

    import io

    from rich.console import Console

    parts = []
    for w in app.screen.query("*"):
        c = w.content if isinstance(w, Static) else getattr(w, "_content", None)
        if isinstance(c, (str, Content)):
            parts.append(str(c))
        elif c is not None and hasattr(c, "__rich_console__"):  # a Rich table in the debrief
            out = io.StringIO()
            Console(file=out, width=200, color_system=None).print(c)
            parts.append(out.getvalue())
    return "\n".join(parts)


def make(dirs=(GOOD,), **kw):
    """The app as the tests use it: a keyword scorer, a fixed clock and session id, no built-ins."""
    from roleplay.tui.app import create_app

    kw.setdefault("scorer", KeywordScorer())
    kw.setdefault("clock", lambda: "2026-03-02T10:00:00+00:00")
    kw.setdefault("session_id", lambda s: f"test-{s.id}")
    kw.setdefault("include_builtin", False)
    kw.setdefault("cursor_blink", False)
    return create_app(list(dirs), **kw)


DRILL_CORPUS = TINY_DIR / "drill_corpus"


def make_drill_app(**kw):
    """The app with the small drill corpus of tests/fixtures and a fixed choice of lines."""
    kw.setdefault("drill_corpus", DRILL_CORPUS)
    kw.setdefault("drill_seed", 1)
    return make(**kw)


async def open_drill(pilot) -> None:
    """From the picker: d opens the drill setup; once it has read the corpus, Enter starts."""
    from roleplay.tui.screens.drill import DrillScreen

    await pilot.press("d")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DrillScreen)


async def drill_reply(pilot, text: str) -> None:
    """Send a drill reply and wait for the scoring worker."""
    await send(pilot, text)
    await settle(pilot)


async def until(pilot, condition, timeout: float = 10.0) -> None:
    """Pause until `condition()` holds (a screen's async redraw can take a few frames on a busy machine)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def next_line(pilot) -> None:
    """Enter on the drill's Next button, then wait for the next line's reply box (or the summary)."""
    app = pilot.app
    await pilot.press("enter")
    await until(pilot, lambda: app.focused is not None and (
        app.focused.id == "reply" or (app.focused.id == "drill-next" and app.screen.drill.finished)))
