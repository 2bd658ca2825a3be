"""Labels the students disputed, for the instructor: listed in the class report, and exported as
labelled replies ({"reply", "label", "client", "note"}, one JSON object a line) that `roleplay train`
and `roleplay eval` read. The label exported is the one the student proposed: review the file
(change or delete lines) before training on it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Disputed:
    student: str
    scenario: str
    node: str | None
    turn: int
    client: str
    reply: str
    given: str  # the label the scorer gave
    proposed: str  # the label the student thinks it deserved
    note: str

    def to_dict(self) -> dict[str, object]:
        return {"student": self.student, "scenario": self.scenario, "node": self.node, "turn": self.turn,
                "client": self.client, "reply": self.reply, "given": self.given, "proposed": self.proposed,
                "note": self.note}


def collect(sessions: Iterable[Any]) -> list[Disputed]:
    """Every disputed turn of the class report's sessions (report.SessionData), by student,
    scenario and turn."""
    out = [Disputed(s.student, s.scenario, t.node, t.index, t.client_line, t.reply, t.label, t.dispute[0], t.dispute[1])
           for s in sessions for t in s.turns if t.dispute is not None]
    return sorted(out, key=lambda d: (d.student, d.scenario, d.turn))


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text(disputed: list[Disputed]) -> str:
    if not disputed:
        return ""
    out = ["", f"Disputed labels ({len(disputed)}): the student thinks the reply deserved another label:"]
    for d in disputed:
        where = f"{d.scenario}/{d.node}" if d.node else d.scenario
        out.append(f"  {d.student[:16]:<16} {where} turn {d.turn}: {d.given} -> {d.proposed}  "
                   f"\"{_one_line(d.reply, 70)}\"" + (f"  because: {_one_line(d.note, 100)}" if d.note else ""))
    out.append("  (export them for `roleplay train` or `roleplay eval` with --disputes FILE.jsonl)")
    return "\n".join(out) + "\n"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def markdown_lines(disputed: list[Disputed]) -> list[str]:
    """The body of the report's "Disputed labels" section."""
    out = ["| Student | Scenario | Turn | Reply | Scored | Student's label | Because |",
           "|---|---|--:|---|---|---|---|"]
    out += [f"| {_cell(d.student)} | {_cell(d.scenario)} | {d.turn} | {_cell(_one_line(d.reply, 120))} | {d.given} | "
            f"{d.proposed} | {_cell(d.note)} |" for d in disputed]
    return out + ["", "Export them for `roleplay train` or `roleplay eval` with `roleplay report --disputes FILE.jsonl`."]


def to_jsonl(disputed: list[Disputed]) -> str:
    """Labelled replies as `roleplay train` and `roleplay eval` read them."""
    return "".join(json.dumps({"reply": d.reply, "label": d.proposed, "client": d.client, "note": d.note},
                              ensure_ascii=False) + "\n" for d in disputed)
