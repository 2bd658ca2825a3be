"""Past sessions from the saved records: the habit profile over sessions and drills as a chart, the
share of empathic replies over time, and each session (Enter opens its debrief or resumes it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ListItem, ListView, ProgressBar, Static

from roleplay.core.reporting import debrief as derive
from roleplay.core.session.records import RecordInfo, list_records

from ..terminal_guard import shown
from ..widgets.charts import Trend
from ..widgets.common import ZoomHint
from ..widgets.footer import KeyFooter
from ..widgets.habits import HabitChart


def _when(info: RecordInfo) -> str:
    return shown((info.header.started_at or info.updated)[:16].replace("T", " ") or "unknown date")


def _share(info: RecordInfo) -> float | None:
    return derive.share_of(info.header.labels, info.header.turns)


class SessionItem(ListItem):
    def __init__(self, info: RecordInfo, scenario=None) -> None:
        """`scenario` names the ending as the debrief does (ending_name); None uses the record's words."""
        from roleplay.core.reporting.endings import ending_name

        head = info.header  # listed from the start of the file: the turns are read when opened
        counts, total = head.labels, head.turns
        title = head.scenario_title or head.scenario or info.id
        if head.finished:
            name = shown(ending_name(head.ending, scenario, outcome=head.outcome))
            status = Content.styled(f"finished: {name}", "$text-success")
        elif head.ended_early:
            status = Content.styled("ended early — Enter: debrief or resume", "$text-warning")
        else:
            status = Content.styled("unfinished — Enter resumes", "bold $text-primary")
        share = ProgressBar(total=max(total, 1), show_percentage=False, show_eta=False)
        share.progress = counts.get("empathic", 0)  # the share of empathic replies, at a glance
        tail = Content.assemble(" ", derive.share_text(counts, total), Content.styled(" · ", "$text-muted"), status)
        super().__init__(Vertical(Static(Content.assemble(Content.styled(_when(info), "$text-muted"), "  ",
                                                          Content.styled(shown(title), "bold"),
                                                          f" with {shown(head.persona)}")),
                                  Horizontal(share, Static(tail), classes="session-share")),
                         classes="card session-item")
        self.info = info


class SessionList(ListView):
    BINDINGS = [Binding("enter", "select_cursor", "Open / resume")]


class HistoryScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "leave", "Back"),
    ]
    FOOTER_KEYS = {"select_cursor", "leave", "quit", "guide"}  # what a narrow footer keeps

    def compose(self) -> ComposeResult:
        from roleplay.core.session.drill_records import list_drills

        try:
            infos, problems = list_records()
            drills, drill_problems = list_drills()
            problems += drill_problems
        except OSError as exc:
            infos, drills, problems = [], [], [f"could not read the records folder: {exc}"]
        self.infos = infos
        yield ZoomHint()
        yield Static(Content.styled("Your past sessions and drills", "bold"), id="history-title")
        yield HabitChart(self._profile(infos, drills), id="habits")
        yield self._over_time(infos)
        if problems:
            yield Static(Content("\n").join(
                [Content.styled(f"Skipped {len(problems)} unreadable record{'' if len(problems) == 1 else 's'}:",
                                "bold $text-warning")] + [Content(f"  {shown(p).removeprefix('skipped ')}") for p in problems[:8]]
                + ([Content(f"  … and {len(problems) - 8} more")] if len(problems) > 8 else [])), id="skipped")
        if infos:
            yield SessionList(*[SessionItem(i, self._scenario_of(i)) for i in infos], id="sessions")
        else:
            yield Static(Content.styled("No saved sessions yet. Your sessions are saved here after every reply.",
                                        "italic"), id="no-sessions")
        yield KeyFooter()

    def _scenario_of(self, info: RecordInfo):
        """The scenario of a finished session, loaded once per scenario, for its ending's name."""
        head = info.header
        if not head.finished or not head.ending:
            return None
        cache = self.__dict__.setdefault("_scenarios", {})
        key = (head.scenario, head.scenario_path)
        if key not in cache:
            try:
                cache[key] = self.app.find_scenario(head.scenario, head.scenario_path)
            except Exception:  # a name is not worth a crash: the record's own words are used
                cache[key] = None
        return cache[key]

    def on_mount(self) -> None:
        if self.infos:
            self.query_one("#sessions", ListView).focus()

    def _profile(self, infos: list[RecordInfo], drills: list[dict]):
        """The habit profile, its windows ending now (the app's clock, so tests can fix it)."""
        from datetime import datetime, timezone

        from roleplay.core.reporting.habits import parse_time, profile_of, session_dicts

        now = parse_time(self.app.clock()) or datetime.now(timezone.utc)
        return profile_of(session_dicts(infos) + drills, now)

    @staticmethod
    def _over_time(infos: list[RecordInfo]):
        ordered = sorted((i for i in infos if i.header.turns),
                         key=lambda i: (i.header.started_at or i.updated, i.id))
        shares = [round(100 * (_share(i) or 0.0)) for i in ordered]
        if not shares:
            return Static(Content.styled("Your share of empathic replies will show here over time.", "$text-muted"),
                          id="over-time")
        return Vertical(Static(Content.styled("Empathic replies per session (%), oldest to newest", "$text-muted")),
                        Trend(shares, unit="%"), id="over-time")

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        item = event.item
        if not isinstance(item, SessionItem):
            return
        info = item.info
        if not info.finished:
            from ..services import resume_record

            resume_record(self.app, info, replace=True)
            return
        if info.header.ended_early and not info.header.finished:
            self._ask_ended_early(info)
            return
        self._open_debrief(info)

    def _ask_ended_early(self, info: RecordInfo) -> None:
        """A session ended early (F8) can be looked back on, or taken up again where it stopped."""
        from ..services import resume_record
        from .ask import ChoiceScreen

        def chosen(choice: str | None) -> None:
            if choice == "debrief":
                self._open_debrief(info)
            elif choice == "resume":
                resume_record(self.app, info, replace=True, reopen=True)

        n = info.header.turns
        self.app.push_screen(ChoiceScreen(
            "This session was ended early",
            f"You ended it after {n} repl{'y' if n == 1 else 'ies'}. Open its debrief, or resume it where you stopped?",
            [("d", "open the debrief", "debrief"), ("r", "resume it", "resume")]), chosen)

    def _open_debrief(self, info: RecordInfo) -> None:
        from .debrief import DebriefScreen

        from roleplay.core.session.records import RecordError, load

        sid = info.header.scenario
        scenario = self.app.find_scenario(sid, info.header.scenario_path)
        if scenario is None:
            self.notify(f"The scenario {sid!r} is not available, so its debrief cannot be shown.",
                        severity="warning", timeout=6)
            return
        try:
            session = self.app.restore_session(load(info.path), scenario)
        except RecordError as exc:  # a damaged record is a message, not a crash
            self.notify(f"Cannot open it: the record is damaged: {exc}", severity="error", timeout=10)
            return
        self.app.push_screen(DebriefScreen(session))

    def action_leave(self) -> None:
        self.app.pop_screen()
