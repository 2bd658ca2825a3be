"""The class report by student: 36 sessions from 6 named students across the built-ins, played
through the engine with a deterministic scorer, saved as the trainer saves them. Every view shows."""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from roleplay.cli import main
from roleplay.core.assessment import Assessment
from roleplay.core.labels import LABELS
from roleplay.core.reporting.report import collect, summarise
from roleplay.core.reporting.report_html import to_html
from roleplay.core.reporting.report_markdown import SECTIONS, to_markdown
from roleplay.core.reporting.report_replies import HEADER, to_replies_csv
from roleplay.core.scenario.catalog import resolve
from roleplay.core.session import records
from roleplay.core.session.engine import Session

BUILTINS = ["mandated_parent", "grieving_patient", "trauma_survivor"]
STUDENTS = ["Ana Lima", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eun-ji Kim", "S1234567"]
START = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> str:
        self.t += timedelta(minutes=1)
        return self.t.isoformat(timespec="seconds")


def play(scenario, student: int, attempt: int, rng: random.Random) -> dict:
    # Each attempt leans more empathic than the last, so progress shows; replies are numbered so
    # each can be found in the outputs.
    clock = Clock(START + timedelta(days=attempt * 7 + student, hours=student))
    s = Session(scenario, scorer=None, id=f"{scenario.id}-{student}-{attempt}", seed=rng.randrange(1000),
                clock=clock, student=STUDENTS[student])
    weights = [1 + 3 * attempt, 2, 2 - attempt // 2, 1]
    while not s.finished and len(s.turns) < 20:
        label = rng.choices(LABELS, weights=weights)[0]
        confidence = 0.42 if rng.random() < 0.1 else 0.85
        a = Assessment(label, confidence, {label: confidence}, (f"{label}_kind",), ())
        s.respond_with(a, f"reply {s.id} {len(s.turns) + 1} ({label})")
    return s.to_dict()


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    rng = random.Random(13)
    scenarios = {i: resolve(i)[0] for i in BUILTINS}
    for student in range(len(STUDENTS)):
        for ident in BUILTINS:
            for attempt in range(2):
                records.save(play(scenarios[ident], student, attempt, rng), root / "sessions")
    return root


@pytest.fixture(scope="module")
def report(classroom):
    sessions, problems = collect([classroom])
    return sessions, summarise(sessions, problems)


def test_students_come_from_the_records_not_the_folder(report):
    sessions, rep = report
    assert len(sessions) == 36 and not rep.problems
    assert rep.students == sorted(STUDENTS)
    assert [len(sv.attempts) for sv in rep.views.students] == [6] * 6


def test_every_view_is_in_the_markdown(report):
    _, rep = report
    md = to_markdown(rep)
    for title, _ in SECTIONS:
        assert f"\n## {title}\n" in md and f"- {title}\n" in md  # a section, and in the contents
    for name in STUDENTS:
        assert f"### {name}" in md
    assert "practised from 2025-03-03 to 2025-03-15" in md
    # dates and durations: each attempt's date and minutes, from its own clock
    sv = rep.views.students[0]
    a = sv.attempts[0]
    assert a.minutes == a.replies  # the clock moves one minute a reply
    assert f"| {a.date} | {a.scenario} | 1 | {a.minutes:.0f} min | {a.replies} |" in md
    # progress across attempts: first and latest attempt of each scenario
    assert all(len(v.progress()) == 3 for v in rep.views.students)
    assert "empathic" in md and " in attempt 1, " in md and "| Empathic (first → latest) |" in md
    # endings per scenario, with every session counted once
    assert sum(sum(c.values()) for c in rep.views.endings.values()) == 36
    for ident in BUILTINS:
        assert f"({ident})\n\n12 session(s)" in md
    # the replies at the hard turns, quoted under each
    assert rep.views.hard_replies and "### Replies at " in md
    (scenario, node), replies = next(iter(rep.views.hard_replies.items()))
    assert replies and f"\u201c{replies[0].reply}\u201d" in md and replies[0].node == node
    # low-confidence labels to check, least sure first
    low = rep.views.low_confidence
    assert low and all(x.confidence < 0.6 for x in low) and f"| {low[0].reply} |" in md


def test_the_per_reply_csv_has_one_row_per_reply(report):
    sessions, _ = report
    rows = list(csv.DictReader(io.StringIO(to_replies_csv(sessions))))
    assert list(rows[0]) == HEADER
    assert len(rows) == sum(len(s.turns) for s in sessions)
    assert {r["student"] for r in rows} == set(STUDENTS)
    first = next(r for r in rows if r["student"] == "Ana Lima" and r["scenario"] == "grieving_patient"
                 and r["attempt"] == "2" and r["turn"] == "1")
    assert first["reply"].startswith("reply grieving_patient-0-1 1 (") and first["confidence"] in ("0.85", "0.42")
    assert first["started_at"].startswith("2025-03-10")


def test_the_html_report_is_self_contained(report):
    _, rep = report
    page = to_html(rep)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    for title, _ in SECTIONS:
        assert f"<h2>{title}</h2>" in page
    assert "Label shares at a glance" in page and "class=bar" in page
    assert "Chloé Martin" in page


def test_names_are_escaped_in_html(tmp_path):
    sc = resolve("mandated_parent")[0]
    rec = play(sc, 0, 0, random.Random(1))
    rec["student"] = "<b>Bobby</b> | Tables"
    records.save(rec, tmp_path)
    sessions, _ = collect([tmp_path])
    page = to_html(summarise(sessions))
    assert "<b>Bobby" not in page and "&lt;b&gt;Bobby&lt;/b&gt; | Tables" in page


def test_the_report_command_writes_every_output(classroom, tmp_path, capsys):
    out = {k: tmp_path / f"r.{k}" for k in ("md", "html", "csv")}
    replies = tmp_path / "replies.csv"
    assert main(["report", str(classroom), "--md", str(out["md"]), "--html", str(out["html"]),
                 "--csv", str(out["csv"]), "--replies-csv", str(replies)]) == 0
    assert "## Progress across attempts" in out["md"].read_text()
    assert "<h2>Low-confidence labels to check</h2>" in out["html"].read_text()
    assert replies.read_text().startswith(",".join(HEADER))
    assert "6 student(s)" in capsys.readouterr().out
