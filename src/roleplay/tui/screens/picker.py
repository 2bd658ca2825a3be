"""The picker: built-in and user scenarios as cards, broken files with their messages, resume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ListItem, ListView, Static

from ..services import resume_record
from ..terminal_guard import shown
from ..widgets.common import ZoomHint
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from roleplay.core.session.records import RecordInfo

    from ..cards import Card

MAX_CARD_DIAGNOSTICS = 4


def has_content_note(note: str) -> bool:
    return bool(note.strip()) and note.strip().lower().rstrip(".") not in ("none", "no", "n/a")


def card_content(card: "Card") -> Content:
    if not card.ok:
        n = card.errors
        lines = [Content.assemble(Content.styled(" ⚠ BROKEN ", "bold $text-error on $error-muted"), " ",
                                  Content.styled(shown(card.path.name), "bold"),
                                  Content.styled(f" — cannot be opened ({n} error{'' if n == 1 else 's'}); "
                                                 "Enter shows all", "$text-muted"))]
        errors = [d for d in card.diagnostics if ": error[" in d] or list(card.diagnostics)
        for line in errors[:MAX_CARD_DIAGNOSTICS]:
            lines.append(Content(line))
        if len(errors) > MAX_CARD_DIAGNOSTICS:
            lines.append(Content.styled(f"… {len(errors) - MAX_CARD_DIAGNOSTICS} more", "$text-muted"))
        return Content("\n").join(lines)
    where = "built-in" if card.builtin else "yours"
    # Three lines a card (each cut with an ellipsis by CSS), so every built-in fits at 100x30 and
    # 80x24; the highlighted card's summary is shown in full under the list.
    lines = [
        Content.assemble(Content.styled(card.title, "bold"),
                         Content.styled(f"  {where} · {card.difficulty} · about {card.minutes} min", "$text-muted")),
        Content.assemble(Content.styled(card.name, "bold $text-accent"),
                         f", {card.age} ({card.pronouns}) — {card.setting}"),
    ]
    if has_content_note(card.content_note):
        lines.append(Content.assemble(Content.styled("Content note: ", "bold $text-warning"), card.content_note))
    else:
        lines.append(Content.styled("Content note: none", "$text-muted"))
    return Content("\n").join(lines)


def card_detail(item) -> Content:
    """What the line under the list says about the highlighted choice."""
    if isinstance(item, ScenarioCard) and item.card.ok:
        return Content(item.card.summary or item.card.title)
    if isinstance(item, ResumeCard):
        return Content.styled("Resume: goes back into your unfinished session, exactly where you stopped.",
                              "$text-primary")
    if isinstance(item, DrillCard):
        return Content.styled("Drill: single client lines from many settings, one reply each, with the label, the "
                              "words behind it and an empathic example at once; aimed at your own habits.",
                              "$text-muted")
    if isinstance(item, ScenarioCard):
        return Content.styled("This file cannot be opened: Enter shows all its messages.", "$text-error")
    return Content("")


class ScenarioCard(ListItem):
    """One card, rendered by the item itself (no child widget: the picker starts faster)."""

    def __init__(self, card: "Card") -> None:
        super().__init__(classes="card" + ("" if card.ok else " broken"))
        self.card = card
        self._content = card_content(card)

    def render(self) -> Content:
        return self._content


class ResumeCard(ListItem):
    def __init__(self, info: "RecordInfo", title: str) -> None:
        n = info.header.turns
        when = shown(info.updated[:16].replace("T", " "))
        text = Content.assemble(
            Content.styled(" ↻ RESUME ", "bold $text-primary on $primary-muted"), " ",
            Content.styled(shown(title), "bold"), f" with {shown(info.header.persona)}",
            Content.styled(f"\nUnfinished — r (or Enter here) resumes it: you stopped after turn {n}" +
                           (f" (saved {when})" if when else ""), "$text-muted"))
        super().__init__(classes="card resume")
        self.info = info
        self._content = text

    def render(self) -> Content:
        return self._content


class DrillCard(ListItem):
    """The way into drills: many short moments from the corpus, one reply each."""

    def __init__(self) -> None:
        super().__init__(classes="card drill")
        self._content = Content.assemble(
            Content.styled(" ⚡ DRILL ", "bold $text-success on $success-muted"), " ",
            Content.styled("Short practice with many clients", "bold"),
            Content.styled("\nOne reply to each of many client lines, aimed at your habits. Enter (or d) sets one up.",
                           "$text-muted"))

    def render(self) -> Content:
        return self._content


class CardList(ListView):
    """The cards: arrow keys move, Enter opens the highlighted card (and only that one)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def sync_highlight(self) -> None:
        """Exactly the card at `index` is highlighted. ListView only moves the highlight when the
        index changes, so a card inserted above could leave it on a card Enter does not open."""
        for i, item in enumerate(self.children):
            if isinstance(item, ListItem):
                item.highlighted = i == self.index

    def watch_index(self, old_index: int | None, new_index: int | None) -> None:
        super().watch_index(old_index, new_index)
        self.sync_highlight()


