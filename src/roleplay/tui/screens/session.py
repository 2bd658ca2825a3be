"""The session: the conversation, the persona panel, the reply box and the practice keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from roleplay.core.session.engine import EmptyReply, ReplyTooLong, SessionOver
from roleplay.core.session.practice import Practice, RecordFullError

from ..services import reply_refused
from ..terminal_guard import shown
from ..widgets.common import ZoomHint
from .session_modes import RevealModes
from .session_reload import LiveReload
from ..widgets.conversation import TurnFeedback
from ..widgets.exchange import conversation_widgets, stage_widgets
from ..widgets.footer import KeyFooter
from ..widgets.persona import PersonaPanel
from ..widgets.reply_input import ReplyInput

if TYPE_CHECKING:
    from roleplay.core.session.engine import Session

class SessionScreen(LiveReload, RevealModes, Screen):
    BINDINGS = [
        Binding("escape", "leave", "Leave", tooltip="Back to the scenarios; the session is saved"),
        Binding("q", "leave", "Leave", show=False),  # only reaches here when no text is being typed
        Binding("f2", "hint", "Hint"),
        Binding("f3", "model", "Model"),
        Binding("f4", "reveal", "Reveal"),
        Binding("f6", "discuss", "Discuss/reveal", priority=True,  # before the reply box's select-line
                tooltip="Hide the latest label and reaction for discussion, or reveal them (projector)"),
        Binding("ctrl+r", "rewind", "Rewind"),
        # priority: the reply box would take F7 otherwise.
        Binding("f7", "disagree", "Disagree", show=False, priority=True,
                tooltip="Say which label you think your last reply deserved"),
        Binding("f8", "end", "Debrief", tooltip="End now (asks first) and see the debrief"),
        Binding("pageup", "scroll_conversation(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_conversation(1)", "Scroll down", show=False, priority=True),
    ]
    FOOTER_KEYS = {"leave", "hint", "model", "reveal", "end", "quit"}  # what a narrow footer keeps

    # Live authoring: how often (seconds) the scenario file is checked for a saved change; 0 turns it off.
    # A check only stats the file, so it is cheap; tests call `poll_scenario()` directly.
    WATCH_INTERVAL = 1.0

    def __init__(self, session: "Session", practice: Practice | None = None) -> None:
        super().__init__()
        self.session = session
        # The same controller as `roleplay play`; a failed save is told once (app.tell_save_problem)
        # and the session carries on.
        self.practice = practice or Practice(session, saver=lambda record: self.app.write_session(record))
        self.scenario = session.scenario
        self.mode: str = "immediate"
        self.revealed = 0  # turns 1..revealed show their label (not in end mode)
        self.reacted = 0  # the client's reaction to turns 1..reacted is shown
        self.discussion = False  # new replies wait for the reveal (reveal mode, or F6 on the projector)
        self.model_shown: set[int] = set()
        self.hint_for: tuple[str, int] | None = None
        self.scorer_ready = False
        self.scorer_error: str | None = None
        self._pending: str | None = None
        self._busy = False
        self.reload_problem: str | None = None  # what the status line says until the file is fixed

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # A session keeps the feedback mode it was started in, through a resume.
        if not self.session.feedback:
            self.session.feedback = self.app.feedback
        self.mode = self.session.feedback
        # Turns from before a resume count as discussed, except in reveal mode, where the class
        # has not seen their labels yet (the story so far, their reactions, stays on screen).
        n = len(self.session.turns)
        self.discussion = self.mode == "reveal"
        self.revealed = 0 if self.mode == "reveal" else n
        self.reacted = n
        yield ZoomHint()
        with Horizontal(id="session-top"):
            yield Static(self._title(), id="session-title")
            yield Static(self._mode_line(), id="session-mode")
        yield Static(id="reload-status")
        with Horizontal(id="session-body"):
            yield VerticalScroll(id="conversation", can_focus=False)
            yield VerticalScroll(id="stage", can_focus=False)
            yield PersonaPanel(self.session, id="persona")
        with Center(id="reply-row"):
            yield ReplyInput(id="reply", placeholder="Type your reply · Enter sends · Shift+Enter or Ctrl+J: new line")
        yield Button("The conversation has ended — see the debrief (Enter)", id="to-debrief", variant="primary")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.app.active_session = self.session
        self.query_one("#to-debrief", Button).display = False
        await self.rebuild()
        self._load_scorer()
        self._start_watching()

    def on_unmount(self) -> None:
        if self.app.active_session is self.session:
            self.app.active_session = None
        self.app.release(self.session.id)

    def _told(self) -> None:
        """Tell the student about saving, once per problem."""
        if self.practice.saver is not None:
            self.app.tell_save_problem(self.practice.last_error)

    def _load_scorer(self) -> None:
        from ..services import PendingScorer

        if not isinstance(self.session.scorer, PendingScorer):
            self.scorer_ready = True
            return
        app = self.app
        if app.scorer_at_hand():
            self._scorer_loaded(app.scorer_for(self.scenario), None)
        else:
            self._scorer_worker()

    @work(thread=True, exclusive=True, group="scorer")
    def _scorer_worker(self) -> None:
        from ..services import load_scorer

        self.app.call_from_thread(self._scorer_loaded, *load_scorer(self.app, self.scenario))

    def _scorer_loaded(self, scorer, error: str | None) -> None:
        if scorer is None:
            self.scorer_error = error or "The reply scorer is not available."
            self.notify(self.scorer_error, severity="error", timeout=15)
            return
        self.session.scorer = scorer
        self.scorer_ready = True
        if self._pending is not None:
            text, self._pending = self._pending, None
            self.run_worker(self.submit(text), exclusive=True, group="submit")

    def _title(self) -> Content:
        p = self.scenario.persona
        return Content.assemble(Content.styled(p.name, "bold $text-accent"), Content.styled(" · ", "$text-muted"),
                                Content.styled(self.scenario.title, "bold"))

    def _mode_line(self) -> Content:
        """Kept apart from the title so a narrow screen cuts the title, never the mode."""
        mode = "reveal" if self.discussion and self.mode == "immediate" else self.mode
        return Content.styled(f"feedback: {mode}", "$text-muted")

    def _who(self) -> Content:
        """The persona panel's first lines (as PersonaPanel composes them), for after a reload."""
        p = self.scenario.persona
        return Content.assemble(Content.styled(p.name, "bold $text-accent"), "\n",
                                Content.styled(f"{p.age} · {p.pronouns}", "$text-muted"), "\n", Content(p.setting))

    # --- what is shown ----------------------------------------------------------------------

    def _briefing(self) -> Content:
        from ..services import FEEDBACK_HELP

        return Content.assemble(Content.styled("Briefing  ", "bold $text-secondary"),
                                Content(" ".join(self.scenario.persona.briefing.split())), "\n",
                                Content.styled(f"Feedback: {self.mode} — {FEEDBACK_HELP[self.mode]}.", "$text-muted"))

    async def rebuild(self, *, keep_focus: bool = False) -> None:
        """Redraw the conversation and the projector's stage from the session (after a reply, a
        rewind, a reveal, a reload)."""
        s = self.session
        view = self.view()
        conversation = self.query_one("#conversation", VerticalScroll)
        stage = self.query_one("#stage", VerticalScroll)
        # One of them is on screen (CSS): the stage on a projector, the whole conversation otherwise.
        shown, other = (stage, conversation) if self.app.projector else (conversation, stage)
        build = stage_widgets if self.app.projector else conversation_widgets
        with self.app.batch_update():
            await other.remove_children()
            await shown.remove_children()
            await shown.mount_all(build(s, view, self._briefing()))
        hidden = "shown at the debrief (feedback: end)" if self.mode == "end" else None
        waiting = bool(s.turns) and not view.reaction_shown(len(s.turns))
        self.query_one(PersonaPanel).update_view(self.visible_turns(), hidden, mood_hidden=waiting)
        self.query_one("#session-mode", Static).update(self._mode_line())
        over = s.finished and not waiting
        reply = self.query_one("#reply", ReplyInput)
        button = self.query_one("#to-debrief", Button)
        self.query_one("#reply-row").display = not over and not waiting
        button.display = over
        if keep_focus and self.focused is not None:
            pass  # a reload does not move the student's cursor
        elif over:
            button.focus()
        elif not waiting:
            reply.focus()
        self.call_after_refresh(self._show_latest)
        self.refresh_bindings()

    async def projector_changed(self) -> None:
        """F5: the projector's stage or the whole conversation."""
        await self.rebuild(keep_focus=True)

    def _show_latest(self) -> None:
        """Scroll to the end, but never past the latest label: it stays in view after a reply."""
        for pane in self.query("#conversation, #stage").results(VerticalScroll):
            pane.scroll_end(animate=False, immediate=True)
            labels = list(pane.query(TurnFeedback))
            if labels and labels[-1].region and labels[-1].index == len(self.session.turns):
                pane.scroll_to_widget(labels[-1], animate=False, immediate=True)

    # --- replying ---------------------------------------------------------------------------

    async def on_reply_input_submitted(self, message: ReplyInput.Submitted) -> None:
        message.stop()
        await self.submit(message.text)

    async def submit(self, text: str) -> None:
        if self._busy:
            self._pending = text  # sent as soon as the reply before it is shown, never dropped
            return
        text = shown(text)  # a pasted escape sequence is kept as a visible ␛, never sent to the terminal
        if self.session.finished or reply_refused(self, text):
            return
        self._busy = True
        try:
            try:
                # Scored here, on the main thread, on purpose: there the scorer's time budget can
                # stop even one runaway rubric pattern (core/scoring/cues.py), so the screen is
                # never held for longer than that; in a thread such a pattern would hold it for good.
                self.practice.submit(text)  # saved before the client's next line is shown
            except EmptyReply:
                self.notify("Nothing to send yet — type your reply first.", timeout=3)
                return
            except (ReplyTooLong, RecordFullError) as exc:  # nothing was added; the reply stays in the box
                self.notify(str(exc), severity="warning", timeout=12)
                return
            except SessionOver as exc:
                self.notify(f"This conversation is over: {exc}.", timeout=5)
                return
            except Exception as exc:  # a scorer bug must not put a traceback in front of a student
                self.log.error("scorer failed", exc)
                self.notify(f"Your reply could not be assessed ({type(exc).__name__}). It was not sent; "
                            "try again or rephrase it.", severity="error", timeout=10)
                return
            self._told()
            self.query_one("#reply", ReplyInput).clear()
            if not self.discussion:
                self.revealed = self.reacted = len(self.session.turns)
            await self.rebuild()
        finally:
            self._busy = False
            if self._pending is not None and self.scorer_ready:
                self.call_later(self._send_pending)

    async def _send_pending(self) -> None:
        if self._pending is not None and not self._busy:
            text, self._pending = self._pending, None
            await self.submit(text)

    # --- keys -------------------------------------------------------------------------------

    def action_scroll_conversation(self, direction: int) -> None:
        conversation = self.query_one("#conversation", VerticalScroll)
        if direction < 0:
            conversation.scroll_page_up(animate=False)
        else:
            conversation.scroll_page_down(animate=False)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "reveal":
            return self.mode == "reveal" or self.discussion
        if action == "discuss":
            return self.mode != "end" and self.app.projector
        return True

    async def action_rewind(self) -> None:
        turn = self.practice.rewind()
        if turn is None:
            self.notify("Nothing to rewind yet.", timeout=3)
            return
        self.model_shown.discard(turn.index)
        n = len(self.session.turns)
        self.revealed, self.reacted = min(self.revealed, n), min(self.reacted, n)
        self._told()
        await self.rebuild()
        reply = self.query_one("#reply", ReplyInput)
        reply.text = turn.reply
        reply.move_cursor(reply.document.end)
        self.notify("Rewound your last reply: edit it and send it again.", timeout=3)

    async def action_hint(self) -> None:
        node = self.session.node
        if node is None or not self.practice.hint():
            self.notify("No hint for this moment.", timeout=3)
            return
        key = (node.id, len(self.session.turns))
        self.hint_for = None if self.hint_for == key else key
        await self.rebuild()

    async def action_model(self) -> None:
        if not self.session.turns:
            self.notify("A model reply is offered after your first reply (F2 gives a hint now).", timeout=4)
            return
        last = self.session.turns[-1].index
        if last in self.model_shown:
            self.model_shown.discard(last)
        else:
            self.model_shown.add(last)
        await self.rebuild()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "to-debrief":
            event.stop()
            self._end()

    def action_disagree(self) -> None:
        """F7: "I think this was [label], because ..." for the last reply, kept for the instructor."""
        from .disagree import disagree_with_last

        disagree_with_last(self)

    def action_leave(self) -> None:
        if self.session.turns:
            self.app.save_session(self.session)
        self.app.pop_screen()

    def palette_commands(self):
        out = [
            ("Rewind the last turn", "Take back your last reply and try again (Ctrl+R)", self.action_rewind),
            ("Show a hint", "What to notice at this moment, and a question to ask yourself (F2)", self.action_hint),
            ("Show the model reply", "A model empathic reply for the last turn (F3)", self.action_model),
            ("Disagree with the label", "Say which label your last reply deserved, and why (F7)", self.action_disagree),
            ("End early and debrief", "Stop here and see the debrief (F8)", self.action_end),
            ("Back to the scenarios", "Leave this session; it is saved and can be resumed (Esc)", self.action_leave),
        ]
        if self.mode == "reveal":
            out.insert(3, ("Reveal the label", "Show the hidden label and feedback (F4)", self.action_reveal))
        return out
