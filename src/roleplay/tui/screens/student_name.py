"""The first run: a small, skippable question for the student's name or number, kept in their
preferences and written into every session record (for the instructor's class report)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from roleplay.core.io.paths import preferences_path
from roleplay.core.session import preferences


class StudentNameScreen(ModalScreen[str | None]):
    """Enter keeps the name (empty: skipped); Esc skips. Either way the question is not asked again."""

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Content.styled("Welcome: what should your records call you?", "bold"), classes="dialog-title")
            yield Static("Your name or student number is kept with your practice sessions so your instructor's "
                         "class report can group them. You can leave it empty.")
            yield Input(placeholder="name or student number", id="student-name",
                        max_length=preferences.MAX_NAME)
            yield Static(Content.assemble(Content.styled("Enter", "bold reverse"), " keep   ",
                                          Content.styled("Esc", "bold reverse"), " skip"), classes="dialog-keys")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(preferences.sanitise_name(event.value))

    def action_skip(self) -> None:
        self.dismiss("")


def ask_student_once(app) -> bool:
    """Ask on the very first run (no preferences yet); False once asked or not needed."""
    try:
        if preferences_path().exists():
            return False
    except OSError:
        return False

    def keep(name: str | None) -> None:
        prefs, _ = preferences.load()
        try:
            preferences.save(type(prefs)(name or "", prefs.excluded))
        except OSError as exc:
            app.notify(f"Could not remember your name ({exc.strerror or exc}).", severity="warning", timeout=6)
            return
        if name:
            app.notify(f"Your sessions will be recorded as {name}.", timeout=4)

    app.push_screen(StudentNameScreen(), keep)
    return False
