"""Who the client is, their mood now, and the trust meter with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from .charts import Meter, Trend

if TYPE_CHECKING:
    from roleplay.core.session.engine import Session


def last_change(turns, var: str) -> str:
    """What the latest turn did to `var`, named by its turn (also when it changed nothing, so the
    line never describes an older turn as if it were the latest)."""
    if not turns:
        return ""
    t = turns[-1]
    c = next((c for c in t.changes if c.var == var), None)
    if c is None:
        return f"turn {t.index}: no change"
    return f"turn {t.index}: {c.delta:+d}" + (f" — {c.reason}" if c.reason else "")


class PersonaPanel(Vertical):
    """The full panel (side) and a one-line strip (projector mode); CSS shows one of them."""

    def __init__(self, session: "Session", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def compose(self) -> ComposeResult:
        p = self.session.scenario.persona
        yield Static(Content.assemble(Content.styled(p.name, "bold $text-accent"), "\n",
                                      Content.styled(f"{p.age} · {p.pronouns}", "$text-muted"), "\n",
                                      Content(p.setting)), id="persona-who")
        yield Static(id="persona-mood")
        yield Static(id="persona-trust", classes="persona-heading")
        yield Meter(id="persona-meter")
        yield Static(Content.styled("Over the turns", "$text-muted"), id="persona-history", classes="persona-heading")
        yield Trend(id="persona-trend")
        yield Static(id="persona-last")
        yield Static(id="persona-strip")

    def update_view(self, visible_turns: int, hidden: str | None = None, *, mood_hidden: bool = False) -> None:
        """Show the state after the first `visible_turns` turns; `hidden` replaces trust (end mode);
        `mood_hidden` keeps the mood for the reveal (the client's reaction, reveal mode)."""
        s = self.session
        p = s.scenario.persona
        mood = "hidden until the reveal" if mood_hidden else s.mood
        self.query_one("#persona-mood", Static).update(
            Content.assemble(Content.styled("Mood: ", "$text-muted"), Content.styled(mood, "bold")))
        var = s.scenario.variables.get("trust")
        history = s.trust_history()[: visible_turns + 1]
        lo, hi = (int(var.min), int(var.max)) if var is not None else (0, 100)
        label = var.display if var is not None else "Trust"
        last = last_change(s.turns[:visible_turns], "trust")
        meter, trend = self.query_one("#persona-meter", Meter), self.query_one("#persona-trend", Trend)
        self.set_class(bool(hidden), "-trust-hidden")  # CSS hides the meter and trend
        if hidden:
            self.query_one("#persona-trust", Static).update(
                Content.assemble(Content.styled(f"{label}\n", "bold"), Content.styled(hidden, "italic $text-muted")))
            self.query_one("#persona-last", Static).update("")
            strip_trust = Content.styled(hidden, "italic")
        else:
            now = history[-1] if history else 0
            self.query_one("#persona-trust", Static).update(Content.styled(label, "bold"))
            meter.set(now, lo, hi)
            trend.set(history)
            self.query_one("#persona-last", Static).update(
                Content.assemble(Content.styled("Last change\n", "$text-muted"), Content(last or "none yet")))
            strip_trust = Content.assemble(f"{label} ", Content.styled(str(now), "bold"),
                                           Content.styled(f"/{hi}" if lo == 0 else f" ({lo}–{hi})", "$text-muted"),
                                           Content(f"  {last}" if last else ""))
        self.query_one("#persona-strip", Static).update(Content.assemble(
            Content.styled(p.name, "bold $text-accent"), Content.styled(f" · {p.age} · mood: ", "$text-muted"),
            Content.styled(mood, "bold"), Content.styled(" · ", "$text-muted"), strip_trust))
