"""Past sessions from the saved records: the habit profile over sessions and drills as a chart, the
share of empathic replies over time, and each session (Enter opens its debrief or resumes it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, ListItem, ListView, Static

from roleplay.core.reporting import debrief as derive
from roleplay.core.session.records import RecordInfo, list_records

from ..widgets.common import ZoomHint
from ..widgets.habits import HabitChart


def _when(info: RecordInfo) -> str:
    return str(info.data.get("started_at") or info.updated or "")[:16].replace("T", " ") or "unknown date"


class SessionItem(ListItem):
    def __init__(self, info: RecordInfo) -> None:
        data = info.data
        counts = derive.label_counts(data)
        total = len(derive.turns(data))
        title = str(data.get("scenario_title") or data.get("scenario") or info.id)
        if data.get("finished"):
            ending = str(data.get("ending") or "").replace("_", " ")
            outcome = f" ({data['outcome']})" if data.get("outcome") else ""
            status = Content.styled(f"finished: {ending}{outcome}", "$text-success")
        elif data.get("ended_early"):
            status = Content.styled("ended early", "$text-warning")
        else:
            status = Content.styled("unfinished — Enter resumes", "bold $text-primary")
        share = derive.empathic_share(data)
        filled = round(12 * share) if share is not None else 0
        text = Content.assemble(
            Content.styled(_when(info), "$text-muted"), "  ", Content.styled(title, "bold"),
            f" with {data.get('persona', '')}", "\n",
            Content.styled("█" * filled + "░" * (12 - filled), "$text-success"), " ",
            derive.share_text(counts, total), Content.styled(" · ", "$text-muted"), status)
        super().__init__(Static(text), classes="card session-item")
        self.info = info


class SessionList(ListView):
    BINDINGS = [Binding("enter", "select_cursor", "Open / resume")]


class HistoryScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "leave", "Back"),
    ]

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
        yield Static(self._over_time(infos), id="over-time")
        if problems:
            yield Static(Content("\n").join(
                [Content.styled(f"Skipped {len(problems)} unreadable record{'' if len(problems) == 1 else 's'}:",
                                "bold $text-warning")] + [Content(f"  {p.removeprefix('skipped ')}") for p in problems[:8]]
                + ([Content(f"  … and {len(problems) - 8} more")] if len(problems) > 8 else [])), id="skipped")
        if infos:
            yield SessionList(*[SessionItem(i) for i in infos], id="sessions")
        else:
            yield Static(Content.styled("No saved sessions yet. Your sessions are saved here after every reply.",
                                        "italic"), id="no-sessions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.infos:
            self.query_one("#sessions", ListView).focus()

    def _profile(self, infos: list[RecordInfo], drills: list[dict]):
        """The habit profile, its windows ending now (the app's clock, so tests can fix it)."""
        from datetime import datetime, timezone

        from roleplay.core.reporting.habits import parse_time, profile_of

        now = parse_time(self.app.clock()) or datetime.now(timezone.utc)
        return profile_of([i.data for i in infos] + drills, now)

    @staticmethod
    def _over_time(infos: list[RecordInfo]) -> Content:
        ordered = sorted((i for i in infos if derive.turns(i.data)),
                         key=lambda i: (str(i.data.get("started_at") or i.updated), i.id))
        shares = [derive.empathic_share(i.data) or 0.0 for i in ordered]
        if not shares:
            return Content.styled("Your share of empathic replies will show here over time.", "$text-muted")
        recent = shares[-8:]
        numbers = " → ".join(f"{round(100 * x)}%" for x in recent)
        if len(shares) > 8:
            numbers = "… → " + numbers
        return Content.assemble(
            Content.styled("Empathic replies per session, oldest to newest  ", "$text-muted"),
            Content.styled(derive.sparkline(shares, 0.0, 1.0), "bold $text-success"), "\n", Content(numbers))

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
        self._open_debrief(info)

    def _open_debrief(self, info: RecordInfo) -> None:
        from .debrief import DebriefScreen

        sid = str(info.data.get("scenario", ""))
        scenario = self.app.find_scenario(sid, info.data.get("scenario_path"))
        if scenario is None:
            self.notify(f"The scenario {sid!r} is not available, so its debrief cannot be shown.",
                        severity="warning", timeout=6)
            return
        try:
            session = self.app.restore_session(dict(info.data), scenario)
        except Exception as exc:  # a damaged record must not crash the app
            self.notify(f"{info.path.name}: the record is damaged ({type(exc).__name__}: {exc}).",
                        severity="error", timeout=8)
            return
        self.app.push_screen(DebriefScreen(session))

    def action_leave(self) -> None:
        self.app.pop_screen()
