"""A student's habit profile: how often each sub-kind appears in their replies, now and a month ago.

Every reply counts: each turn of every session record and each reply in every drill record (a
retried drill line counts twice: both replies were written). A reply's sub-kind is its main one
(the turn's `kind`, else the first of its assessment's `kinds`).

The windows, for a reference moment `now`:
- "now" is the last 30 days: replies at or after now - 30 days (and any later, from a skewed clock);
- "a month ago" is the 30 days before that: at or after now - 60 days and before now - 30 days.
A reply with no readable time counts in the totals only. When the earlier window holds no reply,
nothing is said about change.

Pure: functions over parsed records (dicts), so a hand-built set of records gives exact numbers.
`own_profile` at the end is the one function that reads the data folder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from roleplay.core.labels import EMPATHIC, KINDS, LABELS

WINDOW = timedelta(days=30)
RECENT_ENOUGH = 10  # auto focus uses the last 30 days when they hold at least this many replies
KIND_LABEL = {k: lab for lab, kinds in KINDS.items() for k in kinds}
KIND_ORDER = {k: i for i, k in enumerate(KIND_LABEL)}


@dataclass(frozen=True)
class Reply:
    label: str
    kind: str
    at: datetime | None
    source: str  # "session" or "drill"


def parse_time(value: Any) -> datetime | None:
    """An ISO time as saved in records; a time without a zone is taken as UTC; None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _kind(entry: Mapping[str, Any]) -> str:
    """The main sub-kind, if it is one of labels.KINDS (a record's odd text is not a habit)."""
    kind = entry.get("kind")
    if not (isinstance(kind, str) and kind):
        a = entry.get("assessment")
        kinds = (a.get("kinds") if isinstance(a, Mapping) else None) or entry.get("kinds") or []
        kind = kinds[0] if isinstance(kinds, list) and kinds else ""
    return kind if kind in KIND_LABEL else ""


def _label(entry: Mapping[str, Any]) -> str:
    a = entry.get("assessment")
    label = entry.get("label") or (a.get("label") if isinstance(a, Mapping) else "") or ""
    return str(label)


def replies_of(record: Mapping[str, Any]) -> list[Reply]:
    """The replies in one session or drill record (entries without a known label are left out)."""
    drill = record.get("type") == "drill"
    entries = record.get("replies" if drill else "turns") or []
    fallback = parse_time(record.get("updated_at")) or parse_time(record.get("started_at"))
    out = []
    for e in entries if isinstance(entries, list) else []:
        if not isinstance(e, Mapping) or _label(e) not in LABELS:
            continue
        out.append(Reply(_label(e), _kind(e), parse_time(e.get("at")) or fallback, "drill" if drill else "session"))
    return out


@dataclass(frozen=True)
class Habit:
    kind: str
    label: str
    count: int  # replies with this kind, over all time
    share: float  # of all replies
    recent: int  # replies with this kind in the last 30 days
    recent_share: float | None  # None when the last 30 days hold no reply
    earlier: int
    earlier_share: float | None  # None when the 30 days before hold no reply

    def change(self) -> str:
        """", down from 44% a month ago" (or up from, or the same as), or "" when there is nothing to compare."""
        if self.recent_share is None or self.earlier_share is None:
            return ""
        now, then = round(100 * self.recent_share), round(100 * self.earlier_share)
        if now == then:
            return f", the same as a month ago ({then}%)"
        return f", {'down' if now < then else 'up'} from {then}% a month ago"

    def describe(self) -> str:
        """"reassurance in 31% of replies, down from 44% a month ago": the last 30 days when they
        hold replies, else all of them."""
        share = self.recent_share if self.recent_share is not None else self.share
        return f"{self.kind} in {round(100 * share)}% of replies{self.change()}"


