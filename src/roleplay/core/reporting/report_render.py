"""The class report as text, CSV and JSON (report.py builds it; Markdown is report_markdown.py)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter


from roleplay.core.labels import JUDGMENTAL, LABELS, SYMPATHETIC
from roleplay.core.reporting import disputes
from roleplay.core.reporting.report import Report


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _endings(c: Counter) -> str:
    return ", ".join(f"{e} x{n}" if n > 1 else e for e, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def _excerpt(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text(r: Report, hard_top: int = 10) -> str:
    out = [f"{r.sessions} session(s) from {len(r.students)} student(s) across {len(r.scenario_titles)} scenario(s)"]
    out += ["", "Per student and scenario (share of each label, endings, average final trust):"]
    head = f"  {'student':<16} {'scenario':<20} {'n':>3} {'emp':>5} {'sym':>5} {'jud':>5} {'neu':>5} {'trust':>6}  endings"
    out.append(head)
    for row in r.rows:
        trust = f"{row.avg_trust:.0f}" if row.avg_trust is not None else "-"
        out.append(f"  {row.student[:16]:<16} {row.scenario[:20]:<20} {row.sessions:>3} "
                   + " ".join(f"{_pct(row.share(lb)):>5}" for lb in LABELS)
                   + f" {trust:>6}  {_endings(row.endings)}")
    for label in (SYMPATHETIC, JUDGMENTAL):
        src = "words the scorer flagged" if r.phrase_source[label] == "evidence" else "word sequences in replies"
        out += ["", f"Most frequent {label} phrasings ({src}):"]
        if not r.phrases[label]:
            out.append("  (none)")
        for p in r.phrases[label]:
            out.append(f"  {p.replies:>4} repl{'y' if p.replies == 1 else 'ies'}, {p.students} student(s): \"{p.text}\"")
        if r.kinds[label]:
            out.append("  sub-kinds: " + ", ".join(f"{k} x{n}" for k, n in r.kinds[label]))
    least = f"; turns with at least {r.min_replies} replies" if r.min_replies > 1 else ""
    out += ["", f"Turns where students struggled most (share of replies that were not empathic{least}):"]
    for h in r.hard_turns[:hard_top]:
        out.append(f"  {_pct(h.share):>5} of {h.replies:>3} replies, {h.students} student(s)  {h.scenario}/{h.node}: "
                   f"\"{_excerpt(h.client_line)}\"")
    text = "\n".join(out) + "\n" + disputes.to_text(r.disputes)
    if r.problems:
        text += "\n".join(["", f"Skipped {len(r.problems)} file(s):"] + [f"  {p}" for p in r.problems]) + "\n"
    return text


def to_markdown(r: Report) -> str:
    """The whole report as Markdown (report_markdown.py)."""
    from roleplay.core.reporting.report_markdown import to_markdown as markdown

    return markdown(r)


def to_csv(r: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", "scenario", "sessions", "replies", *(f"{lb}_share" for lb in LABELS),
                "avg_final_trust", "endings"])
    for row in r.rows:
        w.writerow([row.student, row.scenario, row.sessions, row.replies,
                    *(f"{row.share(lb):.3f}" for lb in LABELS),
                    f"{row.avg_trust:.1f}" if row.avg_trust is not None else "",
                    "; ".join(f"{e}:{n}" for e, n in sorted(row.endings.items()))])
    return buf.getvalue()


def to_json(r: Report) -> str:
    return json.dumps({
        "sessions": r.sessions, "students": r.students,
        "rows": [{"student": x.student, "scenario": x.scenario, "sessions": x.sessions, "replies": x.replies,
                  "shares": {lb: round(x.share(lb), 4) for lb in LABELS}, "avg_final_trust": x.avg_trust,
                  "endings": dict(x.endings)} for x in r.rows],
        "phrases": {lb: [p.__dict__ for p in ps] for lb, ps in r.phrases.items()},
        "hard_turns": [{"scenario": h.scenario, "node": h.node, "client_line": h.client_line,
                        "replies": h.replies, "non_empathic_share": round(h.share, 4), "students": h.students}
                       for h in r.hard_turns],
        "skipped": r.problems,
        **({"disputes": [d.to_dict() for d in r.disputes]} if r.disputes else {}),
    }, indent=2, ensure_ascii=False) + "\n"
