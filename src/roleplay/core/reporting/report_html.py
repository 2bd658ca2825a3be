"""The class report as one self-contained HTML file: the Markdown report's sections (the same words),
with the label shares drawn as bars. Inline CSS only: no scripts, fonts or images from anywhere.
"""

from __future__ import annotations

import html
import re

from roleplay.core.labels import LABELS
from roleplay.core.reporting.report import Report
from roleplay.core.reporting.report_markdown import to_markdown

COLOURS = {"empathic": "#2e7d32", "sympathetic": "#f9a825", "judgmental": "#c62828", "neutral": "#78909c"}
CSS = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{border-bottom:2px solid #444}h2{margin-top:2.2rem;border-bottom:1px solid #bbb}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}th{background:#f0f0f0}
td.n{text-align:right}blockquote{margin:.5rem 0;padding-left:.8rem;border-left:4px solid #bbb;color:#444}
.bar{display:flex;width:18rem;height:.9rem;border:1px solid #999}.bar span{display:block;height:100%}
.key span{display:inline-block;width:.8rem;height:.8rem;margin:0 .25rem 0 .8rem;vertical-align:middle}
@media print{body{margin:0}}
"""
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text.replace("\\|", "|"), quote=False))


def _row(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip())[1:-1]]


def _markdown_to_html(md: str) -> list[str]:
    """Only what report_markdown writes: headings, tables, lists, quotes and paragraphs."""
    out: list[str] = []
    lines = md.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
        elif line.startswith("|"):
            head = _row(line)
            aligns = _row(lines[i + 1]) if i + 1 < len(lines) else []
            i += 2
            body = []
            while i < len(lines) and lines[i].startswith("|"):
                body.append(_row(lines[i]))
                i += 1
            num = [a.endswith(":") for a in aligns]
            out.append("<table><thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in head) + "</tr></thead><tbody>")
            for cells in body:
                out.append("<tr>" + "".join(f"<td{' class=n' if k < len(num) and num[k] else ''}>{_inline(c)}</td>"
                                            for k, c in enumerate(cells)) + "</tr>")
            out.append("</tbody></table>")
            continue
        elif line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                items.append(f"<li>{_inline(lines[i][2:])}</li>")
                i += 1
            out.append("<ul>" + "".join(items) + "</ul>")
            continue
        elif line.startswith("> "):
            out.append(f"<blockquote>{_inline(line[2:])}</blockquote>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
        i += 1
    return out


def _chart(r: Report) -> list[str]:
    """Label shares per student and scenario, as stacked bars (plain HTML and CSS)."""
    out = ["<h2>Label shares at a glance</h2>", "<p class=key>" + "".join(
        f"<span style='background:{COLOURS[lb]}'></span>{lb}" for lb in LABELS) + "</p>",
           "<table><thead><tr><th>Student</th><th>Scenario</th><th>Replies</th><th>Labels</th></tr></thead><tbody>"]
    for row in r.rows:
        bar = "".join(f"<span title='{lb} {row.share(lb) * 100:.0f}%' style='width:{row.share(lb) * 100:.1f}%;"
                      f"background:{COLOURS[lb]}'></span>" for lb in LABELS)
        out.append(f"<tr><td>{html.escape(row.student)}</td><td>{html.escape(row.scenario)}</td>"
                   f"<td class=n>{row.replies}</td><td><div class=bar>{bar}</div></td></tr>")
    return out + ["</tbody></table>"]


def to_html(r: Report, extra_markdown: str = "") -> str:
    """`extra_markdown`: further sections (e.g. drills) in the same Markdown dialect."""
    body = _markdown_to_html(to_markdown(r) + ("\n" + extra_markdown if extra_markdown else ""))
    first_h2 = next((k for k, line in enumerate(body) if line.startswith("<h2>")), len(body))
    body[first_h2:first_h2] = _chart(r)
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>Class report</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
