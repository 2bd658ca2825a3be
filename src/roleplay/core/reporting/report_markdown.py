"""The class report as Markdown that reads well on its own: an overview, then one section per view.

Sections are (heading, function) pairs in SECTIONS; another view adds its own pair (or passes
`extra` sections, placed before the skipped files) without touching the others.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Sequence

from roleplay.core.labels import JUDGMENTAL, LABELS, SYMPATHETIC
from roleplay.core.reporting import disputes
from roleplay.core.reporting.report import Report

Section = tuple[str, Callable[[Report], list[str]]]


def pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def excerpt(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def endings_text(c: Counter) -> str:
    return ", ".join(f"{e} x{n}" if n > 1 else e for e, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


def minutes_text(m: float | None) -> str:
    return "" if m is None else f"{m:.0f} min"


def _overview(r: Report) -> list[str]:
    v = r.views
    out = [f"{r.sessions} session(s) from {len(r.students)} student(s) across {len(r.scenario_titles)} scenario(s)"
           + (f", practised from {v.first_date} to {v.last_date}." if v and v.first_date else ".")]
    out += ["", "Each student's attempts come first (dates, time spent, endings, progress); then the class as a "
            "whole: label shares, endings per scenario, the turns students found hardest with the replies given "
            "there, labels the scorer was unsure of (worth checking by hand), and the most frequent phrasings. "
            "Labels come from the scorer: treat them as a starting point for discussion, not as grades."]
    return out


def _students(r: Report) -> list[str]:
    out = []
    for sv in r.views.students if r.views else []:
        days = sv.days
        when = f"; {len(days)} day(s) from {days[0]} to {days[-1]}" if days else ""
        out += [f"### {cell(sv.student)}", "",
                f"{len(sv.attempts)} session(s), about {sv.minutes:.0f} minutes in all{when}.", "",
                "| Date | Scenario | Attempt | Time | Replies | Empathic | Ending | Final trust |",
                "|---|---|--:|--:|--:|--:|---|--:|"]
        for a in sv.attempts:
            trust = "" if a.final_trust is None else str(a.final_trust)
            out.append(f"| {a.date or '?'} | {cell(a.scenario)} | {a.number} | {minutes_text(a.minutes)} | "
                       f"{a.replies} | {pct(a.empathic)} | {cell(a.ending)} | {trust} |")
        for scenario, (first, last) in sv.progress().items():
            out += ["", f"- {cell(scenario)}: empathic {pct(first.empathic)} in attempt 1, {pct(last.empathic)} "
                    f"in attempt {last.number} ({_change(first.empathic, last.empathic)}); ending "
                    f"{cell(first.ending)} then {cell(last.ending)}."]
        out.append("")
    return out[:-1] if out else ["(no sessions)"]


def _change(a: float, b: float) -> str:
    d = round((b - a) * 100)
    return "no change" if d == 0 else f"{'up' if d > 0 else 'down'} {abs(d)} points"


def _shares(r: Report) -> list[str]:
    out = ["| Student | Scenario | Sessions | Empathic | Sympathetic | Judgmental | Neutral | Avg. final trust | Endings |",
           "|---|---|--:|--:|--:|--:|--:|--:|---|"]
    for row in r.rows:
        trust = f"{row.avg_trust:.1f}" if row.avg_trust is not None else ""
        out.append(f"| {cell(row.student)} | {cell(row.scenario)} | {row.sessions} | "
                   + " | ".join(pct(row.share(lb)) for lb in LABELS)
                   + f" | {trust} | {cell(endings_text(row.endings))} |")
    return out


def _progress(r: Report) -> list[str]:
    out = ["Students who practised a scenario more than once: their first and latest attempt.", "",
           "| Student | Scenario | Attempts | Empathic (first → latest) | Change | Trust (first → latest) |",
           "|---|---|--:|---|---|---|"]
    rows = 0
    for sv in r.views.students if r.views else []:
        for scenario, (first, last) in sv.progress().items():
            trust = f"{first.final_trust if first.final_trust is not None else '?'} → " \
                    f"{last.final_trust if last.final_trust is not None else '?'}"
            out.append(f"| {cell(sv.student)} | {cell(scenario)} | {last.number} | {pct(first.empathic)} → "
                       f"{pct(last.empathic)} | {_change(first.empathic, last.empathic)} | {trust} |")
            rows += 1
    return out if rows else ["No student has practised a scenario twice yet."]


def _endings(r: Report) -> list[str]:
    out = []
    for scenario, counts in (r.views.endings if r.views else {}).items():
        total = sum(counts.values())
        title = r.scenario_titles.get(scenario, scenario)
        med = r.views.median_minutes(scenario)
        out += [f"### {cell(title)} ({cell(scenario)})", "",
                f"{total} session(s)" + (f"; a finished session took {med:.0f} minutes (median)." if med else "."),
                "", "| Ending | Sessions | Share |", "|---|--:|--:|"]
        out += [f"| {cell(e)} | {n} | {pct(n / total)} |" for e, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        out.append("")
    return out[:-1] if out else ["(no sessions)"]


def _dates(r: Report) -> list[str]:
    v = r.views
    if v is None:
        return []
    out = ["| Student | Sessions | Days | First | Latest | Minutes in all | Median minutes |",
           "|---|--:|--:|---|---|--:|--:|"]
    from statistics import median

    for sv in v.students:
        days = sv.days
        mins = [a.minutes for a in sv.attempts if a.minutes is not None]
        out.append(f"| {cell(sv.student)} | {len(sv.attempts)} | {len(days)} | {days[0] if days else ''} | "
                   f"{days[-1] if days else ''} | {sv.minutes:.0f} | {f'{median(mins):.0f}' if mins else ''} |")
    return out


def _hard(r: Report, top: int = 15) -> list[str]:
    least = f" Turns with at least {r.min_replies} replies." if r.min_replies > 1 else ""
    out = [f"The share of replies at each turn that were not empathic, worst first.{least}", "",
           "| Scenario | Turn | Client | Not empathic | Replies | Students |", "|---|---|---|--:|--:|--:|"]
    for h in r.hard_turns[:top]:
        out.append(f"| {cell(h.scenario)} | {cell(h.node)} | {cell(excerpt(h.client_line))} | "
                   f"{pct(h.share)} | {h.replies} | {h.students} |")
    for (scenario, node), replies in (r.views.hard_replies if r.views else {}).items():
        h = next((x for x in r.hard_turns if (x.scenario, x.node) == (scenario, node)), None)
        out += ["", f"### Replies at {cell(scenario)} / {cell(node)}", ""]
        if h is not None:
            out += [f"> {cell(excerpt(h.client_line, 300))}", ""]
        out += [f"- **{cell(x.student)}** ({x.label}{', ' + x.kind if x.kind else ''}): "
                f"\u201c{cell(excerpt(x.reply, 300))}\u201d" for x in replies]
    return out


def _low(r: Report) -> list[str]:
    v = r.views
    if v is None or not v.low_confidence:
        return [f"No label had a confidence below {pct(v.low_threshold if v else 0.6)}."]
    out = [f"Replies the scorer labelled with less than {pct(v.low_threshold)} confidence, least sure first: "
           "read them and decide for yourself.", "",
           "| Student | Scenario / turn | Reply | Label | Confidence |", "|---|---|---|---|--:|"]
    for x in v.low_confidence:
        out.append(f"| {cell(x.student)} | {cell(x.scenario)} / {cell(x.node or '?')} | {cell(excerpt(x.reply))} | "
                   f"{x.label}{' (' + cell(x.kind) + ')' if x.kind else ''} | {pct(x.confidence or 0)} |")
    return out


def _phrasings(r: Report) -> list[str]:
    out = []
    for label in (SYMPATHETIC, JUDGMENTAL):
        out += [f"### {label.capitalize()}", "", "| Phrase | Replies | Students |", "|---|--:|--:|"]
        out += [f"| {cell(p.text)} | {p.replies} | {p.students} |" for p in r.phrases[label]]
        if r.kinds[label]:
            out += ["", "Sub-kinds: " + ", ".join(f"{k} ({n})" for k, n in r.kinds[label])]
        out.append("")
    return out[:-1]


SECTIONS: list[Section] = [
    ("Students", _students),
    ("Label shares by student and scenario", _shares),
    ("Progress across attempts", _progress),
    ("Endings per scenario", _endings),
    ("Dates and durations", _dates),
    ("Turns where students struggled", _hard),
    ("Low-confidence labels to check", _low),
    ("Most frequent phrasings", _phrasings),
]


def to_markdown(r: Report, extra: Sequence[Section] = ()) -> str:
    sections = [*SECTIONS, *extra]
    if r.disputes:  # only when a student disputed a label
        sections.append(("Disputed labels", lambda r: disputes.markdown_lines(r.disputes)))
    out = ["# Class report", "", *_overview(r), "", "Contents:", ""]
    out += [f"- {title}" for title, _ in sections]
    for title, body in sections:
        out += ["", f"## {title}", "", *body(r)]
    if r.problems:
        out += ["", "## Skipped files", ""] + [f"- {cell(p)}" for p in r.problems]
    return "\n".join(out) + "\n"
