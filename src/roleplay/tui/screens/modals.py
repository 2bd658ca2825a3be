"""Modal screens: the content note, a broken file's messages, the guide to reply types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..widgets.common import badge

if TYPE_CHECKING:
    from roleplay.core.scenario.model import Scenario


class ContentNoteScreen(ModalScreen[bool]):
    """Shown before a scenario with a content note: Enter goes on, Esc goes back."""

    BINDINGS = [
        Binding("enter", "go", "Start"),
        Binding("escape,q", "back", "Go back"),
    ]

    def __init__(self, scenario: "Scenario") -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        p = self.scenario.persona
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Content.styled("Before you start: content note", "bold $text-warning"), classes="dialog-title")
            yield Static(Content(" ".join(p.content_note.split())), id="note-text")
            yield Static(Content.assemble(Content.styled(f"{self.scenario.title}", "bold"), " — ",
                                          f"{p.name}, {p.setting}"), classes="dialog-sub")
            yield Static(Content.styled("Take care of yourself: you can leave at any point with Esc, "
                                        "and your progress is saved.", "$text-muted"))
            yield Static(Content.assemble(Content.styled("Enter", "bold reverse"), " start   ",
                                          Content.styled("Esc", "bold reverse"), " go back"), classes="dialog-keys")
        yield Footer(compact=True)

    def action_go(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class DiagnosticsScreen(ModalScreen[None]):
    """A broken scenario file: the validator's messages, one per line (path:line:col)."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, name: str, lines: list[str]) -> None:
        super().__init__()
        self.file_name = name
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide"):
            yield Static(Content.styled(f"{self.file_name} cannot be opened", "bold $text-error"),
                         classes="dialog-title")
            yield Static(Content.styled("Fix these in the file, then restart the trainer "
                                        "(or check it with `roleplay validate FILE`):", "$text-muted"))
            with VerticalScroll(id="diagnostics"):
                yield Static(Content("\n").join(Content(line) for line in self.lines) if self.lines
                             else Content("(no messages)"), id="diagnostic-lines")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#diagnostics").focus()

    def action_close(self) -> None:
        self.dismiss(None)


GUIDE = [
    ("empathic", "Feeling WITH the client: you name or reflect what they feel and mean, from their side.",
     ["“It sounds like having us here feels like an accusation.”",
      "“You've been holding all of this on your own.”"],
     "reflection, validation, exploration (open questions), presence"),
    ("sympathetic", "Feeling FOR the client: kind, but it moves away from their experience.",
     ["“Oh, you poor thing.”", "“I'm sure everything will be fine.”", "“At least the children are safe.”"],
     "pity, reassurance, minimising, platitude, self-focus, telling them how not to feel"),
    ("judgmental", "Evaluating or directing the client: blame, shoulds, orders, interrogation.",
     ["“You should have called us sooner.”", "“Why didn't you take her to the doctor?”"],
     "blaming, moralising, ordering, interrogating, dismissing, directive advice"),
    ("neutral", "Task-focused: facts, logistics or closed questions without the feeling.",
     ["“Which hospital is she in?”", "“Can we book another time?”"],
     "information, closed questions, suggestions, logistics"),
]


class GuideScreen(ModalScreen[None]):
    """A short guide to the four kinds of reply, with examples (F1)."""

    BINDINGS = [Binding("escape,q,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide"):
            yield Static(Content.styled("Four kinds of reply", "bold"), classes="dialog-title")
            with VerticalScroll(id="guide"):
                for label, what, examples, kinds in GUIDE:
                    yield Static(Content.assemble(
                        badge(label), "  ", Content(what), "\n",
                        Content("\n").join(Content.styled(f"  {x}", "italic") for x in examples), "\n",
                        Content.styled(f"  Sub-kinds: {kinds}", "$text-muted")), classes="guide-item")
                yield Static(Content.styled(
                    "Tip: start with the feeling you hear (“It sounds like… ”), then check it with the client. "
                    "Keys in a session: Enter send · Shift+Enter or Ctrl+J new line · F2 hint · "
                    "F3 model reply · F4 reveal · F6 discussion/reveal on a projector · F7 disagree with a label · Ctrl+R rewind · F8 end and debrief.", "$text-muted"), classes="guide-item")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#guide").focus()

    def action_close(self) -> None:
        self.dismiss(None)
