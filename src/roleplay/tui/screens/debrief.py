"""The debrief: outcome, the client's inner thoughts, ratings, turn table, counts, trust chart,
strengths and next steps, a reflection saved with the record, and exports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static, TextArea

from roleplay.core.reporting import debrief as derive
from roleplay.core.reporting.trap_lines import trap_lines
from roleplay.core.labels import LABELS

from ..terminal_guard import shown
from ..widgets.charts import LabelBars, Trend
from ..widgets.common import ZoomHint, badge, blink, label_colour
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from roleplay.core.session.engine import Session

REFLECTION_PROMPT = ("Reflection: at which moment did the client feel least understood, "
                     "and what would you say differently there?")
OUTCOME = {"positive": ("success", "a positive ending"), "mixed": ("warning", "a mixed ending"),
           "negative": ("error", "a difficult ending")}
EXPORT_FORMATS = ("md", "json", "csv", "process")
EXPORT_NAMES = {"md": "Markdown transcript", "json": "JSON record", "csv": "CSV table", "process": "process recording"}


def _section(title: str) -> Static:
    return Static(Content.styled(title, "bold $text-accent"), classes="section-title")


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DebriefScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "Scenarios"),
        Binding("q", "leave", "Scenarios", show=False),
        Binding("ctrl+s", "save_reflection", "Save reflection"),
        Binding("f9", "export", "Export"),
        Binding("h", "app.history", "History", show=False),
    ]
    FOOTER_KEYS = {"leave", "save_reflection", "export", "quit"}  # what a narrow footer keeps

    def __init__(self, session: "Session") -> None:
        super().__init__()
        self.session = session
        self.scenario = session.scenario
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        s = self.session
        summary = derive.summarise(s.to_record(), self.scenario)
        p = self.scenario.persona
        yield ZoomHint()
        with VerticalScroll(id="debrief"):
            yield Static(Content.assemble(Content.styled("Debrief", "bold"), "  ",
                                          Content.styled(f"{self.scenario.title} — with {p.name}", "$text-muted")),
                         id="debrief-title")
            yield Static(self._outcome(), id="outcome")

            yield _section(f"How {p.name} might rate the conversation")
            yield Static(self._care(summary), id="care")

            yield _section("Your replies, turn by turn")
            yield Static(self._table(), id="turn-table")

            yield _section("Replies by label")
            yield LabelBars(summary.counts, LABELS, id="counts")
            yield Static(Content.styled(derive.share_text(summary.counts, summary.total), "$text-muted"),
                         id="counts-share")

            yield _section("Trust over the turns")
            yield Trend(summary.trust, caption=self._trust_range(), id="trust-trend")
            yield Static(self._trust_chart(summary), id="trust-chart")

            yield _section(f"What {p.name} was thinking")
            yield Static(self._thoughts(summary), id="thoughts")

            traps = trap_lines(s.to_record())
            if traps:
                yield _section("Teaching moments")
                yield Static(self._bullets(traps), id="traps")

            yield _section("What went well")
            yield Static(self._points(summary.strengths, "None of your replies was empathic this time: "
                                      "the turns below are the place to start."), id="strengths")
            yield _section("Practise next")
            yield Static(self._points(summary.next_steps, "Every reply was empathic: next time, vary "
                                      "reflections, validation and open questions." if summary.total else
                                      "Try the scenario again and reply to each turn."), id="next-steps")

            yield _section("Reflection")
            yield Static(Content(REFLECTION_PROMPT), classes="prompt")
            yield TextArea(s.reflection, id="reflection", soft_wrap=True, placeholder="Write a few sentences…")
            with Horizontal(classes="row"):
                yield Button("Save reflection (Ctrl+S)", id="save-reflection")
                yield Static("", id="reflection-status")

            yield _section("Export")
            yield Static(Content.styled("Markdown, JSON, CSV and a field-education process recording, "
                                        "written into this folder:", "$text-muted"))
            with Horizontal(classes="row"):
                # In a browser lab the folder is the student's own, on the instructor's machine: fixed.
                yield Input(str(self.app.export_dir), id="export-dir", disabled=bool(getattr(self.app, "lab", False)))
                yield Button("Export (F9)", id="export", variant="primary")
            yield Static("", id="export-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        blink(self.query_one("#reflection", TextArea))
        self.query_one("#export-dir", Input).cursor_blink = bool(getattr(self.app, "cursor_blink", True))
        self.query_one("#debrief", VerticalScroll).focus()

    # --- content ----------------------------------------------------------------------------

    def _outcome(self) -> Content:
        s = self.session
        p = self.scenario.persona
        ending = s.ending
        if ending is None:
            n = len(s.turns)
            return Content.assemble(
                Content.styled(" ENDED EARLY ", "bold $text-secondary on $secondary-muted"), "  ",
                Content(f"You stopped after {n} repl{'y' if n == 1 else 'ies'}, before {p.name} reached an ending. "
                        "The debrief below covers the turns you played."))
        from roleplay.core.reporting.endings import ending_name

        colour = OUTCOME.get(ending.outcome, ("secondary", ""))[0]
        parts: list = [Content.styled(f" {ending_name(ending.id, self.scenario)} ",
                                      f"bold $text-{colour} on ${colour}-muted")]
        if s.ending_line:
            parts += ["\n", Content.styled(f"{p.name}: ", "bold"), Content(f"“{s.ending_line}”")]
            if ending.cue:
                parts += [" ", Content.styled(ending.cue, "italic $text-muted")]
        parts += ["\n", Content(" ".join(ending.debrief.split()))]
        return Content.assemble(*parts)

    def _care(self, summary: derive.Summary) -> Content:
        lines = []
        for item in summary.care:
            if item.score is None:
                lines.append(Content.assemble(Content.styled(f"{item.name:<22}", "bold"),
                                              Content.styled(f"not rated — {item.because}", "$text-muted")))
                continue
            dots = "●" * item.score + "○" * (item.out_of - item.score)
            colour = "success" if item.score >= 4 else "warning" if item.score == 3 else "error"
            lines.append(Content.assemble(
                Content.styled(f"{item.name:<22}", "bold"), Content.styled(dots, f"$text-{colour}"),
                Content.styled(f" {item.score}/{item.out_of}", "bold"), Content.styled(f" — {item.because}", "$text-muted")))
        lines.append(Content.styled("Each rating is 1 + 4 × the share of replies that did it, capped by how the "
                                    "conversation ended (not a validated measure; a prompt for reflection).",
                                    "italic $text-muted"))
        return Content("\n").join(lines)

    def _table(self):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        theme = self.app.theme_variables
        table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False,
                      header_style="bold")
        table.add_column("#", justify="right", width=3, no_wrap=True)
        table.add_column("Your reply", ratio=1)
        table.add_column("Label", no_wrap=True, width=13)
        table.add_column("Sub-kind", width=16)
        table.add_column("Trust", justify="right", no_wrap=True, width=9)
        for t in self.session.turns:
            colour = theme.get(f"text-{label_colour(t.label)}") or theme.get(label_colour(t.label), "")
            tb, ta = t.state_before.get("trust"), t.state_after.get("trust")
            trust = f"{tb}→{ta}" if tb is not None and ta is not None else ""
            table.add_row(str(t.index), Text(_short(t.reply)), Text(t.label, style=f"bold {colour}".strip()),
                          ", ".join(t.assessment.kinds) or "—", trust)
        if not self.session.turns:
            table.add_row("", Text("No replies yet.", style="italic"), "", "", "")
        return table

    def _trust_range(self) -> str:
        var = self.scenario.variables.get("trust")
        lo, hi = (int(var.min), int(var.max)) if var is not None else (0, 100)
        return f"range {lo}–{hi}"

    def _trust_chart(self, summary: derive.Summary):
        """Trust after each turn and why it moved (the sparkline above draws the same values)."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        values = summary.trust
        if not values:
            return Content.styled("No trust values recorded.", "$text-muted")
        muted = self.app.theme_variables.get("text-muted", "")
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False, expand=True)
        table.add_column(no_wrap=True, width=7)
        table.add_column(justify="right", no_wrap=True, width=4)
        table.add_column(ratio=1)
        for i, v in enumerate(values):
            change = ""
            if i > 0 and i - 1 < len(self.session.turns):
                c = next((c for c in self.session.turns[i - 1].changes if c.var == "trust"), None)
                if c is not None:
                    change = f"{c.delta:+d} {c.reason}".rstrip()
            table.add_row("start" if i == 0 else f"turn {i}", Text(str(v), style="bold"), Text(change, style=muted))
        return table

    def _thoughts(self, summary: derive.Summary):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        if not summary.thoughts:
            return Content.styled("No turns played.", "$text-muted")
        labels = {t.index: t.label for t in self.session.turns}
        theme = self.app.theme_variables
        table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False, expand=True)
        table.add_column(no_wrap=True, width=7)
        table.add_column(no_wrap=True, width=12)
        table.add_column(ratio=1)
        for index, thought in summary.thoughts:
            label = labels.get(index, "")
            colour = theme.get(f"text-{label_colour(label)}", "")
            table.add_row(Text(f"turn {index}", style="bold"), Text(label, style=colour),
                          Text(" ".join(thought.split()), style="italic"))
        return table

    @staticmethod
    def _points(points: list[derive.Point], empty: str) -> Content:
        """Each claim with its turn first, the student's words, and the model reply of that turn."""
        if not points:
            return Content.styled(empty, "$text-muted")
        out = []
        for p in points:
            parts: list = [Content.styled(f"• Turn {p.turn}", "bold"), Content.styled(f" · {p.head}", "$text-muted"),
                           "\n  ", Content.styled(f"You said {p.said}", "italic"), "\n  ", Content(p.text)]
            if p.model:
                parts += ["\n  ", Content.styled("A model reply for this moment: ", "bold $text-success"),
                          Content(f"\u201c{p.model}\u201d")]
            out.append(Content.assemble(*parts))
        return Content("\n").join(out)

    @staticmethod
    def _bullets(items: list[str]) -> Content:
        return Content("\n").join(Content(f"• {x}") for x in items)

    # --- actions ----------------------------------------------------------------------------

    def before_quit(self) -> None:
        text = self.query_one("#reflection", TextArea).text
        if text != self.session.reflection:
            self.action_save_reflection()

    def action_leave(self) -> None:
        self.before_quit()
        self.app.pop_screen()

    def action_save_reflection(self) -> None:
        text = self.query_one("#reflection", TextArea).text
        self.session.reflection = text
        status = self.query_one("#reflection-status", Static)
        if self.app.save_session(self.session):
            status.update(Content.styled("Saved with your session record.", "$text-success"))
        else:
            status.update(Content.styled("Not saved (see the message).", "$text-error"))

    def action_export(self) -> None:
        from roleplay.core.io.output_targets import target_problem
        from roleplay.core.reporting.export import EXTENSIONS, render
        from roleplay.core.session.records import atomic_write, record_path

        text = self.query_one("#reflection", TextArea).text
        if text != self.session.reflection:
            self.session.reflection = text
            self.app.save_session(self.session)
        raw = "" if getattr(self.app, "lab", False) else self.query_one("#export-dir", Input).value.strip()
        folder = Path(raw).expanduser() if raw else self.app.export_dir
        record = self.session.to_record()
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in record.id)[:120]
        written: list[Path] = []
        result = self.query_one("#export-result", Static)
        targets = [folder / f"{safe}{EXTENSIONS[fmt]}" for fmt in EXPORT_FORMATS]
        # An earlier export of this session is replaced; a device, a pipe or the record itself is not.
        try:
            own = [record_path(self.session.id)]
        except (OSError, ValueError):  # no data folder: there is no record to protect
            own = []
        refused = [(p, why) for p in targets if (why := target_problem(p, inputs=own, force=True))]
        if refused:
            path, why = refused[0]
            result.update(Content.styled(f"Not exported: {shown(path)} {why}.", "bold $text-error"))
            self.notify(f"Export refused: {path.name} {why}.", severity="error", timeout=8)
            return
        try:
            for fmt, path in zip(EXPORT_FORMATS, targets):
                atomic_write(path, render(record, fmt, self.scenario))
                written.append(path)
        except OSError as exc:
            result.update(Content.styled(f"Could not export to {shown(folder)}: {exc.strerror or exc}",
                                         "bold $text-error"))
            self.notify(f"Export failed: {exc.strerror or exc}", severity="error", timeout=8)
            return
        self.written = written
        lines = [Content.styled(f"Wrote {len(written)} files:", "bold $text-success")]
        for fmt, path in zip(EXPORT_FORMATS, written):
            lines.append(Content.assemble(Content.styled(f"{EXPORT_NAMES[fmt]:<20}", "$text-muted"), Content(shown(path))))
        result.update(Content("\n").join(lines))
        self.query_one("#debrief", VerticalScroll).scroll_end(animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.action_export()
        elif event.button.id == "save-reflection":
            self.action_save_reflection()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "export-dir":
            event.stop()
            self.action_export()

    def palette_commands(self):
        return [
            ("Export the session", "Markdown, JSON, CSV and a process recording (F9)", self.action_export),
            ("Save reflection", "Save your reflection with the session record (Ctrl+S)", self.action_save_reflection),
            ("Back to the scenarios", "Leave the debrief (Esc)", self.action_leave),
        ]


__all__ = ["DebriefScreen", "badge"]
