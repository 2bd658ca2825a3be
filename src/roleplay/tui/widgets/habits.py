"""The habit profile as a chart that reads at a glance: one row per habit, a Textual ProgressBar for
its share of the student's replies, the count, and the change from a month ago in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from .common import label_colour

if TYPE_CHECKING:
    from roleplay.core.reporting.habits import Habit, HabitProfile

SHOWN = 6  # habits in the chart: the most frequent non-empathic ones, then the student's empathic share


class HabitRow(Horizontal):
    def __init__(self, name: Content, share: float, count: str, change: str, label: str) -> None:
        super().__init__(classes=f"habit-row -{label}")
        self._name, self._share, self._count, self._change = name, share, count, change

    def compose(self) -> ComposeResult:
        yield Static(self._name, classes="habit-name")
        bar = ProgressBar(total=100, show_eta=False, show_percentage=True, classes="habit-bar")
        bar.update(progress=round(100 * self._share))
        yield bar
        yield Static(Content.assemble(Content.styled(self._count, "$text-muted"), self._change), classes="habit-change")


def _row(habit: "Habit", recent: bool) -> HabitRow:
    share = habit.recent_share if recent and habit.recent_share is not None else habit.share
    n = habit.recent if recent else habit.count
    change = habit.change().removeprefix(", ").replace("down from", "↓ from").replace("up from", "↑ from")
    name = Content.assemble(Content.styled(habit.kind, f"bold $text-{label_colour(habit.label)}"),
                            Content.styled(f" {habit.label}", "$text-muted"))
    return HabitRow(name, share, f"{n} repl{'y' if n == 1 else 'ies'}", f" · {change}" if change else "", habit.label)


class HabitChart(Vertical):
    """The chart, or a line saying it will fill in as the student practises."""

    def __init__(self, profile: "HabitProfile", **kw) -> None:
        super().__init__(**kw)
        self.profile = profile

    def compose(self) -> ComposeResult:
        p = self.profile
        if not p.total:
            yield Static(Content.styled("Your habits will show here after your first replies: how often you reach "
                                        "for reassurance, questions, advice…", "$text-muted"), classes="habit-caption")
            return
        recent = p.recent_total > 0
        sources = " and ".join(f"{n} {src}" for src, n in sorted(p.sources.items()))
        window = ("Bars: share of your replies in the last 30 days; a month ago: the 30 days before that."
                  if recent else "Bars: share of all your replies (none in the last 30 days).")
        yield Static(Content.assemble(
            Content.styled("Your habits", "bold"), Content.styled(f"  ·  from {sources} replies", "$text-muted"),
            "\n", Content.styled(window, "$text-muted")), classes="habit-caption")
        habits = p.non_empathic()[:SHOWN - 1]
        for h in habits:
            yield _row(h, recent)
        empathic = [h for h in p.habits if h.label == "empathic"]
        if empathic:
            n = sum(h.recent if recent else h.count for h in empathic)
            total = p.recent_total if recent else p.total
            yield HabitRow(Content.styled("empathic (all kinds)", "bold $text-success"), n / total if total else 0.0,
                           f"{n} repl{'y' if n == 1 else 'ies'}", "", "empathic")
        top = p.top_habit()
        if top:
            yield Static(Content.assemble(Content.styled("Aim a drill at it: ", "$text-muted"),
                                          Content.styled("d", "bold reverse"),
                                          Content.styled(f" in the scenario list, aim auto ({top}).", "$text-muted")),
                         classes="habit-caption")