class PickerScreen(Screen):
    BINDINGS = [
        Binding("h", "app.history", "History"),
        Binding("d", "app.drill", "Drill"),
        Binding("m", "feedback_mode", "Feedback mode"),
        Binding("r", "resume", "Resume", show=False),
        # When nothing has focus (a browser tab not yet clicked), Enter still opens the highlighted card.
        Binding("enter", "open_highlighted", "Open", show=False),
        Binding("escape,q", "app.quit", "Quit", show=False),
    ]
    FOOTER_KEYS = {"select_cursor", "app.history", "app.drill", "feedback_mode", "quit", "guide"}

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Card] = []
        self.resumable: list[RecordInfo] = []
        self._cards_fresh = False  # just loaded by compose: the first resume need not look again

    def compose(self) -> ComposeResult:
        self.cards = self.app.load_cards()
        self._cards_fresh = True
        yield ZoomHint()
        yield Static(self._header(), id="picker-header")
        yield CardList(*self._items(), id="cards")
        yield Static(id="card-detail")
        yield KeyFooter()

    AUTO_FOCUS = "#cards"

    def action_open_highlighted(self) -> None:
        cards = self.query_one("#cards", CardList)
        cards.focus()
        cards.action_select_cursor()

    def on_mount(self) -> None:
        self.call_after_refresh(self.app.picker_ready)
        # Reading the saved records can take a while with many of them: after the first paint,
        # in a thread.
        self.call_after_refresh(self._look_for_unfinished)

    def _header(self) -> Content:
        from ..services import FEEDBACK_HELP

        ok = sum(1 for c in self.cards if c.ok)
        mode = self.app.feedback
        return Content.assemble(
            Content.styled("Choose a client to practise with", "bold"),
            Content.styled(f"  ·  {ok} scenario{'' if ok == 1 else 's'}", "$text-muted"),
            "\n",
            Content.styled("Feedback: ", "$text-muted"), Content.styled(mode, "bold $text-accent"),
            Content.styled(f" — {FEEDBACK_HELP[mode]} (m changes it)", "$text-muted"))

    @work(thread=True, exclusive=True, group="unfinished")
    def _look_for_unfinished(self) -> None:
        from roleplay.core.session import records

        try:
            records.clean_stray()  # left by a save that was killed, a while ago
            found, problems = records.resumable()
        except OSError:
            found, problems = [], []
        self.app.call_from_thread(self._show_unfinished, found, problems)

    def _name_damaged(self, problems: list[str]) -> None:
        """Name the damaged records once per app run (History lists them all)."""
        new = [p.removeprefix("skipped ") for p in problems if p not in self.app.damaged_told]
        if not new:
            return
        self.app.damaged_told.update(problems)
        names = ", ".join(p.split(":", 1)[0] for p in new[:3]) + (f" and {len(new) - 3} more" if len(new) > 3 else "")
        self.notify(f"Skipped {len(new)} damaged session record{'' if len(new) == 1 else 's'}: {names}. "
                    "History (h) says what is wrong with each.", severity="warning", timeout=10)

    async def _show_unfinished(self, found: "list[RecordInfo]", problems: list[str] = ()) -> None:
        self._name_damaged(list(problems))
        if [self._key(r) for r in found[:1]] == [self._key(r) for r in self.resumable[:1]]:
            return
        self.resumable = found
        cards = self.query_one("#cards", CardList)
        here = cards.highlighted_child
        had = isinstance(cards.children[0], ResumeCard) if cards.children else False
        if had:
            await cards.children[0].remove()
        if found:
            await cards.mount(ResumeCard(found[0], self._title_for(found[0])), before=0 if cards.children else None)
        # The offer arrives after the first paint: the highlight stays on the card the student is on
        # (a fresh offer is never Enter's target unless the student moves to it).
        items = list(cards.children)
        if here is not None and here in items:
            index = items.index(here)
        else:
            index = next((i for i, item in enumerate(items) if not isinstance(item, ResumeCard)), 0)
        cards.index = index if items else None
        cards.sync_highlight()
        self._show_detail()

    @staticmethod
    def _key(info: "RecordInfo") -> tuple:
        return (info.id, info.updated, info.header.turns)

    @staticmethod
    def _title_for(info: "RecordInfo") -> str:
        return info.header.scenario_title or info.header.scenario or info.id

    def _items(self) -> list[ListItem]:
        items: list[ListItem] = [ScenarioCard(c) for c in self.cards]
        if not items:
            items.append(ListItem(Static(Content.styled(
                "No scenarios found. Add a folder of your own with: roleplay --scenarios DIR", "italic")),
                classes="card empty"))
        items.append(DrillCard())
        return items

    async def on_screen_resume(self) -> None:
        """Back from a session: scenario files may have been edited or added, and the
        unfinished-session offer may have changed."""
        if self._cards_fresh:  # the first showing: on_mount looks for unfinished sessions after the paint
            self._cards_fresh = False
            self._show_detail()
            return
        await self.reload_cards()
        self.query_one("#picker-header", Static).update(self._header())
        self.query_one("#cards", ListView).focus()
        self._look_for_unfinished()

    async def reload_cards(self) -> bool:
        """Show changed, new and removed scenario files (only changed files are validated again).
        True when the cards changed."""
        cards = self.app.load_cards()
        if cards == self.cards:
            return False
        lst = self.query_one("#cards", ListView)
        here = lst.highlighted_child
        keep = here.card.path if isinstance(here, ScenarioCard) else None
        self.cards = cards
        stale = [i for i, item in enumerate(lst.children) if not isinstance(item, ResumeCard)]
        if stale:
            await lst.remove_items(stale)
        await lst.extend(self._items())
        items = list(lst.children)
        index = next((i for i, item in enumerate(items)
                      if isinstance(item, ScenarioCard) and item.card.path == keep), None)
        if index is None and not isinstance(here, ResumeCard):
            index = next((i for i, item in enumerate(items) if not isinstance(item, ResumeCard)), None)
        lst.index = index if index is not None else (0 if items else None)
        lst.sync_highlight()
        self._show_detail()
        return True

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        cards, detail = self.query("#cards"), self.query("#card-detail")
        if cards and detail:
            detail.first(Static).update(card_detail(cards.first(ListView).highlighted_child))

    # --- actions -----------------------------------------------------------------------

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        item = event.item
        if isinstance(item, ResumeCard):
            self.resume(item.info)
        elif isinstance(item, ScenarioCard):
            self.open_card(item.card)
        elif isinstance(item, DrillCard):
            self.app.action_drill()

    def open_card(self, card: "Card") -> None:
        from .modals import ContentNoteScreen, DiagnosticsScreen

        if not card.ok:
            self.app.push_screen(DiagnosticsScreen(shown(card.path.name), list(card.diagnostics)))
            return
        scenario, problems = self.app.scenario_for(card)
        if scenario is None:  # the file changed since the picker opened
            self.app.push_screen(DiagnosticsScreen(shown(card.path.name), [shown(p) for p in problems]))
            return
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
        resume_record(self.app, info)

    def action_feedback_mode(self) -> None:
        from ..services import FEEDBACK_HELP, FEEDBACK_MODES

        i = FEEDBACK_MODES.index(self.app.feedback)
        self.app.set_feedback(FEEDBACK_MODES[(i + 1) % len(FEEDBACK_MODES)])
        self.query_one("#picker-header", Static).update(self._header())
        self.notify(f"Feedback: {self.app.feedback} — {FEEDBACK_HELP[self.app.feedback]}", timeout=3)

    def palette_commands(self):
        out = []
        for c in self.cards:
            if c.ok:
                out.append((f"Open scenario: {c.title}", f"{c.name} — {c.setting}", lambda c=c: self.open_card(c)))
        if self.resumable:
            out.append(("Resume unfinished session", self._title_for(self.resumable[0]), self.action_resume))
        out.append(("Drill", "Short practice: single client lines from many settings, aimed at your habits (d)",
                    self.app.action_drill))
        out.append(("History of past sessions", "Your saved sessions, your habits and your share of empathic replies",
                    self.app.action_history))
        out.append(("Change feedback mode", "immediate, end (self-assessment) or reveal (classroom)",
                    self.action_feedback_mode))
        return out
