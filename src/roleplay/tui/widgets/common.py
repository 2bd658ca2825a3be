"""Small shared pieces: label badges (colour AND words), bars, the zoom hint."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

# label -> (symbol, theme colour, word). The word is always shown: never colour alone.
LABELS = {
    "empathic": ("✔", "success", "EMPATHIC"),
    "sympathetic": ("≈", "warning", "SYMPATHETIC"),
    "judgmental": ("✖", "error", "JUDGMENTAL"),
    "neutral": ("•", "primary", "NEUTRAL"),
}


def label_colour(label: str) -> str:
    return LABELS.get(label, ("?", "secondary", label.upper()))[1]


def badge(label: str) -> Content:
    sym, colour, word = LABELS.get(label, ("?", "secondary", label.upper() or "UNLABELLED"))
    return Content.styled(f" {sym} {word} ", f"bold $text-{colour} on ${colour}-muted")


def label_word(label: str) -> Content:
    sym, colour, word = LABELS.get(label, ("?", "secondary", label or "?"))
    return Content.styled(f"{sym} {label}", f"bold $text-{colour}")


def meter(value: int, lo: int, hi: int, width: int = 12, style: str = "$accent") -> Content:
    """A bar with its number: the number carries the meaning, the bar the gist."""
    from roleplay.core.reporting.debrief import bar

    filled, empty = bar(value, lo, hi, width)
    return Content.assemble(
        ("█" * filled, style), ("░" * empty, "$foreground 30%"), f" {value}",
        (f"/{hi}" if lo == 0 else f" ({lo}–{hi})", "$text-muted"))


class ZoomHint(Static):
    """One line for the instructor in projector mode (hidden otherwise, by CSS)."""

    def __init__(self) -> None:
        from ..services import ZOOM_HINT

        super().__init__(ZOOM_HINT, classes="zoom-hint", markup=False)


def blink(widget) -> None:
    """Apply the app's cursor-blink setting (snapshots turn it off)."""
    app = widget.app
    if hasattr(widget, "cursor_blink"):
        widget.cursor_blink = bool(getattr(app, "cursor_blink", True))
