"""A label as a banner of block letters, readable from the back of a classroom.

A terminal cannot make text larger, so the word is drawn five rows high with full blocks; only
the letters of the label words (and a few more) are drawn. Too narrow a space gets the plain word.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from .common import LABELS, label_colour

_ROWS = 5
_FONT = {
    "A": [" ███ ", "█   █", "█████", "█   █", "█   █"],
    "C": [" ████", "█    ", "█    ", "█    ", " ████"],
    "D": ["████ ", "█   █", "█   █", "█   █", "████ "],
    "E": ["█████", "█    ", "████ ", "█    ", "█████"],
    "G": [" ████", "█    ", "█  ██", "█   █", " ████"],
    "H": ["█   █", "█   █", "█████", "█   █", "█   █"],
    "I": ["█████", "  █  ", "  █  ", "  █  ", "█████"],
    "J": ["█████", "   █ ", "   █ ", "█  █ ", " ██  "],
    "L": ["█    ", "█    ", "█    ", "█    ", "█████"],
    "M": ["█   █", "██ ██", "█ █ █", "█   █", "█   █"],
    "N": ["█   █", "██  █", "█ █ █", "█  ██", "█   █"],
    "O": [" ███ ", "█   █", "█   █", "█   █", " ███ "],
    "P": ["████ ", "█   █", "████ ", "█    ", "█    "],
    "R": ["████ ", "█   █", "████ ", "█  █ ", "█   █"],
    "S": [" ████", "█    ", " ███ ", "    █", "████ "],
    "T": ["█████", "  █  ", "  █  ", "  █  ", "  █  "],
    "U": ["█   █", "█   █", "█   █", "█   █", " ███ "],
    "Y": ["█   █", " █ █ ", "  █  ", "  █  ", "  █  "],
    " ": ["   ", "   ", "   ", "   ", "   "],
}


def block_letters(word: str) -> list[str] | None:
    """The word in block letters, row by row; None when a letter is not in the font."""
    letters = [_FONT.get(ch) for ch in word.upper()]
    if any(g is None for g in letters):
        return None
    return [" ".join(g[row] for g in letters) for row in range(_ROWS)]  # type: ignore[index]


class LabelBanner(Static):
    """The label in block letters in its colour, with the symbol and word underneath (never colour
    alone); the plain word when the space is too narrow for the letters."""

    def __init__(self, label: str, detail: str = "") -> None:
        super().__init__(classes=f"banner -{label}")
        self.label = label
        self.detail = detail

    def render(self) -> Content:
        sym, colour, word = LABELS.get(self.label, ("?", "secondary", self.label.upper()))
        style = f"bold $text-{label_colour(self.label)}"
        rows = block_letters(word)
        caption = Content.assemble(Content.styled(f"{sym} {word}", style),
                                   Content.styled(f"  {self.detail}" if self.detail else "", "bold"))
        width = self.content_region.width or self.size.width
        if rows is None or (width and len(rows[0]) > width):
            return caption
        return Content("\n").join([Content.styled(r, style) for r in rows] + [Content(""), caption])
