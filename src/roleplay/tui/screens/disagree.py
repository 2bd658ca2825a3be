"""Disagreeing with a label: "I think this was [label], because ...". What the student says is
kept with the turn for the instructor (the class report lists it); the story does not change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, RadioButton, RadioSet, Static

from roleplay.core.labels import LABELS

from ..widgets.common import badge

if TYPE_CHECKING:
    from roleplay.core.session.record_types import Turn


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DisagreeScreen(ModalScreen["tuple[str, str] | None"]):
    """Dismissed with (label, note), or None when the student cancels."""

    DEFAULT_CSS = """
    DisagreeScreen #dispute-label { width: 100%; height: auto; margin-bottom: 1; }
    DisagreeScreen #dispute-note { margin-bottom: 1; }
    DisagreeScreen .dialog-buttons { height: auto; }
    DisagreeScreen .dialog-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, turn: "Turn") -> None:
        super().__init__()
        self.turn = turn
        self.choices = [label for label in LABELS if label != turn.label]

    def compose(self) -> ComposeResult:
        t = self.turn
        previous = t.dispute
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Content.styled(f"Disagree with the label of turn {t.index}", "bold"), classes="dialog-title")
            yield Static(Content.assemble(Content.styled("You said: ", "$text-muted"),
                                          Content.styled(f"“{_short(t.reply)}”", "italic"), "\n",
                                          Content.styled("Labelled: ", "$text-muted"), badge(t.label)))
            yield Static(Content("I think this was"))
            with RadioSet(id="dispute-label"):
                for label in self.choices:
                    yield RadioButton(label, value=previous is not None and previous.label == label)
            yield Input(previous.note if previous else "", id="dispute-note", placeholder="because …",
                        max_length=2_000)
            yield Static(Content.styled("Your view is kept with this turn for your instructor. It does not change "
                                        "the label or the story.", "$text-muted"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="dispute-save", variant="primary")
                yield Button("Cancel (Esc)", id="dispute-cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#dispute-label", RadioSet).focus()

    def chosen(self) -> str | None:
        index = self.query_one("#dispute-label", RadioSet).pressed_index
        return self.choices[index] if 0 <= index < len(self.choices) else None

    def action_save(self) -> None:
        label = self.chosen()
        if label is None:
            self.notify("Choose the label you think this reply deserved.", severity="warning", timeout=4)
            self.query_one("#dispute-label", RadioSet).focus()
            return
        self.dismiss((label, self.query_one("#dispute-note", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.query_one("#dispute-note", Input).focus()  # the label is chosen: on to the reason

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "dispute-save":
            self.action_save()
        else:
            self.action_cancel()


def disagree_with_last(screen) -> None:
    """From the session screen: open the dialog for the last reply when its label is shown, keep
    the answer with the turn (saved), and redraw so the conversation shows it."""
    session = screen.session
    if not session.turns:
        screen.notify("Reply first: there is no label to disagree with yet.", timeout=4)
        return
    turn = session.turns[-1]
    if not screen.visible(turn.index):
        screen.notify("The label is hidden for now: " + ("reveal it first (F4)." if screen.mode == "reveal"
                                                          else "it is shown at the debrief."), timeout=4)
        return

    def kept(result: "tuple[str, str] | None") -> None:
        if result is None:
            return
        try:
            t = screen.practice.dispute(*result, index=turn.index)
        except ValueError as exc:
            screen.notify(str(exc), severity="warning", timeout=6)
            return
        if screen.practice.saver is not None:
            screen.app.tell_save_problem(screen.practice.last_error)
        screen.notify(f"Noted for your instructor: you think turn {t.index} was {result[0]}. "
                      "The story goes on as it was.", timeout=5)
        screen.call_later(screen.rebuild)

    screen.app.push_screen(DisagreeScreen(turn), kept)
