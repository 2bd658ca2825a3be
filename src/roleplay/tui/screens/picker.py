"""The picker: built-in and user scenarios as cards, broken files with their messages, resume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, ListItem, ListView, Static

from ..widgets.common import ZoomHint

if TYPE_CHECKING:
    from roleplay.core.catalog import Entry
    from roleplay.core.records import RecordInfo

MAX_CARD_DIAGNOSTICS = 4


def has_content_note(note: str) -> bool:
    return bool(note.strip()) and note.strip().lower().rstrip(".") not in ("none", "no", "n/a")


def card_content(entry: "Entry") -> Content:
    if entry.scenario is None:
        errors = [d for d in entry.diagnostics if d.is_error]
        lines = [Content.assemble(Content.styled(" ⚠ BROKEN ", "bold $text-error on $error-muted"), " ",
                                  Content.styled(entry.path.name, "bold"),
                                  Content.styled(f" — cannot be opened ({len(errors)} error"
                                                 f"{'' if len(errors) == 1 else 's'}); Enter shows all", "$text-muted"))]
        for d in errors[:MAX_CARD_DIAGNOSTICS]:
            lines.append(Content(str(d)))
        if len(errors) > MAX_CARD_DIAGNOSTICS:
            lines.append(Content.styled(f"… {len(errors) - MAX_CARD_DIAGNOSTICS} more", "$text-muted"))
        return Content("\n").join(lines)
    s = entry.scenario
    p = s.persona
    where = "built-in" if entry.builtin else "yours"
    lines = [
        Content.assemble(Content.styled(s.title, "bold"), Content.styled(f"  ({where})", "$text-muted")),
        Content.assemble(Content.styled(p.name, "bold $text-accent"), f", {p.age} ({p.pronouns}) — {p.setting}"),
        Content.assemble(Content.styled(s.difficulty, "$text-secondary"), f" · about {s.minutes} min"),
    ]
    if s.summary:
        lines.append(Content(" ".join(s.summary.split())))
    note = " ".join(p.content_note.split())
    if has_content_note(note):
        lines.append(Content.assemble(Content.styled("Content note: ", "bold $text-warning"), note))
    else:
        lines.append(Content.styled("Content note: none", "$text-muted"))
    return Content("\n").join(lines)


class ScenarioCard(ListItem):
    def __init__(self, entry: "Entry") -> None:
        super().__init__(Static(card_content(entry)), classes="card" + (" broken" if entry.scenario is None else ""))
        self.entry = entry


class ResumeCard(ListItem):
    def __init__(self, info: "RecordInfo", title: str) -> None:
        n = len(info.data.get("turns") or [])
        when = info.updated[:16].replace("T", " ")
        text = Content.assemble(
            Content.styled(" ↻ RESUME ", "bold $text-primary on $primary-muted"), " ",
            Content.styled(title, "bold"), f" with {info.data.get('persona', '')}",
            Content.styled(f"\nYou stopped after turn {n}" + (f" (saved {when})" if when else "") +
                           ". Enter picks it up where you left off.", "$text-muted"))
        super().__init__(Static(text), classes="card resume")
        self.info = info


class CardList(ListView):
    """The cards: arrow keys move, Enter opens."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]


