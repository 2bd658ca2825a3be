"""Setting up a drill: the student's name, what to aim at, one setting or all, what to leave out.

The name and what is left out are remembered (core/session/preferences.py). The corpus and the
student's records are read in a thread, so the dialog opens at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, SelectionList, Static

from roleplay.core.content_notes import CONTENT_TAGS, area_name

if TYPE_CHECKING:
    from roleplay.core.reporting.habits import HabitProfile
    from roleplay.core.session.drill_corpus import DrillItem
    from roleplay.core.session.preferences import Preferences

LENGTHS = (5, 10, 20)
ANY = "any"
MIXED = "mixed"


def _options(select: Select, options: list[tuple[str, object]]) -> None:
    """New options, the first one chosen and shown (set_options alone keeps showing the old label
    when the value stays the same)."""
    select.set_options(options)
    if len(options) > 1:
        select.value = options[1][1]
    select.value = options[0][1]


class DrillSetupScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[DrillItem] = []
        self.profile: HabitProfile | None = None
        self.drills: list[dict] = []
        self.prefs: Preferences | None = None
        self.ready = False

    def compose(self) -> ComposeResult:
        with Vertical(id="drill-setup", classes="dialog wide"):
            yield Static(Content.styled("Drill: short practice with many clients", "bold $text-success"),
                         classes="dialog-title")
            yield Static(Content.styled("Reading the corpus and your records…", "italic $text-muted"), id="setup-status")
            yield Static(Content.styled("Your name (kept in your drill records, for your instructor's report)",
                                        "$text-muted"), classes="setup-label")
            yield Input(id="setup-name", placeholder="your name (optional)", max_length=60, compact=True)
            yield Static(Content.styled("Aim at · setting · length", "$text-muted"), classes="setup-label")
            with Horizontal(classes="setup-row"):
                yield Select([("auto: your habit", "auto")], id="setup-focus", allow_blank=False, compact=True)
                yield Select([("any setting", ANY)], id="setup-area", allow_blank=False, compact=True)
                yield Select([(f"{n} lines", n) for n in LENGTHS], id="setup-n", value=10, allow_blank=False,
                             compact=True)
            yield Static(Content.styled("Leave out (remembered; Space ticks): content notes, then settings",
                                        "$text-muted"), classes="setup-label")
            yield SelectionList[str](id="setup-exclude", compact=True)
            yield Button("Start the drill (Enter · Ctrl+S)", id="setup-start", variant="success", disabled=True,
                         compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="drill-setup")
    def _load(self) -> None:
        from roleplay.core.reporting.habits import own_profile
        from roleplay.core.session import preferences
        from roleplay.core.session.drill_corpus import load_items

        try:
            items, problems = load_items(self.app.drill_corpus)
            profile, drills, skipped = own_profile()
            prefs, message = preferences.load()
        except Exception as exc:  # a missing corpus, an unreadable folder: say so, never a traceback
            self.app.call_from_thread(self._failed, str(exc))
            return
        notes = problems[:2] + ([message] if message else []) + skipped[:2]
        self.app.call_from_thread(self._loaded, items, profile, drills, prefs, notes)

    def _failed(self, message: str) -> None:
        self.query_one("#setup-status", Static).update(Content.styled(message, "bold $text-error"))

    def _loaded(self, items, profile, drills, prefs, notes: list[str]) -> None:
        from roleplay.core.labels import EMPATHIC, KINDS
        from roleplay.core.session.drill_corpus import areas

        self.items, self.profile, self.drills, self.prefs = items, profile, drills, prefs
        top = profile.top_habit()
        habit = profile.habit(top) if top else None
        auto = f"auto: {top}, your habit" if top else "auto: no habit yet (mixed)"
        focus = [(auto, "auto"), ("a mix of everything", MIXED)]
        focus += [(f"{k} ({label})", k) for label, ks in KINDS.items() if label != EMPATHIC for k in ks]
        _options(self.query_one("#setup-focus", Select), focus)
        found = areas(items)
        _options(self.query_one("#setup-area", Select), [("any setting", ANY)] + [(area_name(a), a) for a in sorted(found)])
        excluded = set(prefs.excluded)
        options = [(f"{name} (content note)", tag, tag in excluded) for tag, name in CONTENT_TAGS.items()]
        options += [(f"{area_name(a)} (setting)", a, a in excluded) for a in sorted(found)]
        self.query_one("#setup-exclude", SelectionList).add_options(options)
        self.query_one("#setup-name", Input).value = prefs.student
        status = [Content.assemble(Content.styled(f"{len(items)} client lines", "bold"),
                                   " to practise on, from every setting in the corpus.")]
        if habit is not None:
            status.append(Content.assemble(Content.styled("Your habit: ", "bold $text-warning"), habit.describe(),
                                           "."))
        status += [Content.styled(n, "$text-warning") for n in notes]
        self.query_one("#setup-status", Static).update(Content("\n").join(status))
        start = self.query_one("#setup-start", Button)
        start.disabled = False
        start.focus()
        self.ready = True

    # --- starting ---------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "setup-start":
            event.stop()
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#setup-start", Button).focus()

    def action_start(self) -> None:
        if not self.ready or self.prefs is None:
            return
        import secrets
        from datetime import datetime

        from roleplay.core.reporting.drill_plan import describe_exclusions, plan_drill
        from roleplay.core.reporting.habits import recently_drilled
        from roleplay.core.session import preferences
        from roleplay.core.session.drill import Drill, new_drill_id

        name = preferences.sanitise_name(self.query_one("#setup-name", Input).value)
        excluded = tuple(sorted(self.query_one("#setup-exclude", SelectionList).selected))
        chosen = preferences.Preferences(name, excluded)
        if chosen != self.prefs:
            try:
                preferences.save(chosen)
                self.prefs = chosen
            except OSError as exc:
                self.notify(f"Could not remember your choices ({exc.strerror or exc}); they apply to this drill.",
                            severity="warning", timeout=6)
        focus = self.query_one("#setup-focus", Select).value
        area = self.query_one("#setup-area", Select).value
        n = self.query_one("#setup-n", Select).value
        seed = self.app.drill_seed if self.app.drill_seed is not None else secrets.randbelow(1_000_000)
        plan = plan_drill(self.items, int(n), focus=None if focus == MIXED else str(focus),
                          area=None if area == ANY else str(area), excluded=excluded, seed=seed,
                          profile=self.profile, avoid=recently_drilled(self.drills))
        if not plan.items:
            left = describe_exclusions(excluded, {it.area for it in self.items})
            self.notify("No client lines match these choices" + (f" (leaving out {left})" if left else "") +
                        ". Choose another setting or aim, or leave less out.", severity="warning", timeout=8)
            return
        drill = Drill(plan.items, None, id=new_drill_id(datetime.now()), student=name, clock=self.app.clock,
                      saver=self.app.save_drill, focus=plan.focus, setting=None if area == ANY else str(area),
                      excluded=excluded, seed=seed)
        self.dismiss()
        self.app.open_drill(drill, plan.note)

    def action_back(self) -> None:
        self.dismiss()
