"""No command lets text from a file act on the terminal: hostile scenarios, file names, rubrics,
replies and records go through every command, and no ESC, BEL, C1 or bidi control reaches
stdout or stderr. Each case runs under a hard timeout (a hang is a failure, not a wait)."""

from __future__ import annotations

import json
import re
import time

import pytest

from roleplay.cli import main
from tests.conftest import FIXTURES

# OSC 52 clipboard write, screen clear, window title, a bidi override, a C1 CSI.
YAML_PAYLOAD = r"\e]52;c;aGk=\a \e[2J \e]0;pwn\a \u202Eevil \x9b1m"
RAW_PAYLOAD = "\x1b]52;c;aGk=\x07 \x1b[2J \x1b]0;pwn\x07 \u202eevil \x9b1m"
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_NAME = "\x1b]0;pwn\x07\u202e"


def assert_clean(*texts: str) -> None:
    for text in texts:
        m = FORBIDDEN.search(text)
        assert m is None, f"{m.group()!r} reached the terminal at {m.start()}: {text[max(0, m.start() - 40):m.start() + 40]!r}"


def hostile_scenario_text() -> str:
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    for old, new in [("title: A short check-in", f'title: "A short check-in {YAML_PAYLOAD}"'),
                     ("  name: Sam Ortiz", f'  name: "Sam {YAML_PAYLOAD} Ortiz"'),
                     ("in and out of hospital.\"]", f'in and out of hospital. {YAML_PAYLOAD}"]'),
                     ("debrief: Sam felt heard and booked again.", f'debrief: "Sam felt heard {YAML_PAYLOAD}"'),
                     ("title: Hung up", f'title: "Hung up {YAML_PAYLOAD}"'),
                     ("  - name: warm", f'  - name: "warm {YAML_PAYLOAD}"')]:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(autouse=True)
def no_hang(roleplay_home):
    """A hard stop: a hang kills the run with every thread's traceback instead of waiting."""
    import faulthandler

    faulthandler.dump_traceback_later(20, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module", autouse=True)
def scorer_loaded():
    """The built-in scorer, built once outside the timed cases."""
    from roleplay.core.scoring.decide import default_scorer

    default_scorer()


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "tiny.yaml"
    path.write_text(hostile_scenario_text(), encoding="utf-8")
    return path


@pytest.fixture
def loader_bypassed(monkeypatch):
    """As if the loader let control characters through (E014 gone): the output must still be safe."""
    from roleplay.core.io import yamlload

    never = re.compile("(?!)")
    monkeypatch.setattr(yamlload, "UNSAFE", never)
    monkeypatch.setattr(yamlload, "_RAW_UNSAFE", never)


def run(capfd, argv) -> tuple[int, str, str]:
    t = time.monotonic()
    code = main([str(a) for a in argv])
    out, err = capfd.readouterr()
    assert time.monotonic() - t < 2, f"{argv[0]} took {time.monotonic() - t:.1f} s"
    return code, out, err


def commands(scenario, tmp_path):
    script = tmp_path / "replies.txt"
    script.write_text(f"It sounds like a lot {RAW_PAYLOAD}\nThat's a lot to carry\n", encoding="utf-8")
    return {
        "list": ["list", scenario.parent],
        "validate": ["validate", scenario],
        "lint": ["lint", "--no-scorer", scenario],
        "test": ["test", scenario],
        "graph": ["graph", scenario],
        "graph-mermaid": ["graph", scenario, "--format", "mermaid"],
        "graph-dot": ["graph", scenario, "--format", "dot"],
        "walk": ["walk", scenario, "--max-paths", "20"],
        "play": ["play", scenario, "--script", script, "--no-save"],
    }


NAMES = ["list", "validate", "lint", "test", "graph", "graph-mermaid", "graph-dot", "walk", "play"]


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_scenario_is_refused_with_e014_and_nothing_raw_is_printed(name, hostile, tmp_path, capfd):
    code, out, err = run(capfd, commands(hostile, tmp_path)[name])
    assert_clean(out, err)
    if name != "list":
        assert code == 1
    assert "E014" in out + err or "BROKEN" in out


@pytest.mark.parametrize("name", NAMES)
def test_even_if_the_loader_let_it_through_every_command_prints_it_harmlessly(name, hostile, tmp_path, capfd,
                                                                              loader_bypassed):
    code, out, err = run(capfd, commands(hostile, tmp_path)[name])
    assert_clean(out, err)
    assert "\\x1b]52;c;aGk=\\x07" in out + err or name in ("validate", "lint"), "shown, visibly"


def test_play_json_stays_valid_json_with_the_original_text(hostile, tmp_path, capfd, loader_bypassed):
    argv = commands(hostile, tmp_path)["play"] + ["--json"]
    code, out, err = run(capfd, argv)
    assert code == 0
    assert_clean(out, err)
    record = json.loads(out)
    assert record["turns"][0]["reply"] == f"It sounds like a lot {RAW_PAYLOAD}", "lossless for a program"


def test_a_hostile_file_name_is_shown_not_acted_on(tmp_path, capfd):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / f"{HOSTILE_NAME}.yaml").write_text((FIXTURES / "tiny.yaml").read_text(encoding="utf-8"))
    (folder / f"{HOSTILE_NAME}broken.yaml").write_text("id: [\n")
    for argv in (["list", folder], ["validate", folder], ["lint", "--no-scorer", folder], ["test", folder],
                 ["graph", f"{HOSTILE_NAME}nowhere"], ["walk", f"{HOSTILE_NAME}nowhere"],
                 ["play", f"{HOSTILE_NAME}nowhere"], ["forget", HOSTILE_NAME],
                 ["new", f"Visit {HOSTILE_NAME}", "--dir", tmp_path / "new"],
                 ["report", tmp_path / HOSTILE_NAME], ["eval", tmp_path / f"{HOSTILE_NAME}.jsonl"],
                 ["score", "--jsonl", tmp_path / f"{HOSTILE_NAME}.jsonl"],
                 ["graph", "nowhere", "--format", HOSTILE_NAME]):
        try:
            _, out, err = run(capfd, argv)
        except SystemExit:  # argparse's own error, on stderr
            out, err = capfd.readouterr()
        assert_clean(out, err)
        assert "\\x1b]0;pwn" in out + err or argv[0] == "new", argv