class PickerScreen(Screen):
    BINDINGS = [
        Binding("h", "app.history", "History"),
        Binding("m", "feedback_mode", "Feedback mode"),
        Binding("r", "resume", "Resume", show=False),
        Binding("escape,q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.resumable: list[RecordInfo] = []

    def compose(self) -> ComposeResult:
        self.entries = self.app.load_catalog()
        self.resumable = self._unfinished()
        yield ZoomHint()
        yield Static(self._header(), id="picker-header")
        yield CardList(*self._items(), id="cards")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cards", ListView).focus()
        self.call_after_refresh(self.app.picker_ready)

    def _header(self) -> Content:
        from ..app import FEEDBACK_HELP

        ok = sum(1 for e in self.entries if e.scenario is not None)
        mode = self.app.feedback
        return Content.assemble(
            Content.styled("Choose a client to practise with", "bold"),
            Content.styled(f"  ·  {ok} scenario{'' if ok == 1 else 's'}", "$text-muted"),
            "\n",
            Content.styled("Feedback: ", "$text-muted"), Content.styled(mode, "bold $text-accent"),
            Content.styled(f" — {FEEDBACK_HELP[mode]} (m changes it)", "$text-muted"))

    def _unfinished(self) -> "list[RecordInfo]":
        from roleplay.core import records

        try:
            return records.unfinished()
        except OSError:
            return []

    @staticmethod
    def _key(info: "RecordInfo") -> tuple:
        return (info.id, info.updated, len(info.data.get("turns") or []))

    def _title_for(self, info: "RecordInfo") -> str:
        return str(info.data.get("scenario_title") or info.data.get("scenario") or info.id)

    def _items(self) -> list[ListItem]:
        items: list[ListItem] = []
        if self.resumable:
            items.append(ResumeCard(self.resumable[0], self._title_for(self.resumable[0])))
        items += [ScenarioCard(e) for e in self.entries]
        if not items:
            items.append(ListItem(Static(Content.styled(
                "No scenarios found. Add a folder of your own with: roleplay --scenarios DIR", "italic")),
                classes="card empty"))
        return items

    async def on_screen_resume(self) -> None:
        """Back from a session: the unfinished-session offer may have changed."""
        fresh = self._unfinished()
        if [self._key(r) for r in fresh[:1]] != [self._key(r) for r in self.resumable[:1]]:
            self.resumable = fresh
            cards = self.query_one("#cards", ListView)
            await cards.clear()
            await cards.extend(self._items())
            cards.index = 0
        self.query_one("#picker-header", Static).update(self._header())
        self.query_one("#cards", ListView).focus()

    # --- actions -----------------------------------------------------------------------

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        self._open(event.item)

    def _open(self, item: ListItem | None) -> None:
        if isinstance(item, ResumeCard):
            self.resume(item.info)
        elif isinstance(item, ScenarioCard):
            self.open_entry(item.entry)

    def open_entry(self, entry: "Entry") -> None:
        from .modals import ContentNoteScreen, DiagnosticsScreen

        if entry.scenario is None:
            self.app.push_screen(DiagnosticsScreen(entry.path.name, [str(d) for d in entry.diagnostics]))
            return
        scenario = entry.scenario
        if has_content_note(scenario.persona.content_note):
            def go(ok: bool | None) -> None:
                if ok:
                    self.app.start_scenario(scenario)
            self.app.push_screen(ContentNoteScreen(scenario), go)
        else:
            self.app.start_scenario(scenario)

    def action_resume(self) -> None:
        if self.resumable:
            self.resume(self.resumable[0])
        else:
            self.notify("There is no unfinished session to resume.")

    def resume(self, info: "RecordInfo") -> None:
        resume_record(self.app, info, self.entries)

    def action_feedback_mode(self) -> None:
        from ..app import FEEDBACK_HELP, FEEDBACK_MODES

        i = FEEDBACK_MODES.index(self.app.feedback)
        self.app.set_feedback(FEEDBACK_MODES[(i + 1) % len(FEEDBACK_MODES)])
        self.query_one("#picker-header", Static).update(self._header())
        self.notify(f"Feedback: {self.app.feedback} — {FEEDBACK_HELP[self.app.feedback]}", timeout=3)

    def palette_commands(self):
        out = []
        for e in self.entries:
            if e.scenario is not None:
                out.append((f"Open scenario: {e.scenario.title}", f"{e.scenario.persona.name} — {e.scenario.persona.setting}",
                            lambda e=e: self.open_entry(e)))
        if self.resumable:
            out.append(("Resume unfinished session", self._title_for(self.resumable[0]), self.action_resume))
        out.append(("History of past sessions", "Your saved sessions and your share of empathic replies",
                    self.app.action_history))
        out.append(("Change feedback mode", "immediate, end (self-assessment) or reveal (classroom)",
                    self.action_feedback_mode))
        return out


def resume_record(app, info: "RecordInfo", entries: "list[Entry] | None" = None, *, replace: bool = False) -> bool:
    """Open a saved unfinished session in its scenario; say why when that is not possible."""
    data = dict(info.data)
    sid = str(data.get("scenario", ""))
    entries = entries if entries is not None else app.load_catalog()
    scenario = next((e.scenario for e in entries if e.scenario is not None and e.scenario.id == sid), None)
    if scenario is None and data.get("scenario_path"):
        from roleplay.core.loader import load_scenario

        try:
            scenario, _ = load_scenario(str(data["scenario_path"]))
        except OSError:
            scenario = None
        if scenario is not None and scenario.id != sid:
            scenario = None
    if scenario is None:
        app.notify(f"Cannot resume: the scenario {sid!r} is not available (is its folder passed with --scenarios?).",
                   severity="error", timeout=8)
        return False
    try:
        session = app.restore_session(data, scenario)
    except (KeyError, TypeError, ValueError) as exc:
        app.notify(f"Cannot resume {info.path.name}: the record is damaged ({exc}).", severity="error", timeout=8)
        return False
    if session.node is None and not session.finished:
        app.notify("Cannot resume: this session's place no longer exists in the scenario (it was edited).",
                   severity="error", timeout=8)
        return False
    app.open_session(session, replace=replace)
    return True
