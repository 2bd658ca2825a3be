"""Small questions: "end this session now?" (F8) and "open the debrief or resume?" (History)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def _keys(*pairs: tuple[str, str]) -> Content:
    parts: list = []
    for key, what in pairs:
        parts += [Content.styled(f" {key} ", "bold reverse"), f" {what}   "]
    return Content.assemble(*parts)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: Enter or y confirms, Esc or n cancels."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes"),
        Binding("escape,n,q", "answer(False)", "No"),
    ]

    def __init__(self, title: str, text: str, yes: str = "yes", no: str = "cancel") -> None:
        super().__init__()
        self.title_text, self.text, self.yes, self.no = title, text, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog ask"):
            yield Static(Content.styled(self.title_text, "bold $text-warning"), classes="dialog-title")
            yield Static(Content(self.text), id="ask-text")
            yield Static(_keys(("Enter", self.yes), ("Esc", self.no)), classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ChoiceScreen(ModalScreen[str | None]):
    """Two named ways on, each with its own key (no default: Enter does nothing here); Esc goes back."""

    BINDINGS = [Binding("escape,q", "choose('')", "Back")]

    def __init__(self, title: str, text: str, choices: list[tuple[str, str, str]]) -> None:
        """`choices` are (key, what it does, the value returned)."""
        super().__init__()
        self.title_text, self.text, self.choices = title, text, choices
        for key, what, value in choices:
            self._bindings.bind(key, f"choose({value!r})", what)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog ask"):
            yield Static(Content.styled(self.title_text, "bold $text-accent"), classes="dialog-title")
            yield Static(Content(self.text), id="ask-text")
            yield Static(_keys(*[(k, what) for k, what, _ in self.choices], ("Esc", "back")), classes="dialog-keys")

    def action_choose(self, value: str) -> None:
        self.dismiss(value or None)