def test_a_hostile_rubric_name_and_content(tmp_path, capfd):
    code, out, err = run(capfd, ["score", "--rubric", tmp_path / f"{HOSTILE_NAME}.yaml", "hello"])
    assert code == 1
    assert_clean(out, err)
    rubric = tmp_path / "r.yaml"
    rubric.write_text(f'rubric: 1\nid: r\ntitle: "R {YAML_PAYLOAD}"\n', encoding="utf-8")
    code, out, err = run(capfd, ["score", "--rubric", rubric, "hello"])
    assert code == 1 and "E014" in err and "r.yaml:3:" in err
    assert_clean(out, err)


def test_score_and_eval_keep_hostile_replies_and_ids_harmless(tmp_path, capfd):
    code, out, err = run(capfd, ["score", f"you poor thing {RAW_PAYLOAD}"])
    assert code == 0
    assert_clean(out, err)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps({"id": f"a{RAW_PAYLOAD}", "reply": f"you should {RAW_PAYLOAD}",
                                          "label": "judgmental"}) for _ in range(2))
                    + f"\nnot json {RAW_PAYLOAD}\n", encoding="utf-8")
    code, out, err = run(capfd, ["score", "--jsonl", rows, "--jobs", "1"])
    assert_clean(out, err)
    parsed = [json.loads(line) for line in out.splitlines()]
    assert parsed[0]["id"] == f"a{RAW_PAYLOAD}", "JSON lines stay JSON and lossless"
    code, out, err = run(capfd, ["eval", rows])
    assert_clean(out, err)


def test_train_with_a_hostile_file_name(tmp_path, capfd):
    pytest.importorskip("sklearn")
    code, out, err = run(capfd, ["train", tmp_path / f"{HOSTILE_NAME}.jsonl", "--out", tmp_path / "m.rpm"])
    assert code == 1
    assert_clean(out, err)


def test_report_on_a_hostile_record_and_folder_name(tmp_path, capfd):
    folder = tmp_path / f"class {HOSTILE_NAME}"
    student = folder / f"student {HOSTILE_NAME}"
    student.mkdir(parents=True)
    record = {"id": f"s1{RAW_PAYLOAD}", "scenario": f"tiny{RAW_PAYLOAD}", "scenario_title": f"T {RAW_PAYLOAD}",
              "persona": f"Sam {RAW_PAYLOAD}", "student": f"Ann {RAW_PAYLOAD}", "started_at": "2026-01-01T10:00:00",
              "finished": True, "ending": f"end{RAW_PAYLOAD}", "outcome": f"good{RAW_PAYLOAD}",
              "turns": [{"index": 1, "reply": f"you should {RAW_PAYLOAD}", "label": "judgmental",
                         "kind": f"blaming{RAW_PAYLOAD}", "state": {"trust": 40}}]}
    (student / "s1.json").write_text(json.dumps(record), encoding="utf-8")
    (student / f"{HOSTILE_NAME}.json").write_text("{ damaged", encoding="utf-8")
    code, out, err = run(capfd, ["report", folder])
    assert_clean(out, err)
    assert "\\x1b]0;pwn" in out + err
