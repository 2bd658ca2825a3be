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

    def update_view(self, visible_turns: int, hidden: str | None = None) -> None:
        """Show the state after the first `visible_turns` turns; `hidden` replaces trust (end mode)."""
        s = self.session
        p = s.scenario.persona
        mood = s.mood
        self.query_one("#persona-mood", Static).update(
            Content.assemble(Content.styled("Mood: ", "$text-muted"), Content.styled(mood, "bold")))
        var = s.scenario.variables.get("trust")
        history = s.trust_history()[: visible_turns + 1]
        lo, hi = (int(var.min), int(var.max)) if var is not None else (0, 100)
        label = var.display if var is not None else "Trust"
        turns = s.turns[:visible_turns]
        last = ""
        for t in reversed(turns):
            c = next((c for c in t.changes if c.var == "trust"), None)
            if c is not None:
                last = f"{c.delta:+d}" + (f" — {c.reason}" if c.reason else "")
                break
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
