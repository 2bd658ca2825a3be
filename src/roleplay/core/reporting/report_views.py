"""The class report's views of students over time: the replies at the hard turns, labels the scorer
was unsure of, endings per scenario, each student's attempts (dates, durations, progress).

Pure: built from report_data.SessionData; report.summarise puts them in the Report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Iterable

from roleplay.core.labels import EMPATHIC
from roleplay.core.reporting.report_data import SessionData

LOW_CONFIDENCE = 0.6  # labels below this are worth an instructor's second look
REPLIES_PER_TURN = 8  # replies quoted under each hard turn
HARD_TURNS_QUOTED = 5


@dataclass(frozen=True)
class Reply:
    student: str
    scenario: str
    session: str
    node: str
    client_line: str
    reply: str
    label: str
    kind: str
    confidence: float | None


@dataclass(frozen=True)
class Attempt:
    student: str
    scenario: str
    number: int  # 1 for the student's first session of this scenario
    session: str
    started_at: str
    minutes: float | None  # from the start to the last reply; None when the times are unknown
    replies: int
    empathic: float  # share of replies labelled empathic
    ending: str  # the ending id, "(ended early)" or "(unfinished)"
    outcome: str | None
    final_trust: int | None

    @property
    def date(self) -> str:
        return self.started_at[:10]


@dataclass
class StudentView:
    student: str
    attempts: list[Attempt] = field(default_factory=list)  # in the order they were practised

    @property
    def minutes(self) -> float:
        return sum(a.minutes or 0.0 for a in self.attempts)

    @property
    def days(self) -> list[str]:
        return sorted({a.date for a in self.attempts if a.date})

    def progress(self) -> dict[str, tuple[Attempt, Attempt]]:
        """Scenario -> (first attempt, latest attempt), for scenarios practised more than once."""
        by: dict[str, list[Attempt]] = defaultdict(list)
        for a in self.attempts:
            by[a.scenario].append(a)
        return {sc: (xs[0], xs[-1]) for sc, xs in sorted(by.items()) if len(xs) > 1}


@dataclass
class Views:
    students: list[StudentView]
    endings: dict[str, Counter]  # scenario -> ending (or "(unfinished)") -> sessions
    outcomes: dict[str, Counter]  # scenario -> outcome -> sessions
    hard_replies: dict[tuple[str, str], list[Reply]]  # (scenario, turn) -> replies given there
    low_confidence: list[Reply]  # least sure first
    low_threshold: float = LOW_CONFIDENCE
    first_date: str = ""
    last_date: str = ""

    def durations(self) -> dict[str, list[float]]:
        """Scenario -> minutes of each finished session with known times."""
        out: dict[str, list[float]] = defaultdict(list)
        for sv in self.students:
            for a in sv.attempts:
                if a.minutes is not None and a.ending not in ("(unfinished)", "(ended early)"):
                    out[a.scenario].append(a.minutes)
        return dict(sorted(out.items()))

    def median_minutes(self, scenario: str) -> float | None:
        xs = self.durations().get(scenario)
        return median(xs) if xs else None


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def minutes(s: SessionData) -> float | None:
    start, end = _when(s.started_at), _when(s.ended_at)
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return None
    return max(0.0, (end - start).total_seconds() / 60)


def ending_of(s: SessionData) -> str:
    return s.ending or ("(ended early)" if s.ended_early else "(unfinished)")


def _attempts(sessions: list[SessionData]) -> list[StudentView]:
    by: dict[str, list[SessionData]] = defaultdict(list)
    for s in sessions:
        by[s.student].append(s)
    out = []
    for student in sorted(by):
        view = StudentView(student)
        seen: Counter = Counter()
        # Undated sessions (CSV exports) go last, in file order.
        for s in sorted(by[student], key=lambda s: (not s.started_at, s.started_at, str(s.source))):
            seen[s.scenario] += 1
            n = len(s.turns)
            share = sum(1 for t in s.turns if t.label == EMPATHIC) / n if n else 0.0
            view.attempts.append(Attempt(student, s.scenario, seen[s.scenario], s.id or s.source.stem, s.started_at,
                                         minutes(s), n, share, ending_of(s), s.outcome, s.final_trust))
        out.append(view)
    return out


def _reply(s: SessionData, t) -> Reply:
    return Reply(s.student, s.scenario, s.id or s.source.stem, t.node or "", t.client_line, t.reply, t.label,
                 t.kinds[0] if t.kinds else "", t.confidence)


def _hard_replies(sessions: list[SessionData], turns: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[Reply]]:
    wanted = {k: [] for k in turns}
    for s in sessions:
        for t in s.turns:
            key = (s.scenario, t.node or "")
            if key in wanted:
                wanted[key].append(_reply(s, t))
    # Not-empathic replies first (what to discuss), then one student each before a second reply.
    for key, replies in wanted.items():
        replies.sort(key=lambda r: (r.label == EMPATHIC, r.student, r.session))
        firsts, rest, named = [], [], set()
        for r in replies:
            (rest if r.student in named else firsts).append(r)
            named.add(r.student)
        wanted[key] = (firsts + rest)[:REPLIES_PER_TURN]
    return wanted


def build(sessions: list[SessionData], hard_turns: Iterable[tuple[str, str]],
          threshold: float = LOW_CONFIDENCE, low_top: int = 30) -> Views:
    endings: dict[str, Counter] = defaultdict(Counter)
    outcomes: dict[str, Counter] = defaultdict(Counter)
    for s in sessions:
        endings[s.scenario][ending_of(s)] += 1
        outcomes[s.scenario][s.outcome or "(no ending)"] += 1
    low = sorted((_reply(s, t) for s in sessions for t in s.turns
                  if t.confidence is not None and t.confidence < threshold),
                 key=lambda r: (r.confidence, r.student, r.session))[:low_top]
    dates = sorted(s.started_at[:10] for s in sessions if s.started_at)
    return Views(_attempts(sessions), dict(sorted(endings.items())), dict(sorted(outcomes.items())),
                 _hard_replies(sessions, hard_turns), low, threshold,
                 dates[0] if dates else "", dates[-1] if dates else "")
