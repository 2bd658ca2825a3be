"""Reading the class report's input: session records and CSV exports, each put down to a student.

Input: session records (JSON from records.save or export.to_json) and CSV exports (export.to_csv),
given as files or folders (searched recursively). Each session is put down to a student:

1. the record's `student` field (or a CSV export's `student` column), if it has one;
2. else the folder the file is in (`class/alice/x.json` -> alice), skipping generic folder names
   such as `sessions` (`class/alice/sessions/x.json` -> alice), but never the folder that was
   named on the command line itself;
3. else the file name without its extension (`class/alice.json` -> alice).

A CSV export carries no scenario id or turn ids: the scenario comes from the file name when it is a
session id (`20250301-101500-mandated_parent-1a2b.csv`) or contains a scenario name, and turns are
matched to the scenario's client lines when the scenario can be found.

Files that cannot be read are reported by name and skipped. Pure apart from reading the inputs.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from roleplay.core.io.limits import MAX_INT_CHARS
from roleplay.core.labels import LABELS
from roleplay.core.session.record_types import SessionRecord
from roleplay.core.session.records import MAX_RECORD_BYTES, RecordError, load as load_record

GENERIC_FOLDERS = {"sessions", "session", "drills", "records", "exports", "export", "json", "csv", "data"}
APP_FOLDERS = {"cache"}  # the trainer's own files in a data folder (the picker's card index), never records
CSV_HEADER = ["turn", "client_line", "reply", "label", "sub_kind", "trust_before", "trust_after"]
CSV_STUDENT = "student"  # a trailing column in newer exports
_SESSION_ID = re.compile(r"^\d{8}-\d{6}-(?P<scenario>[a-z][a-z0-9_]*)-[0-9a-f]{4}$")


@dataclass
class TurnData:
    node: str | None
    client_line: str
    reply: str
    label: str
    kinds: tuple[str, ...] = ()
    evidence: tuple[tuple[str, str], ...] = ()  # (label, text) of the phrases the scorer flagged
    at: str = ""  # when it was said (ISO), for the habit profile's windows
    confidence: float | None = None  # the scorer's confidence in the label (None in CSV exports)
    index: int = 0  # 1-based place in the session
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
    id: str = ""
    started_at: str = ""  # ISO; "" when unknown (CSV exports)
    ended_at: str = ""  # the last reply's time, or the record's last update


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
                              at=t.at or rec.updated_at or "", confidence=a.confidence, index=t.index,
                              dispute=(t.dispute.label, t.dispute.note) if t.dispute is not None else None))
    trust = _int(rec.state.get("trust"))
    if trust is None and rec.turns:
        trust = _int(rec.turns[-1].state_after.get("trust"))
    ended = (rec.turns[-1].at if rec.turns else "") or rec.updated_at or ""
    return SessionData(path, student, rec.scenario, rec.scenario_title or rec.scenario, turns,
                       rec.ending or None, rec.outcome or None, trust, rec.ended_early,
                       rec.id or path.stem, rec.started_at or "", ended)


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
    header = [c.strip() for c in rows[0]] if rows else []
    if header not in (CSV_HEADER, CSV_HEADER + [CSV_STUDENT]):
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
        if len(row) != len(header):
            raise ValueError(f"row {row[:1]} has {len(row)} cells, not {len(header)}")
        rec = dict(zip(header, row))
        student = rec.get(CSV_STUDENT, "").strip() or student  # the export's own name wins, as in records
        if rec["label"] not in LABELS:
            raise ValueError(f"unknown label {rec['label']!r}")
        client = rec["client_line"]
        turns.append(TurnData(lines_to_node.get(" ".join(client.split())), client, rec["reply"], rec["label"],
                              (rec["sub_kind"],) if rec["sub_kind"] else (), index=_int(rec["turn"]) or 0))
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
    """One entry per student and session id: the record in a `sessions` folder over an export of it
    (`roleplay serve` keeps alice/sessions/ beside alice/exports/)."""
    chosen: dict[tuple[str, str], SessionData] = {}
    for s in sessions:
        key = (s.student, s.id or str(s.source))
        have = chosen.get(key)
        if have is None or (have.source.parent.name.lower() != "sessions"
                            and s.source.parent.name.lower() == "sessions"):
            chosen[key] = s
    keep = {id(s) for s in chosen.values()}
    return [s for s in sessions if id(s) in keep]
