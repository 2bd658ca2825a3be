"""The trainer app: one factory, `create_app`, shared by the `roleplay` command, the tests and the bench.

Start-up stays lean: the picker needs only the scenario catalog. The scorer, the session screen
and the debrief are imported when a session starts.
"""

from __future__ import annotations

import threading
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .app_records import RecordKeeping
from .services import (FEEDBACK_HELP, FEEDBACK_MODES, ZOOM_HINT, PendingScorer, ScorerUnavailable,  # noqa: F401
                       remembered_student)
from .terminal_guard import SafeLines, shown, shown_markup
from .theme import PROJECTOR_THEME, pause_gc as _pause_gc, resume_gc as _resume_gc

if TYPE_CHECKING:
    from roleplay.core.assessment import Scorer
    from roleplay.core.session.drill import Drill
    from roleplay.core.session.engine import Session
    from roleplay.core.session.practice import Practice
    from roleplay.core.session.record_lock import SessionLock
    from roleplay.core.scenario.model import Scenario

    from .cards import Card


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_session_id(scenario: "Scenario") -> str:
    from roleplay.core.session.records import new_session_id

    return new_session_id(datetime.now(), scenario.id)


class RoleplayApp(RecordKeeping, App[None]):
    """Pick a client, practise, debrief."""

    CSS_PATH = "roleplay.tcss"
    TITLE = "Empathy roleplay trainer"
    ENABLE_COMMAND_PALETTE = True
    # Below 100 columns the screen gets `-narrow`: the persona panel collapses to its strip (CSS).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Save and quit"),
        Binding("f1", "guide", "Guide", tooltip="Empathic, sympathetic, judgmental, neutral: with examples"),
        Binding("f5", "toggle_projector", "Projector", tooltip="High contrast, large conversation"),
    ]

    def __init__(
        self,
        scenario_dirs: Sequence[str | Path] = (),
        *,
        projector: bool = False,
        feedback: str = "immediate",
        scorer: "Scorer | None" = None,
        scorer_factory: "Callable[[Scenario], Scorer] | None" = None,
        clock: Callable[[], str] | None = None,
        session_id: "Callable[[Scenario], str] | None" = None,
        include_builtin: bool = True,
        export_dir: str | Path | None = None,
        cursor_blink: bool = True,
        on_ready: "Callable[[RoleplayApp], Any] | None" = None,
        use_index: bool = True,
        drill_corpus: str | Path | None = None,
        drill_seed: int | None = None,
        idle_seconds: float = 0,
        lab: bool = False,
        ask_student: bool = False,
    ) -> None:
        super().__init__()
        if feedback not in FEEDBACK_MODES:
            raise ValueError(f"feedback must be one of {', '.join(FEEDBACK_MODES)}")
        self.scenario_dirs = [Path(d) for d in scenario_dirs]
        self.projector = projector
        self.feedback = feedback
        self.clock = clock or utc_now
        self.make_session_id = session_id or default_session_id
        self.include_builtin = include_builtin
        self._export_dir = Path(export_dir) if export_dir is not None else None
        self.cursor_blink = cursor_blink
        self.on_ready = on_ready
        self._scorer = scorer
        self._scorer_factory = scorer_factory
        self._scorer_lock = threading.Lock()
        self._user_theme: str | None = None
        self.active_session: "Session | None" = None
        self.use_index = use_index
        self.drill_corpus = Path(drill_corpus) if drill_corpus is not None else None  # None: the built-in corpus
        self.drill_seed = drill_seed  # None: a new choice of lines every drill
        self.ask_student = ask_student  # the first run asks the student's name (only from the command)
        self.cards: "list[Card] | None" = None
        self.cards_validated = 0  # files validated at start-up (0 when the card index was current)
        self._locks: "dict[str, SessionLock]" = {}  # the sessions this app has open (record_lock.py)
        self._save_told: str | None = None  # the save problem the student was last told about
        self.damaged_told: set[str] = set()  # damaged records already named to the student
        self.idle_seconds = max(0.0, float(idle_seconds))  # save and quit after this long without input; 0: never
        self.idle_clock: Callable[[], float] = time.monotonic
        self.last_input = self.idle_clock()
        self.lab = lab  # served to a class by `roleplay serve`: files are written only in the data folder
        self.register_theme(PROJECTOR_THEME)
        self._safe_lines = SafeLines()

    # --- start-up -----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from .screens.picker import PickerScreen

        return PickerScreen()

    def on_mount(self) -> None:
        if self.projector:
            self._apply_projector(True)
        if self.idle_seconds:
            self.set_interval(min(30.0, max(0.1, self.idle_seconds / 4)), self._quit_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.InputEvent, events.Paste)):
            self.last_input = self.idle_clock()
        await super().on_event(event)

    async def _quit_if_idle(self) -> None:
        """A browser-lab session nobody is using: save it and end (records are saved after every
        turn already; this also saves a reflection being written and frees the lab's place)."""
        if self.idle_clock() - self.last_input >= self.idle_seconds:
            await self.action_quit()

    def on_unmount(self) -> None:
        _resume_gc()  # in case the picker never came up

    # --- the terminal sees no control character from a file (terminal_guard.py) ---------------

    def get_line_filters(self):
        return [*super().get_line_filters(), self._safe_lines]

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification (screens' too) is plain text: messages carry file names and
        exceptions, whose brackets must not be read as markup."""
        super().notify(shown(message), title=shown(title), severity=severity, timeout=timeout, markup=False)

    def picker_ready(self) -> None:
        """Called by the picker once its cards are on screen (the bench measures up to here)."""
        _resume_gc()
        if self.lab and not self.scorer_at_hand():
            # In a lab the student reads the picker for a while: load the scorer meanwhile, so the
            # first reply is not kept waiting for it (many trainers start at once on one machine).
            threading.Thread(target=self._warm_scorer, daemon=True, name="warm-scorer").start()
        if self.ask_student:
            from .screens.student_name import ask_student_once

            self.ask_student = ask_student_once(self)
        if self.on_ready is not None:
            callback, self.on_ready = self.on_ready, None
            callback(self)

    def _warm_scorer(self) -> None:
        with self._scorer_lock:
            try:
                from roleplay.core.scoring import default_scorer

                default_scorer()
            except Exception:  # the session screen reports a scorer that cannot load
                pass

    def load_cards(self) -> "list[Card]":
        """The picker's cards; files are validated only when they changed (see cards.py)."""
        from .cards import CardIndex

        index = CardIndex(self.scenario_dirs, self.include_builtin, self.use_index)
        try:
            self.cards = index.load()
            self.cards_validated = index.validated
        except Exception as exc:  # a folder that vanished, permissions: say so, don't crash
            self.notify(f"Could not read the scenario folders: {exc}", severity="error", timeout=10)
            self.cards = []
        return self.cards

    def scenario_for(self, card: "Card") -> "tuple[Scenario | None, list[str]]":
        """The full scenario behind a card (validated now), or the validator's messages."""
        from roleplay.core.scenario.loader import load_scenario

        try:
            scenario, diags = load_scenario(card.path)
        except Exception as exc:  # the loader reports problems as diagnostics; this is a last resort
            return None, [f"{card.path}:1:1: error: could not be loaded ({type(exc).__name__}: {exc})"]
        return scenario, [str(d) for d in diags]

    def find_scenario(self, scenario_id: str, path_hint: str | None = None) -> "Scenario | None":
        """A scenario by id among the cards (or at the path a record remembers)."""
        cards = self.cards if self.cards is not None else self.load_cards()
        for card in cards:
            if card.ok and card.id == scenario_id:
                scenario, _ = self.scenario_for(card)
                if scenario is not None and scenario.id == scenario_id:
                    return scenario
        if path_hint:
            from .cards import Card

            scenario, _ = self.scenario_for(Card(path=Path(str(path_hint)), builtin=False, ok=True))
            if scenario is not None and scenario.id == scenario_id:
                return scenario
        return None

    @property
    def export_dir(self) -> Path:
        if self._export_dir is not None:
            return self._export_dir
        from roleplay.core.io.paths import data_home

        return data_home() / "exports"

    # --- the scorer, loaded when a session needs it ------------------------------------------

    def scorer_at_hand(self) -> bool:
        """Whether scorer_for answers at once (a scorer or a factory was given), so no worker is needed."""
        return self._scorer is not None or self._scorer_factory is not None

    def scorer_for(self, scenario: "Scenario | None") -> "Scorer":
        """The scorer for a scenario (its own rubric if it names one, as in every other tool);
        None, for a drill, gives the built-in rubric's.

        Safe to call from a worker thread. Raises ScorerUnavailable with a message for a student.
        """
        with self._scorer_lock:
            if self._scorer_factory is not None:
                return self._scorer_factory(scenario)
            if self._scorer is not None:
                return self._scorer
            from roleplay.core.scoring import scorer_for

            try:
                scorer, diags = scorer_for(scenario)
            except Exception as exc:
                raise ScorerUnavailable(f"The reply scorer could not start ({type(exc).__name__}: {exc}).") from exc
            if scorer is None:
                lines = "; ".join(str(d) for d in diags[:3]) or "unknown problem"
                raise ScorerUnavailable(f"This scenario's rubric cannot be used: {lines}")
            return scorer

    # --- sessions -----------------------------------------------------------------------

    def new_session(self, scenario: "Scenario") -> "Session":
        from roleplay.core.session.engine import Session

        sid = self.make_session_id(scenario)
        return Session(scenario, PendingScorer(), id=sid, seed=zlib.crc32(sid.encode()) % 10_000,
                       clock=self.clock, student=remembered_student())

    def open_session(self, session: "Session", *, replace: bool = False, practice: "Practice | None" = None) -> None:
        from .screens.session import SessionScreen

        problem = self.claim(session.id)
        if problem:
            self.notify(problem, severity="warning", timeout=10)
            return
        screen = SessionScreen(session, practice)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def start_scenario(self, scenario: "Scenario") -> None:
        self.open_session(self.new_session(scenario))

    # --- drills ---------------------------------------------------------------------------

    def action_drill(self) -> None:
        """The drill setup (name, aim, setting, what to leave out), then the drill."""
        from .screens.drill_setup import DrillSetupScreen

        if not isinstance(self.screen, DrillSetupScreen):
            self.push_screen(DrillSetupScreen())

    def open_drill(self, drill: "Drill", note: str = "") -> None:
        """`note` says what the drill aims at (drill_plan.Plan.note)."""
        from .screens.drill import DrillScreen

        self.push_screen(DrillScreen(drill, note))

    def show_debrief(self, session: "Session") -> None:
        from .screens.debrief import DebriefScreen

        self.switch_screen(DebriefScreen(session))

    # --- actions ------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q from anywhere: every open screen saves what it holds (a session, a reflection), then quit."""
        for screen in reversed(self.screen_stack):
            hook = getattr(screen, "before_quit", None)
            if callable(hook):
                try:
                    hook()
                except Exception as exc:  # quitting must still work
                    self.log.error("before_quit failed", exc)
        if self.active_session is not None and self.active_session.turns:
            self.save_session(self.active_session)
        self.exit()

    def action_guide(self) -> None:
        from .screens.modals import GuideScreen

        if not isinstance(self.screen, GuideScreen):
            self.push_screen(GuideScreen())

    def action_history(self) -> None:
        from .screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_toggle_projector(self) -> None:
        self._apply_projector(not self.projector)

    def _apply_projector(self, on: bool) -> None:
        self.projector = on
        self.set_class(on, "-projector")
        if on:
            if self.theme != PROJECTOR_THEME.name:
                self._user_theme = self.theme
                self.theme = PROJECTOR_THEME.name
        elif self.theme == PROJECTOR_THEME.name:
            self.theme = self._user_theme or "textual-dark"
        for screen in self.screen_stack:  # a session shows its stage or its whole conversation
            hook = getattr(screen, "projector_changed", None)
            if callable(hook) and screen.is_mounted:
                self.call_later(hook)

    def set_feedback(self, mode: str) -> None:
        if mode in FEEDBACK_MODES:
            self.feedback = mode

    # --- command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Projector mode", "Toggle high contrast and a large conversation (F5)",
                            self.action_toggle_projector)
        yield SystemCommand("Guide to reply types", "Empathic, sympathetic, judgmental and neutral replies (F1)",
                            self.action_guide)
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            for title, help_text, callback in commands():  # the palette reads markup
                yield SystemCommand(shown_markup(title), shown_markup(help_text), callback)


def create_app(scenario_dirs: Sequence[str | Path] = (), **options: Any) -> RoleplayApp:
    """Build the app: the one factory the CLI and the tests share. The CLI passes the user's
    options; tests also inject a scorer, a clock and session ids (see RoleplayApp's arguments)."""
    _pause_gc()
    return RoleplayApp(scenario_dirs, **options)
