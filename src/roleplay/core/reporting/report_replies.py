"""One row per reply, for a gradebook or a spreadsheet: who, when, where, what, and the label."""

from __future__ import annotations

import csv
import io

from roleplay.core.reporting.report_data import SessionData
from roleplay.core.reporting.report_views import ending_of, minutes

HEADER = ["student", "session", "scenario", "attempt", "started_at", "session_minutes", "ending", "turn", "node",
          "at", "client_line", "reply", "label", "sub_kind", "confidence"]


def _formula_safe(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: a reply must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_replies_csv(sessions: list[SessionData]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    attempt: dict[tuple[str, str], int] = {}
    for s in sorted(sessions, key=lambda s: (s.student, not s.started_at, s.started_at, str(s.source))):
        n = attempt[(s.student, s.scenario)] = attempt.get((s.student, s.scenario), 0) + 1
        m = minutes(s)
        for i, t in enumerate(s.turns, 1):
            w.writerow([_formula_safe(s.student), s.id or s.source.stem, s.scenario, n, s.started_at,
                        "" if m is None else f"{m:.1f}", ending_of(s), t.index or i, t.node or "", t.at,
                        _formula_safe(" ".join(t.client_line.split())), _formula_safe(" ".join(t.reply.split())),
                        t.label, t.kinds[0] if t.kinds else "",
                        "" if t.confidence is None else f"{t.confidence:.2f}"])
    return buf.getvalue()
