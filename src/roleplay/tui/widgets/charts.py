"""Charts built from Textual's own widgets: a meter (ProgressBar with its number), a trend
(Sparkline with the values it draws) and a row of bars, one per label. The number always sits
beside the picture: the bar gives the gist, the number the meaning."""

from __future__ import annotations

from typing import Mapping, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Sparkline, Static

from .common import label_colour, label_word


def _bar(total: float, progress: float, id: str | None = None) -> ProgressBar:
    bar = ProgressBar(total=max(total, 1), show_percentage=False, show_eta=False, id=id)
    bar.progress = max(0.0, min(progress, max(total, 1)))
    return bar


class Meter(Horizontal):
    """A value between lo and hi: a bar and "45/100"."""

    DEFAULT_CSS = """
    Meter { height: 1; width: 1fr; }
    Meter ProgressBar { width: auto; }
    Meter ProgressBar Bar { width: 14; }
    Meter .meter-number { width: auto; margin-left: 1; }
    Meter Bar > .bar--complete { color: $accent; }
    Meter Bar > .bar--bar { color: $accent; }
    """

    def __init__(self, value: int = 0, lo: int = 0, hi: int = 100, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._v = (value, lo, hi)

    def compose(self) -> ComposeResult:
        value, lo, hi = self._v
        yield _bar(hi - lo, value - lo)
        yield Static(self._number(value, lo, hi), classes="meter-number")

    @staticmethod
    def _number(value: int, lo: int, hi: int) -> Content:
        return Content.assemble(Content.styled(str(value), "bold"),
                                Content.styled(f"/{hi}" if lo == 0 else f" ({lo}–{hi})", "$text-muted"))

    def set(self, value: int, lo: int, hi: int) -> None:
        self._v = (value, lo, hi)
        if not self.is_mounted:
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=max(hi - lo, 1), progress=max(0, min(value - lo, hi - lo)))
        self.query_one(".meter-number", Static).update(self._number(value, lo, hi))


class Trend(Vertical):
    """A series over the turns: a sparkline and the last few values in words."""

    DEFAULT_CSS = """
    Trend { height: auto; width: 1fr; }
    Trend Sparkline { height: 1; }
    Trend .trend-numbers { width: 1fr; }
    """

    def __init__(self, values: Sequence[float] = (), *, caption: str = "", unit: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._values = list(values)
        self._caption = caption
        self._unit = unit

    def compose(self) -> ComposeResult:
        spark = Sparkline(self._values)
        spark.styles.width = self._width()
        yield spark
        yield Static(self._numbers(), classes="trend-numbers")

    def _width(self) -> int:
        """Two cells a value, up to 28: a few values should not stretch into wide blocks."""
        return max(2, min(28, 2 * len(self._values)))

    def _numbers(self) -> Content:
        shown = " → ".join(f"{v}{self._unit}" for v in self._values[-6:])
        if len(self._values) > 6:
            shown = "… → " + shown
        parts = [Content(shown or "no values yet")]
        if self._caption:
            parts.append(Content.styled(f"  {self._caption}", "$text-muted"))
        return Content.assemble(*parts)

    def set(self, values: Sequence[float], caption: str | None = None) -> None:
        self._values = list(values)
        if caption is not None:
            self._caption = caption
        if not self.is_mounted:
            return
        spark = self.query_one(Sparkline)
        spark.data = self._values
        spark.styles.width = self._width()
        self.query_one(".trend-numbers", Static).update(self._numbers())


class LabelBars(Vertical):
    """How many replies got each label, as bars of one length scale."""

    DEFAULT_CSS = """
    LabelBars { height: auto; width: 1fr; }
    LabelBars > Horizontal { height: 1; }
    LabelBars .label-name { width: 15; }
    LabelBars ProgressBar Bar { width: 24; }
    LabelBars .label-count { width: auto; margin-left: 1; }
    LabelBars .label-success Bar > .bar--bar, LabelBars .label-success Bar > .bar--complete { color: $success; }
    LabelBars .label-warning Bar > .bar--bar, LabelBars .label-warning Bar > .bar--complete { color: $warning; }
    LabelBars .label-error Bar > .bar--bar, LabelBars .label-error Bar > .bar--complete { color: $error; }
    LabelBars .label-primary Bar > .bar--bar, LabelBars .label-primary Bar > .bar--complete { color: $primary; }
    """

    def __init__(self, counts: Mapping[str, int], labels: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._counts = dict(counts)
        self._labels = list(labels)

    def compose(self) -> ComposeResult:
        total = sum(self._counts.values())
        for label in self._labels:
            n = self._counts.get(label, 0)
            with Horizontal(classes=f"label-row label-{label_colour(label)}"):
                yield Static(label_word(label), classes="label-name")
                yield _bar(total, n)
                yield Static(str(n), classes="label-count")
