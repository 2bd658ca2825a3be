"""Small shared pieces: label badges (colour AND words), the zoom hint."""

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
