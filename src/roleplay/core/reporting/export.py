"""A session record as a Markdown transcript, JSON, CSV, or a field-education process recording."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping

from roleplay.core.reporting.debrief import turn_kind
from roleplay.core.scenario.model import Scenario

FORMATS = ("md", "json", "csv", "process")


def _trust(state: Mapping[str, Any]) -> str:
    v = state.get("trust")
    return "" if v is None else str(v)


def _cell(text: Any) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def to_json(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def to_csv(record: Mapping[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["turn", "client_line", "reply", "label", "sub_kind", "trust_before", "trust_after"])
    for t in record.get("turns", []):
        w.writerow([t.get("index"), t.get("client_line", ""), t.get("reply", ""), t.get("label", ""),
                    turn_kind(t), _trust(t.get("state_before", {})), _trust(t.get("state", {}))])
    return buf.getvalue()


def _thoughts(scenario: Scenario | None) -> dict[str, str]:
    return {i: n.thought for i, n in scenario.nodes.items()} if scenario else {}


def _ending_text(record: Mapping[str, Any], scenario: Scenario | None) -> list[str]:
    ending_id = record.get("ending")
    if not ending_id:
        return ["*The conversation ended before the client reached an ending.*"] if record.get("ended_early") \
            else ["*The conversation is unfinished.*"]
    e = scenario.endings.get(ending_id) if scenario else None
    if e is None:
        return [f"**Ending:** {ending_id}"]
    out = [f"**Ending:** {e.title} ({e.outcome})"]
    if e.line_text:
        out.append(f"> {e.line_text}" + (f" {e.cue}" if e.cue else ""))
    out += ["", e.debrief]
    return out


def to_markdown(record: Mapping[str, Any], scenario: Scenario | None = None) -> str:
    title = record.get("scenario_title") or record.get("scenario")
    lines = [f"# {title}", "", f"- Client: {record.get('persona', '')}", f"- Session: {record.get('id')}",
             f"- Started: {record.get('started_at', '')}", ""]
    thoughts = _thoughts(scenario)
    for t in record.get("turns", []):
        a = t.get("assessment") or {}
        lines.append(f"## Turn {t.get('index')}")
        lines.append("")
        cue = f" {t['cue']}" if t.get("cue") else ""
        lines.append(f"**Client:** {t.get('client_line', '')}{cue}")
        lines.append("")
        lines.append(f"**You:** {t.get('reply', '')}")
        lines.append("")
        kind = turn_kind(t)
        lines.append(f"**Label:** {t.get('label', '')}" + (f" ({kind})" if kind else "") +
                     f" · trust {_trust(t.get('state_before', {}))} → {_trust(t.get('state', {}))}")
        if a.get("feedback"):
            lines.append(f"**Feedback:** {a['feedback']}")
        if a.get("model_reply"):
            lines.append(f"**A model reply:** {a['model_reply']}")
        if thoughts.get(t.get("node", "")):
            lines.append(f"**What the client was thinking:** {thoughts[t['node']]}")
        lines.append("")
    lines += _ending_text(record, scenario)
    if record.get("reflection"):
        lines += ["", "## Your reflection", "", str(record["reflection"])]
    return "\n".join(lines).rstrip() + "\n"


def to_process_recording(record: Mapping[str, Any], scenario: Scenario | None = None) -> str:
    """The four-column layout used in field education: dialogue | the student's reactions |
    skill used | supervisor comments. The reactions column is left for the student to fill in."""
    lines = [f"# Process recording: {record.get('scenario_title') or record.get('scenario')}", "",
             f"Client: {record.get('persona', '')} · Session {record.get('id')} · {record.get('started_at', '')}", "",
             "| Dialogue | Student's reactions | Skill used | Supervisor comments |",
             "|---|---|---|---|"]
    thoughts = _thoughts(scenario)
    for t in record.get("turns", []):
        a = t.get("assessment") or {}
        dialogue = f"**Client:** {_cell(t.get('client_line'))} {_cell(t.get('cue'))}<br>**Worker:** {_cell(t.get('reply'))}"
        kind = turn_kind(t)
        skill = f"{t.get('label', '')}" + (f" ({kind})" if kind else "")
        ev = [e.text for e in _shown(a, t.get("reply", ""))][:3]
        if ev:
            skill += "<br>Words: " + ", ".join(f"\u201c{_cell(x)}\u201d" for x in ev)
        comments = _cell(a.get("feedback"))
        if a.get("model_reply"):
            comments += f"<br>Try: {_cell(a['model_reply'])}"
        if thoughts.get(t.get("node", "")):
            comments += f"<br>Client's inner thought: {_cell(thoughts[t['node']])}"
        lines.append(f"| {dialogue} | &nbsp; | {skill} | {comments} |")
    lines += [""] + _ending_text(record, scenario)
    if record.get("reflection"):
        lines += ["", "## Reflection", "", str(record["reflection"])]
    return "\n".join(lines).rstrip() + "\n"


def render(record: Mapping[str, Any], fmt: str, scenario: Scenario | None = None) -> str:
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


def _shown(a: dict, reply: str) -> list:
    """The same evidence the CLI and the app show for the turn (assessment.shown_evidence)."""
    from roleplay.core.assessment import Assessment, shown_evidence

    try:
        return shown_evidence(Assessment.from_dict(a), reply or "")
    except (KeyError, TypeError, ValueError):  # a damaged record: no words rather than a crash
        return []
