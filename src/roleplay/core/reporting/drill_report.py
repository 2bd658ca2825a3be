"""The class report's drill section: each student's habit profile and the class's most common habits.

Drill records found among the report's files and folders (report.collect hands them to
DrillCollector.take) make this section; a report over session records alone has none. A
student's profile counts their drill replies and their session turns, as habits.py defines it;
the windows end at the moment the report is made (`now`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

from roleplay.core.labels import EMPATHIC
from roleplay.core.reporting.habits import WINDOW, HabitProfile, Reply, parse_time, profile, replies_of
from roleplay.core.reporting.report import student_for
from roleplay.core.session.drill_records import load as load_drill
from roleplay.core.session.records import RecordError

TOP = 3  # habits named per student


@dataclass
class DrillRun:
    source: Path
    student: str
    data: dict[str, Any]


@dataclass
class DrillCollector:
    """Takes the drill records report.collect comes across."""

    runs: list[DrillRun] = field(default_factory=list)

    def take(self, path: Path, root: Path | None) -> bool:
        try:
            data = load_drill(path)
        except RecordError:
            return False
        named = data.get("student") if isinstance(data.get("student"), str) else None
        self.runs.append(DrillRun(path, student_for(path, root, (named or "").strip() or None), data))
        return True


@dataclass
class StudentHabits:
    student: str
    drills: int
    drill_replies: int
    answered: int  # drill lines with a first reply
    empathic_first: int
    retries: int
    improved: int  # retries that became empathic after a first try that was not
    profile: HabitProfile

    @property
    def empathic_share(self) -> float:
        return self.profile.labels.get(EMPATHIC, 0) / self.profile.total if self.profile.total else 0.0

    def top(self, n: int = TOP) -> list[str]:
        return [h.describe() for h in self.profile.non_empathic()[:n]]


@dataclass
class ClassHabit:
    kind: str
    label: str
    replies: int
    share: float  # of every reply in the section
    students: int  # students who show it at all
    top_for: int  # students whose most frequent non-empathic habit it is


@dataclass
class DrillSection:
    drills: int
    drill_replies: int
    replies: int  # drill replies and session turns of the students who drilled
    students: list[StudentHabits]
    habits: list[ClassHabit]
    now: datetime


def _drill_counts(runs: list[DrillRun]) -> tuple[int, int, int, int]:
    answered = empathic = retries = improved = 0
    for run in runs:
        first: dict[Any, str] = {}
        for r in run.data.get("replies") or []:
            if not isinstance(r, dict):
                continue
            key = r.get("n", r.get("situation"))
            if r.get("attempt", 1) == 1:
                first[key] = str(r.get("label"))
            else:
                retries += 1
                improved += r.get("label") == EMPATHIC and first.get(key) not in (None, EMPATHIC)
        answered += len(first)
        empathic += sum(1 for lab in first.values() if lab == EMPATHIC)
    return answered, empathic, retries, improved


def summarise(runs: Iterable[DrillRun], sessions: Iterable = (), now: datetime | None = None) -> DrillSection:
    """The section for these drill records; `sessions` (report.SessionData) add the session turns
    of the students who drilled to their profiles."""
    from datetime import timezone

    now = now or datetime.now(timezone.utc)
    by_student: dict[str, list[DrillRun]] = {}
    for run in runs:
        by_student.setdefault(run.student, []).append(run)
    turns: dict[str, list[Reply]] = {}
    for s in sessions:
        if s.student in by_student:
            turns.setdefault(s.student, []).extend(
                Reply(t.label, t.kinds[0] if t.kinds else "", parse_time(t.at), "session") for t in s.turns)
    students, all_replies = [], []
    for student in sorted(by_student, key=lambda s: (s.lower(), s)):
        runs_of = by_student[student]
        replies = [r for run in runs_of for r in replies_of(run.data)] + turns.get(student, [])
        all_replies += replies
        answered, empathic, retries, improved = _drill_counts(runs_of)
        students.append(StudentHabits(student, len(runs_of), sum(1 for r in replies if r.source == "drill"),
                                      answered, empathic, retries, improved, profile(replies, now)))
    whole = profile(all_replies, now)
    shows = Counter(h.kind for s in students for h in s.profile.habits)
    tops = Counter(s.profile.top_habit() for s in students if s.profile.top_habit())
    habits = [ClassHabit(h.kind, h.label, h.count, h.share, shows[h.kind], tops[h.kind]) for h in whole.non_empathic()]
    return DrillSection(sum(s.drills for s in students), sum(s.drill_replies for s in students), whole.total,
                        students, habits, now)


# --- output -----------------------------------------------------------------------------------

def _windows(d: DrillSection) -> str:
    start, before = (d.now - WINDOW).date(), (d.now - 2 * WINDOW).date()
    return (f"now = the last 30 days ({start} to {d.now.date()}); a month ago = the 30 days before "
            f"({before} to {start - timedelta(days=1)})")


def to_text(d: DrillSection, top: int = 8) -> str:
    out = ["", f"Drills: {d.drills} drill(s) with {d.drill_replies} replies from {len(d.students)} student(s)",
           "", f"Habit profiles (each student's drills and sessions; {_windows(d)}):",
           f"  {'student':<16} {'replies':>7} {'emp':>5} {'1st try emp':>11} {'retries':>7} {'improved':>8}"
           "  most frequent habits"]
    for s in d.students:
        first = f"{s.empathic_first}/{s.answered}"
        habits = "; ".join(s.top()) or "none but empathic"
        out.append(f"  {s.student[:16]:<16} {s.profile.total:>7} {round(100 * s.empathic_share):>4}% {first:>11} "
                   f"{s.retries:>7} {s.improved:>8}  {habits}")
    out += ["  (improved: retries that became empathic after a first try that was not)", "",
            f"The class's most common habits ({d.replies} replies; students who show it; whose top habit it is):"]
    if not d.habits:
        out.append("  (none: every reply was empathic)")
    for h in d.habits[:top]:
        out.append(f"  {h.kind:<18} {h.label:<12} {round(100 * h.share):>3}% of replies ({h.replies:>4})  "
                   f"{h.students} student(s)  top habit of {h.top_for}")
    return "\n".join(out) + "\n"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def to_markdown(d: DrillSection, top: int = 10) -> str:
    out = ["", "## Drills", "",
           f"{d.drills} drill(s) with {d.drill_replies} replies from {len(d.students)} student(s). "
           f"Shares: {_windows(d)}.", "",
           "| Student | Replies | Empathic | First try empathic | Retries (became empathic) | Most frequent habits |",
           "|---|--:|--:|--:|--:|---|"]
    for s in d.students:
        out.append(f"| {_cell(s.student)} | {s.profile.total} | {round(100 * s.empathic_share)}% | "
                   f"{s.empathic_first}/{s.answered} | {s.retries} ({s.improved}) | {_cell('; '.join(s.top()))} |")
    out += ["", "### The class's most common habits", "",
            "| Habit | Label | Share of replies | Replies | Students | Top habit of |", "|---|---|--:|--:|--:|--:|"]
    out += [f"| {h.kind} | {h.label} | {round(100 * h.share)}% | {h.replies} | {h.students} | {h.top_for} |"
            for h in d.habits[:top]]
    return "\n".join(out) + "\n"


def to_dict(d: DrillSection) -> dict[str, Any]:
    return {
        "drills": d.drills, "drill_replies": d.drill_replies, "replies": d.replies, "now": d.now.isoformat(),
        "students": [{"student": s.student, "drills": s.drills, "replies": s.profile.total,
                      "empathic_share": round(s.empathic_share, 4), "first_tries": s.answered,
                      "empathic_first": s.empathic_first, "retries": s.retries, "improved": s.improved,
                      "habits": [{"kind": h.kind, "label": h.label, "count": h.count, "share": round(h.share, 4),
                                  "recent_share": None if h.recent_share is None else round(h.recent_share, 4),
                                  "earlier_share": None if h.earlier_share is None else round(h.earlier_share, 4)}
                                 for h in s.profile.habits]}
                     for s in d.students],
        "class_habits": [{"kind": h.kind, "label": h.label, "replies": h.replies, "share": round(h.share, 4),
                          "students": h.students, "top_for": h.top_for} for h in d.habits],
    }
