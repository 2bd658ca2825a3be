"""A class report from many students' session records: labels, endings, trust, phrasings, hard turns.

Input: session records (JSON from records.save or export.to_json) and CSV exports (export.to_csv),
given as files or folders (searched recursively). Each session is put down to a student:

1. the record's `student` field, if it has one;
2. else the folder the file is in (`class/alice/x.json` -> alice), skipping generic folder names
   such as `sessions` (`class/alice/sessions/x.json` -> alice), but never the folder that was
   named on the command line itself;
3. else the file name without its extension (`class/alice.json` -> alice).

A CSV export carries no scenario id or turn ids: the scenario comes from the file name when it is a
session id (`20250301-101500-mandated_parent-1a2b.csv`) or contains a scenario name, and turns are
matched to the scenario's client lines when the scenario can be found.

The trainer's own `cache` folders are not read, and a session found both as a record and as an
export of it (`alice/sessions/` beside `alice/exports/`, as `roleplay serve` keeps a class) counts
once, as its record. Files that cannot be read are reported by name and skipped. Pure apart from
reading the inputs.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from roleplay.core.io.yamlload import MAX_INT_CHARS
from roleplay.core.labels import EMPATHIC, JUDGMENTAL, LABELS, SYMPATHETIC
from roleplay.core.session.record_types import SessionRecord
from roleplay.core.session.records import MAX_RECORD_BYTES, RecordError, load as load_record

GENERIC_FOLDERS = {"sessions", "session", "drills", "records", "exports", "export", "json", "csv", "data"}
APP_FOLDERS = {"cache"}  # the trainer's own files in a data folder (the picker's card index), never records
CSV_HEADER = ["turn", "client_line", "reply", "label", "sub_kind", "trust_before", "trust_after"]
_SESSION_ID = re.compile(r"^\d{8}-\d{6}-(?P<scenario>[a-z][a-z0-9_]*)-[0-9a-f]{4}$")
_WORD = re.compile(r"[a-z0-9']+")
MIN_REPLIES = 3  # turns with fewer replies are left out of "where students struggled" (if others exist)


@dataclass
class TurnData:
    node: str | None
    client_line: str
    reply: str
    label: str
    kinds: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()  # (label, text) of the phrases the scorer flagged
    at: str = ""  # when it was said (ISO), for the habit profile's windows
    index: int = 0  # the turn's number in its session (0 when a CSV export does not say)
    dispute: tuple[str, str] | None = None  # (label, note) when the student disputed the label


@dataclass
class SessionData:
    source: Path
    student: str
    scenario: str
    title: str
    turns: list[TurnData]
    ending: str | None
    outcome: str | None
    final_trust: int | None
    ended_early: bool = False
    id: str = ""  # the session id (a CSV export's file name)


# --- reading ----------------------------------------------------------------------------------

def student_for(path: Path, root: Path | None, named: str | None) -> str:
    if named:
        return named
    folder = path.parent
    stop = root.resolve() if root is not None else Path.cwd().resolve()
    while folder.resolve() != stop and folder.name.lower() in GENERIC_FOLDERS and folder.parent != folder:
        folder = folder.parent
    if folder.resolve() == stop or folder.parent == folder or not folder.name:
        return path.stem
    return folder.name


def _int(v: Any) -> int | None:
    """A whole number, None when there is none; ValueError for one too long to be a trust value."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    text = str(v).strip().lstrip("+-")
    if len(text) > MAX_INT_CHARS:
        raise ValueError(f"a number {len(text):,} digits long (at most {MAX_INT_CHARS})")
    try:
        return int(str(v).strip())
    except ValueError:
        return None


def _from_record(path: Path, rec: SessionRecord, student: str) -> SessionData:
    turns = []
    for t in rec.turns:
        a = t.assessment
        # Similarity to a whole exemplar is evidence too, but it spans the whole reply: not a phrasing.
        evidence = tuple((e.label, e.text) for e in a.evidence if not e.source.startswith("exemplar:"))
        turns.append(TurnData(node=t.node_id or None, client_line=t.client_line, reply=t.reply,
                              label=t.label, kinds=a.kinds, evidence=evidence,
                              at=t.at or rec.updated_at or "", index=t.index,
                              dispute=(t.dispute.label, t.dispute.note) if t.dispute is not None else None))
    trust = _int(rec.state.get("trust"))
    if trust is None and rec.turns:
        trust = _int(rec.turns[-1].state_after.get("trust"))
    return SessionData(path, student, rec.scenario, rec.scenario_title or rec.scenario, turns,
                       rec.ending or None, rec.outcome or None, trust, rec.ended_early, rec.id or path.stem)


def _scenario_from_name(stem: str, known: Iterable[str]) -> str:
    m = _SESSION_ID.match(stem)
    if m:
        return m.group("scenario")
    for ident in sorted(known, key=len, reverse=True):
        if ident in stem:
            return ident
    return "unknown"