@dataclass(frozen=True)
class HabitProfile:
    total: int
    labels: dict[str, int]
    habits: tuple[Habit, ...]  # most frequent first
    recent_total: int
    earlier_total: int
    sources: dict[str, int] = field(default_factory=dict)  # "session"/"drill" -> replies
    now: datetime | None = None

    def habit(self, kind: str) -> Habit | None:
        return next((h for h in self.habits if h.kind == kind), None)

    def non_empathic(self) -> list[Habit]:
        return [h for h in self.habits if h.label != EMPATHIC]

    def top_habit(self) -> str | None:
        """The most frequent non-empathic sub-kind: in the last 30 days when they hold at least
        RECENT_ENOUGH replies, else over all time; ties go to the earlier kind in labels.KINDS."""
        recent = self.recent_total >= RECENT_ENOUGH
        ranked = sorted((h for h in self.non_empathic() if (h.recent if recent else h.count)),
                        key=lambda h: (-(h.recent if recent else h.count), KIND_ORDER.get(h.kind, 99)))
        return ranked[0].kind if ranked else None


def profile(replies: Iterable[Reply], now: datetime) -> HabitProfile:
    """The habit profile of these replies, with the windows ending at `now`."""
    replies = list(replies)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    start_recent, start_earlier = now - WINDOW, now - 2 * WINDOW
    recent = [r for r in replies if r.at is not None and r.at >= start_recent]
    earlier = [r for r in replies if r.at is not None and start_earlier <= r.at < start_recent]
    counts = Counter(r.kind for r in replies if r.kind)
    c_recent = Counter(r.kind for r in recent if r.kind)
    c_earlier = Counter(r.kind for r in earlier if r.kind)
    total = len(replies)
    labels = Counter(r.label for r in replies)
    habits = [Habit(kind=k, label=KIND_LABEL.get(k, ""), count=n, share=n / total,
                    recent=c_recent[k], recent_share=c_recent[k] / len(recent) if recent else None,
                    earlier=c_earlier[k], earlier_share=c_earlier[k] / len(earlier) if earlier else None)
              for k, n in counts.items()]
    habits.sort(key=lambda h: (-h.count, KIND_ORDER.get(h.kind, 99), h.kind))
    return HabitProfile(total=total, labels={lab: labels[lab] for lab in LABELS}, habits=tuple(habits),
                        recent_total=len(recent), earlier_total=len(earlier),
                        sources=dict(Counter(r.source for r in replies)), now=now)


def profile_of(records: Iterable[Mapping[str, Any]], now: datetime) -> HabitProfile:
    """The habit profile over session and drill records."""
    return profile((r for rec in records for r in replies_of(rec)), now)


def recently_drilled(drills: Iterable[Mapping[str, Any]], last: int = 200) -> set[str]:
    """The situations of the student's last `last` drill replies (a new drill prefers others)."""
    seen = [str(r.get("situation")) for d in drills for r in (d.get("replies") or [])
            if isinstance(r, Mapping) and r.get("situation")]
    return set(seen[-last:])


def own_profile(now: datetime | None = None) -> tuple[HabitProfile, list[dict], list[str]]:
    """This machine's student: (profile over the saved sessions and drills, the drill records,
    messages for files skipped). Reads the data folder."""
    from roleplay.core.session.drill_records import list_drills
    from roleplay.core.session.records import list_records

    problems: list[str] = []
    try:
        sessions, p1 = list_records()
        drills, p2 = list_drills()
        problems += p1 + p2
    except OSError as exc:
        sessions, drills = [], []
        problems.append(f"could not read your records: {exc.strerror or exc}")
    records = session_dicts(sessions, problems) + drills
    return profile_of(records, now or datetime.now(timezone.utc)), drills, problems


def session_dicts(infos, problems: list[str] | None = None) -> list[dict]:
    """The listed session records read whole, as dicts (a habit needs every turn's sub-kind);
    one that cannot be read is named in `problems` and left out."""
    from roleplay.core.session.records import RecordError, load

    out = []
    for info in infos:
        try:
            out.append(load(info.path).to_dict())
        except RecordError as exc:
            if problems is not None:
                problems.append(f"skipped {exc}")
    return out
