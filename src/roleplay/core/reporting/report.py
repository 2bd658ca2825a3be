"""A class report from many students' session records: labels, endings, trust, phrasings, hard turns,
and the views of report_views.py (replies at the hard turns, low-confidence labels, endings per
scenario, progress across attempts, dates and durations). Reading is report_data.py; output is
report_render.py (text, CSV, JSON), report_markdown.py, report_html.py and report_replies.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from roleplay.core.labels import EMPATHIC, JUDGMENTAL, SYMPATHETIC
from roleplay.core.reporting.report_views import HARD_TURNS_QUOTED, Views, build as build_views
from roleplay.core.reporting.report_data import SessionData, TurnData, collect, student_for  # noqa: F401 (the API)

_WORD = re.compile(r"[a-z0-9']+")
MIN_REPLIES = 3  # turns with fewer replies are left out of "where students struggled" (if others exist)


# --- summarising ------------------------------------------------------------------------------

@dataclass
class StudentRow:
    student: str
    scenario: str
    sessions: int = 0
    replies: int = 0
    labels: Counter = field(default_factory=Counter)
    endings: Counter = field(default_factory=Counter)
    trusts: list[int] = field(default_factory=list)

    def share(self, label: str) -> float:
        return self.labels[label] / self.replies if self.replies else 0.0

    @property
    def avg_trust(self) -> float | None:
        return sum(self.trusts) / len(self.trusts) if self.trusts else None


@dataclass
class Phrase:
    text: str
    replies: int
    students: int


@dataclass
class HardTurn:
    scenario: str
    node: str
    client_line: str
    replies: int
    non_empathic: int
    students: int
    labels: Counter

    @property
    def share(self) -> float:
        return self.non_empathic / self.replies if self.replies else 0.0


@dataclass
class Report:
    sessions: int
    students: list[str]
    rows: list[StudentRow]
    phrases: dict[str, list[Phrase]]  # label -> most frequent phrasings
    phrase_source: dict[str, str]  # label -> "evidence" or "reply n-grams"
    kinds: dict[str, list[tuple[str, int]]]  # label -> most frequent sub-kinds
    hard_turns: list[HardTurn]  # worst first; those with at least `min_replies` replies
    scenario_titles: dict[str, str]
    min_replies: int = 1
    problems: list[str] = field(default_factory=list)
    disputes: list[Any] = field(default_factory=list)  # disputes.Disputed: labels the students disputed
    views: Views | None = None  # students over time, endings, replies at hard turns (report_views.py)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("\u2019", "'")))


def _ngrams(text: str, sizes: tuple[int, ...] = (3, 4)) -> set[str]:
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    return {" ".join(words[i:i + n]) for n in sizes for i in range(len(words) - n + 1)}


def _phrases(sessions: list[SessionData], label: str, top: int) -> tuple[list[Phrase], str]:
    replies: Counter = Counter()
    students: dict[str, set[str]] = defaultdict(set)
    have_evidence = any(t.evidence for s in sessions for t in s.turns if t.label == label)
    for s in sessions:
        for t in s.turns:
            if t.label != label:
                continue
            if have_evidence:
                found = {_norm(text) for lb, text in t.evidence if lb == label}
            else:
                found = _ngrams(t.reply)
            for p in found - {""}:
                replies[p] += 1
                students[p].add(s.student)
    ranked = sorted(replies.items(), key=lambda kv: (-kv[1], -len(students[kv[0]]), kv[0]))
    if not have_evidence:
        # n-grams overlap ("you need to", "need to calm"): keep those used at least twice, and
        # drop one that only ever appears inside a longer kept one.
        ranked = [(p, n) for p, n in ranked if n >= 2]
        kept: list[tuple[str, int]] = []
        for p, n in sorted(ranked, key=lambda kv: -len(kv[0])):
            if not any(p in q and n <= m for q, m in kept):
                kept.append((p, n))
        ranked = sorted(kept, key=lambda kv: (-kv[1], -len(students[kv[0]]), kv[0]))
    return ([Phrase(p, n, len(students[p])) for p, n in ranked[:top]],
            "evidence" if have_evidence else "reply n-grams")


def summarise(sessions: list[SessionData], problems: list[str] | None = None, top: int = 8) -> Report:
    rows: dict[tuple[str, str], StudentRow] = {}
    titles: dict[str, str] = {}
    for s in sessions:
        titles.setdefault(s.scenario, s.title)
        row = rows.setdefault((s.student, s.scenario), StudentRow(s.student, s.scenario))
        row.sessions += 1
        row.replies += len(s.turns)
        row.labels.update(t.label for t in s.turns)
        row.endings[s.ending or ("(ended early)" if s.ended_early else "(unfinished)")] += 1
        if s.final_trust is not None:
            row.trusts.append(s.final_trust)

    phrases, source, kinds = {}, {}, {}
    for label in (SYMPATHETIC, JUDGMENTAL):
        phrases[label], source[label] = _phrases(sessions, label, top)
        c = Counter(k for s in sessions for t in s.turns if t.label == label for k in t.kinds[:1] if k)
        kinds[label] = c.most_common(top)

    turns: dict[tuple[str, str], dict[str, Any]] = {}
    for s in sessions:
        for t in s.turns:
            key = (s.scenario, t.node or f"line: {_norm(t.client_line)[:60]}")
            d = turns.setdefault(key, {"lines": Counter(), "labels": Counter(), "students": set()})
            d["lines"][t.client_line] += 1
            d["labels"][t.label] += 1
            d["students"].add(s.student)
    hard = [HardTurn(sc, node, d["lines"].most_common(1)[0][0], sum(d["labels"].values()),
                     sum(n for lb, n in d["labels"].items() if lb != EMPATHIC), len(d["students"]), d["labels"])
            for (sc, node), d in turns.items()]
    # A turn one student saw once says little: rank turns with a few replies, when there are some.
    min_replies = MIN_REPLIES if any(h.replies >= MIN_REPLIES for h in hard) else 1
    hard = [h for h in hard if h.replies >= min_replies]
    hard.sort(key=lambda h: (-h.share, -h.replies, h.scenario, h.node))
    views = build_views(sessions, [(h.scenario, h.node) for h in hard[:HARD_TURNS_QUOTED]])
    from roleplay.core.reporting import disputes

    return Report(disputes=disputes.collect(sessions), views=views, min_replies=min_replies, sessions=len(sessions), students=sorted({s.student for s in sessions}),
                  rows=sorted(rows.values(), key=lambda r: (r.student, r.scenario)),
                  phrases=phrases, phrase_source=source, kinds=kinds, hard_turns=hard,
                  scenario_titles=titles, problems=list(problems or []))
