"""The class report over generated sessions: 10 students x the three built-ins (and a few more),
saved the way the trainer saves them, plus CSV exports and corrupt files."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from roleplay.core.reporting import export
from roleplay.core.session import records
from roleplay.core.assessment import Assessment, Evidence
from roleplay.core.session.engine import Session
from roleplay.core.labels import LABELS
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.reporting.report import collect, summarise
from roleplay.core.reporting.report_render import to_csv, to_json, to_markdown, to_text

ROOT = Path(__file__).resolve().parents[3]
BUILTINS = ["mandated_parent", "grieving_patient", "trauma_survivor"]
STUDENTS = [f"student{i:02d}" for i in range(10)]

SYMPATHETIC = [("don't worry", "reassurance"), ("at least", "minimising"),
               ("everything happens for a reason", "platitude"), ("you poor thing", "pity")]
JUDGMENTAL = [("you should", "moralising"), ("why didn't you", "interrogating"), ("you need to", "ordering")]
EMPATHIC = [("it sounds like", "reflection"), ("that makes sense", "validation")]
NEUTRAL = [("what time", "logistics")]
POOLS = {"sympathetic": SYMPATHETIC, "judgmental": JUDGMENTAL, "empathic": EMPATHIC, "neutral": NEUTRAL}
# Each student leans a different way, so the shares differ between them.
LEANS = [(6, 2, 1, 1), (1, 6, 1, 2), (1, 1, 6, 2), (3, 3, 2, 2), (8, 1, 0, 1),
         (2, 2, 2, 4), (4, 4, 1, 1), (5, 1, 3, 1), (1, 3, 3, 3), (7, 2, 1, 0)]


def assessment(label: str, rng: random.Random) -> tuple[Assessment, str]:
    phrase, kind = rng.choice(POOLS[label])
    reply = f"Well, {phrase}, that is what I think about it."
    start = reply.index(phrase)
    ev = (Evidence(start, start + len(phrase), phrase, label, kind, f"cue:{kind}"),)
    return Assessment(label, 0.8, {label: 0.8}, (kind,), ev, feedback="f"), reply


def play_session(scenario, student_index: int, n: int, rng: random.Random) -> Session:
    s = Session(scenario, scorer=None, id=f"{scenario.id}-{STUDENTS[student_index]}-{n}", seed=rng.randrange(1000),
                clock=lambda: "2025-03-01T10:00:00+00:00")
    weights = LEANS[student_index]
    stop_after = 3 if (student_index + n) % 7 == 0 else 99  # a few unfinished sessions
    while not s.finished and len(s.turns) < stop_after:
        label = rng.choices(LABELS, weights=weights)[0]
        a, reply = assessment(label, rng)
        s.respond_with(a, reply)
    return s


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """class/<student>/*.json, one student keeping the trainer's sessions/ folder, one record with
    an explicit `student` field, CSV exports, and broken files."""
    root = tmp_path_factory.mktemp("class")
    scenarios = {}
    for ident in BUILTINS:
        sc, diags = load_scenario(ROOT / "scenarios" / f"{ident}.yaml")
        assert sc is not None, diags
        scenarios[ident] = sc
    rng = random.Random(20250301)
    played: list[tuple[str, dict]] = []
    for i, student in enumerate(STUDENTS):
        folder = root / student / ("sessions" if i == 3 else "")
        for ident in BUILTINS:
            repeats = 2 if i < 4 else 1
            for n in range(repeats):
                rec = play_session(scenarios[ident], i, n, rng).to_dict()
                records.save(rec, folder)
                played.append((student, rec))
    # a record carrying its student, dropped loose in the class folder
    rec = play_session(scenarios["grieving_patient"], 4, 9, rng).to_dict()
    rec["id"] = "loose-one"
    rec["student"] = "named_in_record"
    records.save(rec, root)
    played.append(("named_in_record", rec))
    # a CSV export named with a session id, in a student's folder
    csv_rec = play_session(scenarios["trauma_survivor"], 5, 5, rng).to_record()
    csv_name = "20250301-101500-trauma_survivor-1a2b.csv"
    (root / "student05" / csv_name).write_text(export.to_csv(csv_rec))
    # broken files
    (root / "student01" / "truncated.json").write_text('{"format": 1, "turns": [')
    (root / "student02" / "not_a_record.json").write_text('{"hello": "world"}')
    (root / "student02" / "bad_label.json").write_text(json.dumps({**played[0][1], "turns": [
        {**played[0][1]["turns"][0], "label": "sarcastic"}]}))
    (root / "student06" / "notes.csv").write_text("name,grade\nx,1\n")
    return root, played, csv_rec


@pytest.fixture(scope="module")
def report(classroom):
    root, _, _ = classroom
    sessions, problems = collect([root])
    return sessions, problems, summarise(sessions, problems)


def test_at_least_30_sessions_across_the_three_builtins(classroom, report):
    _, played, _ = classroom
    sessions, _, rep = report
    assert len(played) >= 30
    assert rep.sessions == len(played) + 1  # and the CSV export
    assert set(rep.scenario_titles) == set(BUILTINS)
    assert len(rep.students) == len(STUDENTS) + 1


def test_students_come_from_the_field_the_folder_or_the_file(report):
    sessions, _, _ = report
    by_source = {s.source.name: s.student for s in sessions}
    assert by_source["loose-one.json"] == "named_in_record"
    assert all(s.student == "student03" for s in sessions if "student03" in str(s.source))  # via sessions/
    assert any(s.student == "student03" for s in sessions)
    assert {s.student for s in sessions if s.source.parent.name.startswith("student")} <= set(STUDENTS)


def test_student_is_the_file_stem_for_loose_files(tmp_path, classroom):
    _, played, _ = classroom
    (tmp_path / "alice.json").write_text(json.dumps(played[0][1]))
    sessions, problems = collect([tmp_path])
    assert problems == [] and [s.student for s in sessions] == ["alice"]


def test_corrupt_files_are_named_and_skipped(report):
    _, problems, rep = report
    names = " ".join(problems)
    for bad in ("truncated.json", "not_a_record.json", "bad_label.json", "notes.csv"):
        assert bad in names
    assert len(problems) == 4
    assert "Skipped 4 file(s)" in to_text(rep)


def test_label_shares_endings_and_trust_per_student(classroom, report):
    _, played, _ = classroom
    _, _, rep = report
    for student in ("student00", "student04", "named_in_record"):
        for ident in BUILTINS:
            mine = [r for st, r in played if st == student and r["scenario"] == ident]
            if not mine:
                continue
            row = next(x for x in rep.rows if x.student == student and x.scenario == ident)
            labels = Counter(t["label"] for r in mine for t in r["turns"])
            total = sum(labels.values())
            assert row.sessions == len(mine) and row.replies == total
            for lb in LABELS:
                assert row.share(lb) == pytest.approx(labels[lb] / total)
            assert row.endings == Counter(r["ending"] or "(unfinished)" for r in mine)
            assert row.avg_trust == pytest.approx(sum(r["state"]["trust"] for r in mine) / len(mine))


def test_student_who_leans_empathic_shows_it(report):
    _, _, rep = report
    warm = [r for r in rep.rows if r.student == "student04"]
    cold = [r for r in rep.rows if r.student == "student02"]
    assert min(r.share("empathic") for r in warm) > max(r.share("empathic") for r in cold)
    assert sum(r.avg_trust for r in warm) > sum(r.avg_trust for r in cold)


def test_most_frequent_phrasings_from_evidence(classroom, report):
    _, played, _ = classroom
    _, _, rep = report
    assert rep.phrase_source["sympathetic"] == "evidence"
    counted = Counter(e["text"] for _, r in played for t in r["turns"] if t["label"] == "sympathetic"
                      for e in t["assessment"]["evidence"])
    # (the CSV export carries no evidence, so it adds nothing here)
    top = rep.phrases["sympathetic"][0]
    assert (top.text, top.replies) == counted.most_common(1)[0]
    assert {p.text for p in rep.phrases["judgmental"]} == {p for p, _ in JUDGMENTAL}
    assert dict(rep.kinds["judgmental"]).keys() == {k for _, k in JUDGMENTAL}


def test_ngram_fallback_without_evidence(tmp_path, classroom):
    _, played, _ = classroom
    for i, (_, rec) in enumerate(played[:12]):
        stripped = {**rec, "turns": [{**t, "assessment": {**t["assessment"], "evidence": []}} for t in rec["turns"]]}
        d = tmp_path / f"s{i}"
        d.mkdir()
        (d / "r.json").write_text(json.dumps(stripped))
    rep = summarise(*collect([tmp_path]))
    assert rep.phrase_source["judgmental"] == "reply n-grams"
    texts = [p.text for p in rep.phrases["judgmental"]]
    assert any(j in t for t in texts for j, _ in JUDGMENTAL), texts


def test_turns_where_students_struggled(classroom, report):
    _, played, _ = classroom
    _, _, rep = report
    stats: dict[tuple[str, str], list[int]] = {}
    for _, r in played:
        for t in r["turns"]:
            s = stats.setdefault((r["scenario"], t["node"]), [0, 0])
            s[0] += 1
            s[1] += t["label"] != "empathic"
    hardest = rep.hard_turns[0]
    assert rep.min_replies == 3 and all(h.replies >= 3 for h in rep.hard_turns)
    best_share = max(b / a for a, b in stats.values() if a >= 3)
    assert hardest.share == pytest.approx(best_share, abs=0.2)  # the CSV adds a few replies
    for h in rep.hard_turns[:5]:
        assert h.client_line and h.replies >= 1 and h.node
    shares = [h.share for h in rep.hard_turns]
    assert shares == sorted(shares, reverse=True)


def test_csv_export_turns_are_matched_to_the_scenario(report):
    sessions, _, _ = report
    csv_session = next(s for s in sessions if s.source.suffix == ".csv")
    assert csv_session.scenario == "trauma_survivor" and csv_session.student == "student05"
    assert csv_session.turns and all(t.node for t in csv_session.turns)


def test_outputs(report, tmp_path):
    _, _, rep = report
    text = to_text(rep)
    assert text.startswith(f"{rep.sessions} session(s) from {len(rep.students)} student(s) across 3 scenario(s)")
    assert "Most frequent sympathetic phrasings" in text and "Turns where students struggled" in text
    md = to_markdown(rep)
    assert md.startswith("# Class report") and "| Student | Scenario |" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(rep))))
    assert len(rows) == len(rep.rows)
    assert {"student", "scenario", "empathic_share", "avg_final_trust", "endings"} <= set(rows[0])
    for row in rows:
        assert sum(float(row[f"{lb}_share"]) for lb in LABELS) == pytest.approx(1.0, abs=0.01)
    data = json.loads(to_json(rep))
    assert data["sessions"] == rep.sessions and len(data["skipped"]) == 4


def test_missing_paths_are_reported(tmp_path):
    sessions, problems = collect([tmp_path / "nope"])
    assert sessions == [] and "no such file" in problems[0]


def test_report_on_sessions_scored_by_the_real_scorer(tmp_path):
    """30 sessions where students type the turns' exemplars and the real scorer labels them."""
    try:
        from roleplay.core.scoring import default_scorer
    except ImportError:
        pytest.skip("the scorer is not in this build yet")
    scorer = default_scorer()
    rng = random.Random(7)
    saved = 0
    for i in range(10):
        for ident in BUILTINS:
            sc, _ = load_scenario(ROOT / "scenarios" / f"{ident}.yaml")
            s = Session(sc, scorer, id=f"{ident}-{i}", seed=i)
            while not s.finished:
                label = rng.choices(LABELS, weights=LEANS[i])[0]
                options = s.node.exemplars.get(label) or s.node.exemplars["empathic"]
                s.respond(rng.choice(options))
            records.save(s.to_dict(), tmp_path / f"student{i}")
            saved += 1
    rep = summarise(*collect([tmp_path]))
    assert saved == rep.sessions == 30 and len(rep.students) == 10
    assert rep.phrase_source["sympathetic"] == "evidence" and rep.phrase_source["judgmental"] == "evidence"
    assert rep.phrases["judgmental"] and rep.phrases["judgmental"][0].replies >= 2
    assert rep.hard_turns[0].share >= rep.hard_turns[-1].share
    text = to_text(rep)
    assert "Most frequent judgmental phrasings (words the scorer flagged)" in text


def test_whole_exemplar_matches_are_not_phrasings(tmp_path, classroom):
    _, played, _ = classroom
    rec = json.loads(json.dumps(played[0][1]))
    for t in rec["turns"]:
        t["assessment"]["evidence"].append({"start": 0, "end": len(t["reply"]), "text": t["reply"],
                                            "label": t["label"], "kind": "x", "source": f"exemplar:{t['label']}"})
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r.json").write_text(json.dumps(rec))
    rep = summarise(*collect([tmp_path]))
    texts = [p.text for ps in rep.phrases.values() for p in ps]
    assert texts and not any("that is what i think" in t for t in texts)  # only the flagged phrases


def test_a_session_ended_early_is_not_called_unfinished(tmp_path, classroom):
    _, played, _ = classroom
    record = {**played[0][1], "ending": None, "finished": False, "ended_early": True}
    (tmp_path / "dana.json").write_text(json.dumps(record))
    r = summarise(*collect([tmp_path]))
    assert "(ended early)" in to_text(r) and "(unfinished)" not in to_text(r)


def test_a_csv_export_with_a_huge_trust_value_is_skipped_by_name(tmp_path, classroom):
    _, _, csv_rec = classroom
    rows = list(csv.reader(io.StringIO(export.to_csv(csv_rec))))
    rows[1][rows[0].index("trust_after")] = "9" * 4000
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (tmp_path / "huge.csv").write_text(buf.getvalue())
    sessions, problems = collect([tmp_path])
    assert sessions == [] and problems == [f"{tmp_path / 'huge.csv'}: skipped (not a readable session: "
                                           "a number 4,000 digits long (at most 30))"]


def test_a_class_served_in_the_browser_counts_each_session_once(tmp_path, classroom):
    """`roleplay serve` keeps ROLEPLAY_HOME/students/<name>/ with sessions/, exports/ and the picker's
    cache/: the report names students by their folder, skips the cache and counts an export once."""
    _, played, _ = classroom
    students = tmp_path / "students"
    for name, (_, rec) in zip(["Alice", "Bob Li"], played[:2]):
        typed = records.load(records.save(rec, students / name / "sessions"))
        (students / name / "exports").mkdir()
        (students / name / "exports" / f"{rec['id']}.json").write_text(export.to_json(typed))
        (students / name / "exports" / f"{rec['id']}.csv").write_text(export.to_csv(typed))
        (students / name / "cache").mkdir()
        (students / name / "cache" / "cards.json").write_text('{"version": 1, "cards": []}')
    sessions, problems = collect([students])
    assert problems == []
    assert sorted(s.student for s in sessions) == ["Alice", "Bob Li"]
    assert all(s.source.parent.name == "sessions" for s in sessions)
