"""The report's drill section: drill records found among the files, per-student habits, the class's habits."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from roleplay.core.reporting import drill_report
from roleplay.core.reporting.report import collect
from roleplay.core.reporting.report_render import to_text
from roleplay.core.reporting.report import summarise

NOW = datetime(2026, 3, 31, 12, tzinfo=timezone.utc)


def drill(student: str, at: str, *replies: tuple[int, int, str, str]) -> dict:
    return {"type": "drill", "version": 1, "id": f"{student}-{at}", "student": student, "started_at": at,
            "replies": [{"n": n, "attempt": a, "situation": f"s{n}", "label": lab, "kind": kind, "at": at}
                        for n, a, lab, kind in replies]}


def session(at: str, *turns: tuple[str, str]) -> dict:
    return {"format": 1, "id": f"sess-{at}", "scenario": "tiny", "scenario_title": "Tiny", "started_at": at,
            "turns": [{"index": i, "node": f"n{i}", "client_line": "c", "reply": "r", "label": lab, "kind": kind,
                       "at": at, "assessment": {"label": lab, "kinds": [kind]}, "state_before": {}, "state": {},
                       "branch": 0, "next": f"n{i + 1}"} for i, (lab, kind) in enumerate(turns, 1)],
            "state": {}, "ending": None, "finished": False}


def write(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def classroom(root):
    # ada: a session of hers, and two drills (one a month ago) with a retry that became empathic
    write(root / "ada" / "sessions" / "s1.json", session("2026-03-20T10:00:00+00:00",
                                                         ("sympathetic", "reassurance"), ("empathic", "reflection")))
    write(root / "ada" / "drills" / "d1.json", drill("", "2026-02-20T10:00:00+00:00",
                                                     (1, 1, "sympathetic", "reassurance"),
                                                     (1, 2, "empathic", "reflection"),
                                                     (2, 1, "sympathetic", "reassurance")))
    write(root / "ada" / "drills" / "d2.json", drill("", "2026-03-25T10:00:00+00:00",
                                                     (1, 1, "judgmental", "interrogating"),
                                                     (2, 1, "empathic", "validation")))
    # bo: one drill; the record names him
    write(root / "loose.json", drill("Bo", "2026-03-28T10:00:00+00:00",
                                     (1, 1, "judgmental", "interrogating"), (2, 1, "judgmental", "interrogating"),
                                     (3, 1, "sympathetic", "reassurance")))
    # cy: sessions only, so no drill profile
    write(root / "cy" / "s.json", session("2026-03-20T10:00:00+00:00", ("judgmental", "blaming")))


def test_drill_records_make_their_own_section(tmp_path):
    classroom(tmp_path)
    drills = drill_report.DrillCollector()
    sessions, problems = collect([tmp_path], other=drills.take)
    assert problems == [] and len(sessions) == 2
    assert sorted(r.student for r in drills.runs) == ["Bo", "ada", "ada"]  # the field, else the folder
    d = drill_report.summarise(drills.runs, sessions, NOW)
    assert (d.drills, d.drill_replies, d.replies) == (3, 8, 10)
    ada, bo = d.students
    assert ada.student == "ada" and ada.profile.total == 7 and ada.profile.sources == {"session": 2, "drill": 5}
    assert (ada.answered, ada.empathic_first, ada.retries, ada.improved) == (4, 1, 1, 1)
    assert ada.top(2) == ["reassurance in 25% of replies, down from 67% a month ago",
                          "interrogating in 25% of replies, up from 0% a month ago"]
    assert bo.top() == ["interrogating in 67% of replies", "reassurance in 33% of replies"]
    assert [(h.kind, h.replies, h.students, h.top_for) for h in d.habits] == [
        ("reassurance", 4, 2, 1), ("interrogating", 3, 2, 1)]
    text = drill_report.to_text(d)
    assert "Drills: 3 drill(s) with 8 replies from 2 student(s)" in text
    assert "2026-03-01 to 2026-03-31" in text and "reassurance in 25% of replies, down from 67% a month ago" in text
    assert "## Drills" in drill_report.to_markdown(d)
    assert drill_report.to_dict(d)["class_habits"][0] == {"kind": "reassurance", "label": "sympathetic",
                                                          "replies": 4, "share": 0.4, "students": 2, "top_for": 1}


def test_a_report_of_sessions_alone_is_unchanged(tmp_path):
    classroom(tmp_path)
    plain_sessions, plain_problems = collect([tmp_path / "cy", tmp_path / "ada" / "sessions"])
    drills = drill_report.DrillCollector()
    mixed, problems = collect([tmp_path / "cy", tmp_path / "ada" / "sessions"], other=drills.take)
    assert drills.runs == [] and to_text(summarise(mixed, problems)) == to_text(summarise(plain_sessions,
                                                                                          plain_problems))
    # Without a collector a drill record is skipped, as before.
    _, problems = collect([tmp_path / "loose.json"])
    assert problems and "not a roleplay session record" in problems[0]