def _from_csv(path: Path, text: str, student: str, known: Mapping[str, Any]) -> SessionData:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip() for c in rows[0]] != CSV_HEADER:
        raise ValueError("not a roleplay CSV export (the header does not match)")
    scenario_id = _scenario_from_name(path.stem, known)
    lines_to_node: dict[str, str] = {}
    scenario = known.get(scenario_id)
    if scenario is not None:
        for node in scenario.nodes.values():
            for line in node.lines:
                lines_to_node[" ".join(line.split())] = node.id
    turns, trust = [], None
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(CSV_HEADER):
            raise ValueError(f"row {row[:1]} has {len(row)} cells, not {len(CSV_HEADER)}")
        rec = dict(zip(CSV_HEADER, row))
        if rec["label"] not in LABELS:
            raise ValueError(f"unknown label {rec['label']!r}")
        client = rec["client_line"]
        turns.append(TurnData(lines_to_node.get(" ".join(client.split())), client, rec["reply"], rec["label"],
                              (rec["sub_kind"],) if rec["sub_kind"] else ()))
        trust = _int(rec["trust_after"])
    title = scenario.title if scenario is not None else scenario_id
    return SessionData(path, student, scenario_id, title, turns, None, None, trust, id=path.stem)


def _files(arg: Path) -> tuple[list[tuple[Path, Path | None]], list[str]]:
    if arg.is_dir():
        found = sorted(p for p in arg.rglob("*") if p.suffix.lower() in (".json", ".csv") and p.is_file()
                       and not p.name.startswith(".")
                       and not APP_FOLDERS & {part.lower() for part in p.relative_to(arg).parts[:-1]})
        return [(p, arg) for p in found], []
    if arg.is_file():
        return [(arg, None)], []
    return [], [f"{arg}: no such file or folder"]


def _known_scenarios() -> dict[str, Any]:
    """The built-in scenarios by id (for CSV exports); {} if they cannot be loaded."""
    try:
        from roleplay.core.scenario.catalog import catalog

        return {e.scenario.id: e.scenario for e in catalog() if e.scenario is not None}
    except Exception:  # the report must work without them
        return {}


def collect(paths: Iterable[str | Path],
            scenarios: Callable[[], Mapping[str, Any]] | Mapping[str, Any] | None = None,
            other: Callable[[Path, Path | None], bool] | None = None,
            ) -> tuple[list[SessionData], list[str]]:
    """Read every record under `paths`. Returns (sessions, problems), one problem per skipped file.
    A JSON file that is not a session record is offered to `other(path, root)` (drill records:
    drill_report.DrillCollector.take) and is not a problem when it takes it."""
    sessions: list[SessionData] = []
    problems: list[str] = []
    known: Mapping[str, Any] | None = scenarios if isinstance(scenarios, Mapping) else None
    seen: set[Path] = set()
    for arg in map(Path, paths):
        files, missing = _files(arg)
        problems += missing
        for path, root in files:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                if path.suffix.lower() == ".csv":
                    if path.stat().st_size > MAX_RECORD_BYTES:
                        raise ValueError("too large")
                    text = path.read_text(encoding="utf-8-sig")
                    if known is None:
                        known = scenarios() if callable(scenarios) else _known_scenarios()
                    sessions.append(_from_csv(path, text, student_for(path, root, None), known))
                else:
                    rec = load_record(path)
                    sessions.append(_from_record(path, rec, student_for(path, root, rec.student)))
            except RecordError as exc:
                if other is not None and other(path, root):
                    continue
                problems.append(f"{path}: skipped ({str(exc).split(': ', 1)[-1]})")
            except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError,
                    csv.Error) as exc:
                problems.append(f"{path}: skipped (not a readable session: {exc})")
    return _once(sessions), problems


def _once(sessions: list[SessionData]) -> list[SessionData]:
    """One entry per student and session id: the record in a `sessions` folder over an export of it."""
    chosen: dict[tuple[str, str], SessionData] = {}
    for s in sessions:
        key = (s.student, s.id or str(s.source))
        have = chosen.get(key)
        if have is None or (have.source.parent.name.lower() != "sessions"
                            and s.source.parent.name.lower() == "sessions"):
            chosen[key] = s
    keep = {id(s) for s in chosen.values()}
    return [s for s in sessions if id(s) in keep]


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
    from roleplay.core.reporting import disputes

    return Report(disputes=disputes.collect(sessions), min_replies=min_replies, sessions=len(sessions), students=sorted({s.student for s in sessions}),
                  rows=sorted(rows.values(), key=lambda r: (r.student, r.scenario)),
                  phrases=phrases, phrase_source=source, kinds=kinds, hard_turns=hard,
                  scenario_titles=titles, problems=list(problems or []))


# --- output -----------------------------------------------------------------------------------
