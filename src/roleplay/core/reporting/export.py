"""A session record as a Markdown transcript, JSON, CSV, or a field-education process recording."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping

from roleplay.core.assessment import shown_words
from roleplay.core.scenario.model import Scenario
from roleplay.core.reporting.endings import ending_name
from roleplay.core.session.record_types import SessionRecord

FORMATS = ("md", "json", "csv", "process")


def _trust(state: Mapping[str, int | bool]) -> str:
    v = state.get("trust")
    return "" if v is None else str(v)


def _cell(text: Any) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def to_json(record: SessionRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(record: SessionRecord) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["turn", "client_line", "reply", "label", "sub_kind", "trust_before", "trust_after", "student"])
    for t in record.turns:
        w.writerow([t.index, t.client_line, t.reply, t.label, t.kind, _trust(t.state_before), _trust(t.state_after),
                    record.student or ""])
    return buf.getvalue()


def _thoughts(scenario: Scenario | None) -> dict[str, str]:
    return {i: n.thought for i, n in scenario.nodes.items()} if scenario else {}


def _ending_text(record: SessionRecord, scenario: Scenario | None) -> list[str]:
    ending_id = record.ending
    if not ending_id:
        return ["*The conversation ended before the client reached an ending.*"] if record.ended_early \
            else ["*The conversation is unfinished.*"]
    e = scenario.endings.get(ending_id) if scenario else None
    out = [f"**Ending:** {ending_name(ending_id, scenario, outcome=record.outcome)}"]
    if e is None:
        return out
    if e.line_text:
        out.append(f"> {e.line_text}" + (f" {e.cue}" if e.cue else ""))
    out += ["", e.debrief]
    return out


def to_markdown(record: SessionRecord, scenario: Scenario | None = None) -> str:
    title = record.scenario_title or record.scenario
    lines = [f"# {title}", "", *([f"- Student: {record.student}"] if record.student else []),
             f"- Client: {record.persona}", f"- Session: {record.id}", f"- Started: {record.started_at}", ""]
    thoughts = _thoughts(scenario)
    for t in record.turns:
        a = t.assessment
        lines.append(f"## Turn {t.index}")
        lines.append("")
        cue = f" {t.cue}" if t.cue else ""
        lines.append(f"**Client:** {t.client_line}{cue}")
        lines.append("")
        lines.append(f"**You:** {t.reply}")
        lines.append("")
        kind = t.kind
        lines.append(f"**Label:** {t.label}" + (f" ({kind})" if kind else "") +
                     f" · trust {_trust(t.state_before)} → {_trust(t.state_after)}")
        if a.feedback:
            lines.append(f"**Feedback:** {a.feedback}")
        if a.model_reply:
            lines.append(f"**A model reply:** {a.model_reply}")
        if thoughts.get(t.node_id):
            lines.append(f"**What the client was thinking:** {thoughts[t.node_id]}")
        if t.dispute is not None:
            lines.append(f"**You disputed the label:** {t.dispute.label}" +
                         (f", because {t.dispute.note}" if t.dispute.note else ""))
        lines.append("")
    lines += _ending_text(record, scenario)
    if record.reflection:
        lines += ["", "## Your reflection", "", record.reflection]
    return "\n".join(lines).rstrip() + "\n"


def to_process_recording(record: SessionRecord, scenario: Scenario | None = None) -> str:
    """The four-column layout used in field education: dialogue | the student's reactions |
    skill used | supervisor comments. The reactions column is left for the student to fill in."""
    lines = [f"# Process recording: {record.scenario_title or record.scenario}", "",
             (f"Student: {record.student} · " if record.student else "")
             + f"Client: {record.persona} · Session {record.id} · {record.started_at}", "",
             "| Dialogue | Student's reactions | Skill used | Supervisor comments |",
             "|---|---|---|---|"]
    thoughts = _thoughts(scenario)
    for t in record.turns:
        a = t.assessment
        dialogue = f"**Client:** {_cell(t.client_line)} {_cell(t.cue)}<br>**Worker:** {_cell(t.reply)}"
        kind = t.kind
        skill = t.label + (f" ({kind})" if kind else "")
        # The same evidence the CLI and the app show for the turn.
        words, more = shown_words(a, t.reply)
        if words:
            skill += "<br>Words: " + ", ".join(f"\u201c{_cell(x)}\u201d" for x, _ in words)
            skill += f", and {more} more" if more else ""
        comments = _cell(a.feedback)
        if a.model_reply:
            comments += f"<br>Try: {_cell(a.model_reply)}"
        if thoughts.get(t.node_id):
            comments += f"<br>Client's inner thought: {_cell(thoughts[t.node_id])}"
        if t.dispute is not None:  # the student's own view of the label, for supervision
            comments += f"<br>Student disputes the label: {t.dispute.label}" + \
                (f", because {_cell(t.dispute.note)}" if t.dispute.note else "")
        lines.append(f"| {dialogue} | &nbsp; | {skill} | {comments} |")
    lines += [""] + _ending_text(record, scenario)
    if record.reflection:
        lines += ["", "## Reflection", "", record.reflection]
    return "\n".join(lines).rstrip() + "\n"


def render(record: SessionRecord, fmt: str, scenario: Scenario | None = None) -> str:
    if fmt == "md":
        return to_markdown(record, scenario)
    if fmt == "json":
        return to_json(record)
    if fmt == "csv":
        return to_csv(record)
    if fmt == "process":
        return to_process_recording(record, scenario)
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")


EXTENSIONS = {"md": ".md", "json": ".json", "csv": ".csv", "process": ".process.md"}

