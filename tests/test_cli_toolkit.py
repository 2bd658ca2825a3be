"""The instructor toolkit commands end to end: real files, broken ones included; never a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from roleplay import cli
from roleplay.cli import common as cli_common, practice as cli_practice
from roleplay.core.session import records
from roleplay.core.session.engine import Session
from roleplay.core.scenario.loader import load_scenario
from roleplay.core.authoring.scenario_tests import label_assessment
from tests.conftest import FIXTURES, FakeScorer

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = FIXTURES / "toolkit"
DIAG = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>[EWL]\d{3})\]: .+$")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def fake_scorer_cli(monkeypatch):
    scorer = FakeScorer()
    monkeypatch.setattr(cli_common, "load_scorer", lambda rubric=None, scenario=None: (scorer, []))
    return scorer


@pytest.fixture
def no_scorer(monkeypatch):
    def missing(rubric=None, scenario=None):
        return None, []  # as when a rubric cannot be used: nothing to score with

    monkeypatch.setattr(cli_common, "load_scorer", missing)


# --- new --------------------------------------------------------------------------------------

def test_new_writes_a_scenario_that_validates_lints_and_tests(capsys, tmp_path, no_scorer):
    code, out, _ = run(capsys, "new", "Home Visit", "--dir", str(tmp_path))
    assert code == 0
    target = tmp_path / "home_visit.yaml"
    assert target.is_file() and f"Wrote {target}" in out
    assert (tmp_path / "scenario.schema.json").is_file()
    json.loads((tmp_path / "scenario.schema.json").read_text())
    assert target.read_text().startswith("# yaml-language-server: $schema=./scenario.schema.json")
    assert run(capsys, "validate", str(target))[0] == 0
    code, out, _ = run(capsys, "lint", "--strict", str(target))
    assert code == 0 and "0 error(s), 0 warning(s)" in out
    code, out, _ = run(capsys, "test", str(target))
    assert code == 0 and out.strip().endswith("4 passed, 0 failed")


def test_new_refuses_to_overwrite(capsys, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("id: mine\n# my work\n")
    code, _, err = run(capsys, "new", "mine", "--dir", str(tmp_path))
    assert code == 1 and "already exists" in err
    assert target.read_text() == "id: mine\n# my work\n"


def test_new_keeps_an_existing_schema_and_can_skip_it(capsys, tmp_path):
    (tmp_path / "scenario.schema.json").write_text("{}")
    assert run(capsys, "new", "one", "--dir", str(tmp_path))[0] == 0
    assert (tmp_path / "scenario.schema.json").read_text() == "{}"
    other = tmp_path / "other"
    assert run(capsys, "new", "two", "--dir", str(other), "--no-schema")[0] == 0
    assert not (other / "scenario.schema.json").exists()


def test_new_with_a_bad_name(capsys, tmp_path):
    code, _, err = run(capsys, "new", "!!!", "--dir", str(tmp_path))
    assert code == 2 and "roleplay new:" in err


# --- schema -----------------------------------------------------------------------------------

def test_schema_scenario_prints_json(capsys, tmp_path):
    code, out, _ = run(capsys, "schema", "scenario")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"].endswith("2020-12/schema") and "nodes" in schema["properties"]


def test_schema_rubric(capsys):
    code, out, err = run(capsys, "schema", "rubric")
    if code == 0:
        assert json.loads(out)["$id"].endswith("rubric.json")
    else:
        assert code == 1 and "rubric" in err and out == ""


# --- lint -------------------------------------------------------------------------------------

def test_lint_warnings_only_exit_0_unless_strict(capsys, no_scorer):
    path = str(TOOLKIT / "lint_problems.yaml")
    code, out, err = run(capsys, "lint", path)
    assert code == 0
    lines = [x for x in out.splitlines() if x.startswith(path)]
    assert lines and all(DIAG.match(x) and "warning[L2" in x for x in lines)
    assert {"L201", "L202", "L203", "L210", "L211", "L230", "L231", "L240", "L250", "L260"} <= \
        {DIAG.match(x)["code"] for x in lines}
    assert run(capsys, "lint", "--strict", path)[0] == 1


def test_lint_broken_files_exit_1_with_positions(capsys):
    code, out, _ = run(capsys, "lint", "--no-scorer", str(TOOLKIT / "broken_yaml.yaml"),
                       str(TOOLKIT / "broken_shape.yaml"))
    assert code == 1
    diags = [DIAG.match(x) for x in out.splitlines() if DIAG.match(x)]
    assert {d["code"] for d in diags} >= {"E001", "E102", "E202"}
    assert any(d["path"].endswith("broken_yaml.yaml") and (d["line"], d["col"]) == ("2", "8") for d in diags)
    assert "2 file(s) linted: 4 error(s)" in out  # `thougth` is one error (E102), not also a missing key


def test_lint_checks_exemplars_with_the_scorer(capsys, fake_scorer_cli, tmp_path):
    # FakeScorer labels by prefix ("E: ..."), so a prefixed exemplar under the wrong label disagrees.
    text = (FIXTURES / "tiny.yaml").read_text().replace(
        'empathic: ["That\'s a lot to carry at once."]', 'empathic: ["S: poor you, that is a lot."]')
    p = tmp_path / "t.yaml"
    p.write_text(text)
    code, out, _ = run(capsys, "lint", str(p))
    assert code == 0
    assert ('info[L220]: in \'deeper\' the model alone says sympathetic (test), the author says empathic; even '
            'typed word for word it is labelled sympathetic') in out
    assert '"S: poor you, that is a lot."' in out and "0 error(s), 1 warning(s)" in out  # L202, not L220
    assert f"{p}: note: the rubric agrees with" in out


def test_lint_a_folder_and_missing_paths(capsys, no_scorer, tmp_path):
    code, out, _ = run(capsys, "lint", "--no-scorer", str(ROOT / "scenarios"))
    assert code == 0 and "3 file(s) linted: 0 error(s)" in out
    code, _, err = run(capsys, "lint", str(tmp_path))
    assert code == 1 and "no scenario files" in err
    code, out, _ = run(capsys, "lint", "--no-scorer", str(tmp_path / "missing.yaml"))
    assert code == 1 and "E011" in out


# --- graph ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, needle", [
    ("text", "    judgmental [trust < 35] -> hung_up (trust -20) [ending, negative]"),
    ("mermaid", "flowchart TD"),
    ("dot", 'digraph "tiny" {'),
])
def test_graph_formats(capsys, fmt, needle):
    code, out, _ = run(capsys, "graph", str(FIXTURES / "tiny.yaml"), "--format", fmt)
    assert code == 0 and needle in out


def test_graph_default_is_text_and_builtins_by_name(capsys):
    code, out, _ = run(capsys, "graph", "mandated_parent")
    assert code == 0 and out.startswith("mandated_parent: ") and "endings:" in out


def test_graph_broken_and_unknown(capsys):
    code, out, err = run(capsys, "graph", str(TOOLKIT / "broken_shape.yaml"))
    assert code == 1 and out == "" and all(DIAG.match(x) for x in err.strip().splitlines())
    code, _, err = run(capsys, "graph", "mandated_parnet")
    assert code == 1 and 'did you mean "mandated_parent"' in err


# --- test -------------------------------------------------------------------------------------

def test_test_reports_like_a_test_runner(capsys, fake_scorer_cli):
    code, out, _ = run(capsys, "test", str(TOOLKIT / "failing_tests.yaml"))
    assert code == 1
    lines = out.strip().splitlines()
    assert "PASS passes" in lines and "PASS scored replies" in lines
    assert ("FAIL wrong ending: expected ending rebooked, got maybe_later "
            "(path: hello (empathic) -> deeper (neutral) -> maybe_later)") in lines
    assert lines[-1] == "2 passed, 4 failed"


def test_test_without_a_scorer_fails_replies_tests(capsys, no_scorer):
    code, out, err = run(capsys, "test", str(TOOLKIT / "failing_tests.yaml"))
    assert code == 1 and "FAIL scored replies: needs the scorer" in out


def test_test_passing_and_broken_files(capsys, no_scorer):
    code, out, _ = run(capsys, "test", str(FIXTURES / "tiny.yaml"))
    assert code == 0 and out.splitlines() == ["PASS warm", "PASS cold", "2 passed, 0 failed"]
    code, out, _ = run(capsys, "test", str(FIXTURES / "tiny.yaml"), str(TOOLKIT / "broken_yaml.yaml"))
    assert code == 1
    assert any(DIAG.match(x) and "E001" in x for x in out.splitlines())
    assert "BROKEN" in out and out.strip().endswith("2 passed, 0 failed, 1 broken file(s)")


def test_test_builtins_by_name(capsys, no_scorer):
    code, out, _ = run(capsys, "test", "mandated_parent", "grieving_patient", "trauma_survivor")
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed, 0 failed", summary), out
    assert code == 0


# --- walk -------------------------------------------------------------------------------------

def test_walk(capsys):
    code, out, _ = run(capsys, "walk", str(FIXTURES / "tiny.yaml"))
    assert code == 0
    assert "paths explored: 7 (all of them; 16 label sequences)" in out
    assert "path length: shortest 2, longest 2 replies" in out
    assert "turns covered: 2/2" in out and "endings covered: 3/3" in out
    assert "hung_up [negative]: 3 path(s); trust 10..30" in out


def test_walk_limit_and_errors(capsys):
    code, out, _ = run(capsys, "walk", "grieving_patient", "--max-paths", "100")
    assert code == 0 and "stopped at the limit of 100" in out
    assert run(capsys, "walk", "tiny", "--max-paths", "0")[0] == 2
    code, _, err = run(capsys, "walk", str(TOOLKIT / "broken_yaml.yaml"))
    assert code == 1 and "E001" in err


# --- report -----------------------------------------------------------------------------------

def _class_folder(root: Path, n_students: int = 4) -> Path:
    sc, _ = load_scenario(FIXTURES / "tiny.yaml")
    plans = [["empathic", "empathic"], ["judgmental", "judgmental"], ["neutral", "empathic"],
             ["sympathetic", "neutral"]]
    for i in range(n_students):
        for j, plan in enumerate(plans):
            s = Session(sc, scorer=None, id=f"s{i}-{j}")
            for lb in plan[i % 2:] + plan[:i % 2]:
                if not s.finished:
                    s.respond_with(label_assessment(lb), f"reply {lb}")
            records.save(s.to_dict(), root / f"student{i}")
    (root / "student0" / "broken.json").write_text("{not json")
    return root


def test_report(capsys, tmp_path):
    root = _class_folder(tmp_path / "class")
    csv_out, md_out = tmp_path / "out" / "r.csv", tmp_path / "out" / "r.md"
    code, out, err = run(capsys, "report", str(root), "--csv", str(csv_out), "--md", str(md_out))
    assert code == 0
    assert out.startswith("16 session(s) from 4 student(s) across 1 scenario(s)")
    assert "student0" in out and "Turns where students struggled" in out
    assert "broken.json: skipped" in err
    assert csv_out.read_text().startswith("student,scenario,sessions,replies,")
    assert md_out.read_text().startswith("# Class report")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_report_outputs_refuse_pipes_devices_inputs_and_existing_files(capsys, tmp_path):
    root = _class_folder(tmp_path / "class", n_students=1)
    record = next((root / "student0").glob("s0-0.json"))
    before = record.read_bytes()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for option, target, why in (("--json", fifo, "not a regular file"), ("--csv", "/dev/null", "not a regular file"),
                                ("--json", record, "own input"), ("--md", tmp_path, "folder")):
        code, out, err = run(capsys, "report", str(root), option, str(target), "--force")
        assert code == 2 and why in err and out == "", (option, target, err)
    assert fifo.exists() and not fifo.is_file(), "the FIFO is still a FIFO"
    assert record.read_bytes() == before, "the record is untouched"
    done = tmp_path / "r.json"
    done.write_text("old")
    code, _, err = run(capsys, "report", str(root), "--json", str(done))
    assert code == 2 and "--force" in err and done.read_text() == "old"
    code, _, err = run(capsys, "report", str(root), "--json", str(done), "--force")
    assert code == 0 and json.loads(done.read_text())


def test_report_nothing_readable(capsys, tmp_path):
    (tmp_path / "x.json").write_text("[]")
    code, _, err = run(capsys, "report", str(tmp_path))
    assert code == 1 and "x.json" in err and "no readable session records" in err


# --- play --watch -----------------------------------------------------------------------------

def _save(path: Path, text: str) -> None:
    st = path.stat()
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_play_watch_reloads_between_turns_and_survives_a_broken_save(capsys, tmp_path, monkeypatch,
                                                                     fake_scorer_cli):
    scenario = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", scenario)
    original = scenario.read_text()

    def script(_source):
        yield "E: that sounds like a lot"  # hello -> deeper
        # the author breaks the file while the student is at 'deeper'...
        _save(scenario, original.replace("goto: maybe_later", "goto: maybe_latr"))
        yield "N: which hospital?"

    monkeypatch.setattr(cli_practice, "_script_lines", script)
    code, out, _ = run(capsys, "play", str(scenario), "--script", "x", "--watch", "--no-save")
    assert code == 0
    assert f"Watching {scenario}" in out
    assert "has errors; carrying on with the last good version" in out
    assert "E202" in out and "maybe_latr" in out
    assert "Ending: Maybe later (a mixed ending)" in out  # the old version was played to the end


def test_play_watch_keeps_the_place_and_shows_the_new_line(capsys, tmp_path, monkeypatch, fake_scorer_cli):
    scenario = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", scenario)
    original = scenario.read_text()

    def script(_source):
        yield "E: that sounds like a lot"
        yield "E: you carry so much"

    def edit_then(script_gen):
        for i, line in enumerate(script_gen):
            if i == 0:  # the author saves while the student is typing the first reply
                _save(scenario, original.replace("It's not just work.", "Honestly? It's not just work."))
            yield line

    monkeypatch.setattr(cli_practice, "_script_lines", lambda s: edit_then(script(s)))
    code, out, _ = run(capsys, "play", str(scenario), "--script", "x", "--watch", "--no-save")
    assert code == 0
    assert "[watch] reloaded the scenario; you are still at 'hello'" in out
    assert out.index("[watch] reloaded") < out.index("Sam Ortiz: Honestly? It's not just work.")
    assert "Ending: Rebooked (a positive ending)" in out


def test_play_watch_applies_the_newest_version_once_the_turn_exists_in_it(capsys, tmp_path, monkeypatch,
                                                                         fake_scorer_cli):
    """A rename of the turn the student is at leaves them on the old version only until they reach
    a turn the new version has."""
    scenario = tmp_path / "tiny.yaml"
    shutil.copy(FIXTURES / "tiny.yaml", scenario)
    renamed = (scenario.read_text().replace("start: hello", "start: greeting").replace("- id: hello", "- id: greeting")
               .replace("It's not just work.", "Honestly? It's not just work."))

    def script(_source):
        _save(scenario, renamed)  # saved while the student is at 'hello'
        yield "E: that sounds like a lot"
        yield "E: you carry so much"

    monkeypatch.setattr(cli_practice, "_script_lines", script)
    code, out, _ = run(capsys, "play", str(scenario), "--script", "x", "--watch", "--no-save")
    assert code == 0
    assert "the current turn 'hello' is not in the new version" in out
    assert "[watch] your turn is in the newest version now: reloaded the scenario; you are still at 'deeper'" in out
    assert "Sam Ortiz: Honestly? It's not just work." in out  # the new version's line at 'deeper'
    assert "Ending: Rebooked (a positive ending)" in out


def test_play_without_watch_is_unchanged(capsys, tmp_path, monkeypatch, fake_scorer_cli):
    monkeypatch.setattr(cli_practice, "_script_lines", lambda s: iter(["E: a", "E: b"]))
    code, out, _ = run(capsys, "play", str(FIXTURES / "tiny.yaml"), "--script", "x", "--no-save")
    assert code == 0 and "[watch]" not in out and "Watching" not in out


# --- with the real scorer ----------------------------------------------------------------------

def _real_scorer_or_skip():
    try:
        from roleplay.core.scoring import default_scorer

        return default_scorer()
    except ImportError:
        pytest.skip("the scorer is not in this build yet")


def test_new_scenario_lints_clean_with_the_real_scorer(capsys, tmp_path):
    _real_scorer_or_skip()
    run(capsys, "new", "real_check", "--dir", str(tmp_path))
    code, out, _ = run(capsys, "lint", "--strict", str(tmp_path / "real_check.yaml"))
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out and "the rubric agrees with" in out


def test_lint_builtins_with_the_real_scorer_has_no_errors(capsys):
    _real_scorer_or_skip()
    code, out, _ = run(capsys, "lint", str(ROOT / "scenarios"))
    assert code == 0
    assert out.count("note: the rubric agrees with") == 3
    for line in out.splitlines():
        if "warning[" in line or "error[" in line:
            assert DIAG.match(line), line


def test_replies_tests_with_the_real_scorer(capsys, tmp_path):
    _real_scorer_or_skip()
    text = (FIXTURES / "tiny.yaml").read_text() + '''  - name: typed warmth
    replies: ["It sounds like work has been swallowing your days.", "That's a lot to carry at once."]
    expect: {ending: rebooked}
  - name: typed blame
    replies: ["You should have told us sooner.", "You need to take this seriously."]
    expect: {ending: rebooked}
'''
    p = tmp_path / "t.yaml"
    p.write_text(text)
    code, out, _ = run(capsys, "test", str(p))
    assert code == 1
    assert "PASS typed warmth" in out
    assert "FAIL typed blame: expected ending rebooked, got hung_up (path: hello (judgmental)" in out


def test_lint_and_test_use_the_scenarios_own_rubric(capsys, tmp_path):
    _real_scorer_or_skip()
    shutil.copy(ROOT / "rubrics" / "default.yaml", tmp_path / "custom.yaml")
    text = (FIXTURES / "tiny.yaml").read_text().replace("minutes: 3\n", "minutes: 3\nrubric: custom.yaml\n")
    text += '''  - name: typed
    replies: ["It sounds like work has been swallowing your days.", "That's a lot to carry at once."]
    expect: {ending: rebooked}
'''
    (tmp_path / "own.yaml").write_text(text)
    code, out, _ = run(capsys, "lint", str(tmp_path / "own.yaml"))
    assert code == 0 and "note: the rubric agrees with" in out
    code, out, _ = run(capsys, "test", str(tmp_path / "own.yaml"))
    assert code == 0 and "PASS typed" in out


def test_a_missing_scenario_rubric_is_an_error_not_a_crash(capsys, tmp_path):
    text = (FIXTURES / "tiny.yaml").read_text().replace("minutes: 3\n", "minutes: 3\nrubric: nowhere.yaml\n")
    text += '''  - name: typed
    replies: ["It sounds like a lot."]
    expect: {ending: null}
'''
    (tmp_path / "own.yaml").write_text(text)
    # Refused at validate, where the author looks, not first found when a reply needs scoring.
    for command in ("validate", "lint", "test"):
        code, out, _ = run(capsys, command, str(tmp_path / "own.yaml"))
        assert code == 1
        assert any(DIAG.match(x) and "there is no rubric file 'nowhere.yaml'" in x and "E107" in x
                   for x in out.splitlines()), out
