"""A drill in the app: one client line at a time, a reply, the feedback and an empathic example,
one retry, next. The same controller as `roleplay drill` (core/session/drill.py).

Scoring runs in a worker thread, so the screen never freezes. The feedback mode is the app's:
in reveal mode (a class drilling together on a projector) labels stay hidden until F4; in end
mode they wait for the summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static


from ..services import reply_refused
from ..widgets.common import ZoomHint
from ..widgets.conversation import ClientSays, HiddenFeedback, Note, StudentSays
from ..widgets.drill import DrillFeedback, Example, SettingNote, keys_note, summary
from ..widgets.reply_input import ReplyInput

if TYPE_CHECKING:
    from roleplay.core.session.drill import Drill

HIDDEN = {"reveal": "Label hidden for discussion — F4 reveals it.",
          "end": "Labels are shown in the summary at the end (feedback: end)."}


class DrillScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "Leave", tooltip="Back to the scenarios; every reply is saved"),
        Binding("ctrl+r", "retry", "Retry"),
        Binding("ctrl+n", "skip", "Skip", tooltip="Go on to the next line without replying to this one"),
        Binding("f4", "reveal", "Reveal"),
        Binding("f8", "end", "Summary", tooltip="End the drill here and see the summary"),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
    ]

    def __init__(self, drill: "Drill", note: str = "") -> None:
        super().__init__()
        self.drill = drill
        self.note = note
        self.mode = "immediate"
        self.revealed: set[int] = set()  # reveal mode: the lines (0-based) whose labels are shown
        self.scorer_ready = drill.scorer is not None
        self.scorer_error: str | None = None
        self._pending: str | None = None
        self._busy = False

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.mode = self.app.feedback
        yield ZoomHint()
        yield Static(id="drill-title")
        yield VerticalScroll(id="drill-body", can_focus=False)
        with Center(id="reply-row"):
            yield ReplyInput(id="reply", placeholder="Type your reply · Enter sends · Shift+Enter or Ctrl+J: new line")
        yield Button("Next line (Enter)", id="drill-next", variant="primary")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        await self.rebuild()
        if not self.scorer_ready:
            self._scorer_worker()

    @work(thread=True, exclusive=True, group="scorer")
    def _scorer_worker(self) -> None:
        from ..services import load_scorer

        self.app.call_from_thread(self._scorer_loaded, *load_scorer(self.app, None))

    def _scorer_loaded(self, scorer, error: str | None) -> None:
        if scorer is None and not self.is_attached:
            return
        if scorer is None:
            self.scorer_error = error or "The reply scorer is not available."
            self.notify(self.scorer_error, severity="error", timeout=15)
            return
        self.drill.scorer = scorer
        self.scorer_ready = True
        if self._pending is not None and self.is_attached:
            text, self._pending = self._pending, None
            self.submit(text)

    def _title(self) -> Content:
        d = self.drill
        where = "summary" if d.finished else f"{d.position + 1}/{d.total}"
        aim = f"aimed at {d.focus}" if d.focus else "mixed"
        return Content.assemble(Content.styled("Drill", "bold"), Content.styled(f"  {where}", "bold $text-accent"),
                                Content.styled(f"  ·  {aim}  ·  feedback: {self.mode}", "$text-muted"))

    def visible(self, position: int) -> bool:
        """Whether line `position` (0-based) shows its labels now."""
        if self.drill.finished or self.mode == "immediate":
            return True
        return self.mode == "reveal" and position in self.revealed

    async def rebuild(self) -> None:
        """Redraw from the drill (after a reply, a retry, a reveal, the next line)."""
        d = self.drill
        self.query_one("#drill-title", Static).update(self._title())
        widgets: list = []
        item = d.current
        if d.finished or item is None:
            from roleplay.core.reporting.debrief import PRACTICE

            widgets.append(Note(Content("\n").join(summary(d, PRACTICE)), classes="note summary"))
        else:
            if d.position == 0 and not d.attempts_at() and self.note:
                widgets.append(Note(Content.styled(self.note, "$text-muted"), classes="note aim"))
            widgets.append(SettingNote(item))
            widgets.append(ClientSays("Client", item.client, current=True))
            tries = d.attempts_at()
            show = self.visible(d.position)
            for t in tries:
                widgets.append(StudentSays(t, highlight=show))
                if show:
                    widgets.append(DrillFeedback(t))
            if tries and not show:
                widgets.append(HiddenFeedback(HIDDEN[self.mode]))
            if tries and (show or self.mode == "end"):
                widgets.append(Example(item))
            if tries and not d.retrying:
                hidden = "F4 reveals the label" if self.mode == "reveal" and not show else None
                widgets.append(Note(keys_note(d, hidden), classes="note keys"))
        body = self.query_one("#drill-body", VerticalScroll)
        with self.app.batch_update():
            await body.remove_children()
            await body.mount_all(widgets)
        replying = d.awaiting_reply
        self.query_one("#reply-row").display = replying
        button = self.query_one("#drill-next", Button)
        button.display = not replying
        button.label = ("Back to the scenarios (Enter)" if d.finished else
                        "See the summary (Enter)" if d.position + 1 >= d.total else "Next line (Enter)")
        button.remove_class("-active")  # it now does something new: an Enter at once must not be swallowed
        (self.query_one("#reply", ReplyInput) if replying else button).focus()
        body.scroll_end(animate=False, immediate=False)

    # --- replying ---------------------------------------------------------------------------

    async def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        message.stop()
        self.submit(message.text)

    def submit(self, text: str) -> None:
        if self._busy or not self.drill.awaiting_reply or reply_refused(self, text):
            return
        self._busy = True
        self._score(text)

    @work(thread=True, exclusive=True, group="score")
    def _score(self, text: str) -> None:
        # Scored and saved here, off the UI thread, so a reply is kept even if the student leaves
        # the screen meanwhile; the drill is not touched elsewhere while _busy is set.
        try:
            attempt, error = self.drill.record(text, self.drill.assess(text)), None
        except Exception as exc:  # a scorer bug must not put a traceback in front of a student
            attempt, error = None, exc
        try:
            self.app.call_from_thread(self._scored, attempt, error)
        except RuntimeError:  # the app has closed: the reply is saved, there is nothing to show
            pass

    async def _scored(self, attempt, error: Exception | None) -> None:
        try:
            if not self.is_attached:
                return
            if attempt is None:
                self.log.error("scorer failed", error)
                self.notify(f"Your reply could not be assessed ({type(error).__name__}). It was not sent; "
                            "try again or rephrase it.", severity="error", timeout=10)
                return
            if self.drill.last_error:
                self.notify(self.drill.last_error, severity="error", timeout=10)
            self.query_one("#reply", ReplyInput).clear()
            await self.rebuild()
        finally:
            self._busy = False

    # --- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "reveal":
            return self.mode == "reveal"
        return True

    async def action_retry(self) -> None:
        if self._busy:
            return
        tries = self.drill.attempts_at()
        if not self.drill.retry():
            self.notify("Each line can be tried again once." if tries else "Reply first, then you can retry.",
                        timeout=3)
            return
        await self.rebuild()
        box = self.query_one("#reply", ReplyInput)
        box.text = tries[-1].reply
        box.move_cursor(box.document.end)

    async def action_reveal(self) -> None:
        d = self.drill
        if self.mode != "reveal" or d.current is None or self._busy:
            return
        if not d.attempts_at() or d.position in self.revealed:
            self.notify("Nothing hidden to reveal.", timeout=3)
            return
        self.revealed.add(d.position)
        await self.rebuild()

    async def action_skip(self) -> None:
        """A line the student would rather not answer (its content, or it reads oddly): go on."""
        if self._busy or self.drill.finished:
            return
        self.drill.next()
        await self.rebuild()

    async def action_end(self) -> None:
        if self._busy or self.drill.finished:
            return
        self.drill.finish()
        if self.drill.last_error:
            self.notify(self.drill.last_error, severity="error", timeout=10)
        await self.rebuild()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "drill-next":
            return
        event.stop()
        if self._busy:
            return
        if self.drill.finished:
            self.app.pop_screen()
            return
        self.drill.next()
        if self.drill.last_error:
            self.notify(self.drill.last_error, severity="error", timeout=10)
        await self.rebuild()

    def action_scroll_body(self, direction: int) -> None:
        body = self.query_one("#drill-body", VerticalScroll)
        (body.scroll_page_up if direction < 0 else body.scroll_page_down)(animate=False)

    def action_leave(self) -> None:
        self.app.pop_screen()  # every reply is already saved

    def palette_commands(self):
        out = [("Try this line again", "Once per line (Ctrl+R)", self.action_retry),
               ("Skip this line", "Go on without replying (Ctrl+N)", self.action_skip),
               ("End the drill", "Stop here and see the summary (F8)", self.action_end),
               ("Leave the drill", "Back to the scenarios; every reply is saved (Esc)", self.action_leave)]
        if self.mode == "reveal":
            out.insert(1, ("Reveal the label", "Show the hidden label, feedback and example (F4)", self.action_reveal))
        return out
