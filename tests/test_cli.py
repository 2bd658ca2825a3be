"""The `roleplay` command: list, validate, play, forget."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roleplay.cli import main
from tests.conftest import FIXTURES


def test_every_subcommand_has_help(capsys):
    from roleplay.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: roleplay " + name in capsys.readouterr().out


def test_list_shows_builtins_and_user_scenarios(capsys, tmp_path):
    (tmp_path / "tiny.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    (tmp_path / "broken.yaml").write_text("id: [\n")
    assert main(["list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in ("mandated_parent", "grieving_patient", "trauma_survivor", "tiny"):
        assert name in out
    assert "Content note:" in out and "Sam Ortiz, 41 (he/him)" in out
    assert "broken  [" in out and "BROKEN" in out


def test_validate_exit_codes_and_positions(capsys, tmp_path):
    assert main(["validate", str(FIXTURES / "tiny.yaml")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "tiny.yaml").read_text().replace("goto: maybe_later", "goto: maybe_latr"))
    assert main(["validate", str(tmp_path), str(FIXTURES / "tiny.yaml")]) == 1
    out = capsys.readouterr().out
    assert (f"{bad}:75:15: error[E202]: branch target 'maybe_latr' in turn 'deeper', branch 3 does not exist "
            '(did you mean "maybe_later"?)') in out
    assert "2 file(s) checked: 1 error(s)" in out


@pytest.mark.parametrize("junk", [b"", b"- a\n", b"\tx: 1\n", b"\x00\xff\xfe", b'a: "unclosed\n'])
def test_validate_never_shows_a_traceback(tmp_path, junk):
    path = tmp_path / "junk.yaml"
    path.write_bytes(junk)
    proc = subprocess.run([sys.executable, "-m", "roleplay.cli", "validate", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{path}:" in proc.stdout


def test_validate_explains_a_yaml_mistake_with_the_parsers_words_below(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "tiny.yaml").read_text().replace('cue: "*sighs*"', "cue: *kicks the bin bag*"))
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (f"{bad}:28:10: error[E001]: text that starts with * is read by YAML as a reference to another "
                        'part of the file (an alias): put stage directions in quotes, like this: '
                        'cue: "*kicks the bin bag*"')
    assert lines[1] == "    YAML parser: found undefined alias (line 28, column 10)"


def test_validate_builtins_pass(capsys):
    from roleplay.core.io.paths import builtin_dir

    assert main(["validate", str(builtin_dir("scenarios"))]) == 0


def test_play_unknown_scenario_suggests(capsys):
    assert main(["play", "mandated_parnt"]) == 1
    assert 'did you mean "mandated_parent"' in capsys.readouterr().err


def test_play_script_json_record(capsys, tmp_path):
    script = tmp_path / "replies.txt"
    script.write_text("It sounds like work has been swallowing your whole week.\n\n"
                      "That's so much to hold, with your mum in and out of hospital.\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script), "--json"]) == 0
    out = capsys.readouterr()
    record = json.loads(out.out)
    assert record["scenario"] == "tiny"
    assert [t["reply"] for t in record["turns"]] == [
        "It sounds like work has been swallowing your whole week.",
        "That's so much to hold, with your mum in and out of hospital."]
    for t in record["turns"]:
        assert t["label"] in ("empathic", "sympathetic", "judgmental", "neutral")
        assert "trust" in t["state"]
    assert record["ending"] in ("rebooked", "maybe_later", "hung_up")


def test_play_script_that_runs_out_has_a_null_ending(capsys, tmp_path):
    script = tmp_path / "one.txt"
    script.write_text("Can we find another time this week?\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ending"] is None and len(record["turns"]) == 1


def test_play_shows_feedback_and_the_ending(capsys, tmp_path):
    script = tmp_path / "r.txt"
    script.write_text("You need to take these appointments seriously.\nYou should have told us sooner.\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "Sam Ortiz:" in out and "-> JUDGMENTAL" in out
    assert "Trust: 40 -> 30 (felt scolded)" in out
    assert "Ending: Hung up (a difficult ending)" in out


def test_forget(capsys, tmp_path, roleplay_home):
    script = tmp_path / "one.txt"
    script.write_text("Can we find another time this week?\n")
    main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script)])
    saved = list((roleplay_home / "sessions").glob("*.json"))
    assert len(saved) == 1
    assert main(["forget", "nope"]) == 1
    assert main(["forget", saved[0].stem]) == 0
    assert not list((roleplay_home / "sessions").glob("*.json"))
    assert main(["forget", "--all", "--yes"]) == 0


def test_forget_never_deletes_on_a_prefix_without_asking(capsys, roleplay_home, monkeypatch):
    """'forget 2' once deleted four records as a prefix match, silently, with exit 0."""
    import json

    folder = roleplay_home / "sessions"
    folder.mkdir(parents=True)
    for sid in ("20261207-101010-tiny-aaaa", "20261207-111111-tiny-bbbb", "20261208-090000-tiny-cccc"):
        (folder / f"{sid}.json").write_text(json.dumps({"id": sid, "scenario": "tiny", "turns": []}))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["forget", "2"]) == 2  # a prefix of all three, not at a terminal: refused
    assert "not a session id" in capsys.readouterr().err
    assert len(list(folder.glob("*.json"))) == 3
    assert main(["forget", "nothing-like-it"]) == 1  # nothing matched: non-zero
    assert main(["forget", "20261207-101010-tiny-aaaa"]) == 0  # an exact id needs no question
    assert len(list(folder.glob("*.json"))) == 2
    assert main(["forget", "20261207", "--yes"]) == 0  # a confirmed prefix
    assert [p.stem for p in folder.glob("*.json")] == ["20261208-090000-tiny-cccc"]


def test_script_slash_commands_are_commands_and_no_save_says_so(capsys, tmp_path, roleplay_home):
    script = tmp_path / "s.txt"
    script.write_text("J: you should have rung\n/undo\n/hint\nE: that sounds like a lot\n/quit\nnever read\n")
    assert main(["play", str(FIXTURES / "tiny.yaml"), "--script", str(script), "--json", "--no-save"]) == 0
    out = capsys.readouterr()
    record = json.loads(out.out)
    assert [t["reply"] for t in record["turns"]] == ["E: that sounds like a lot"]
    assert "Rewound one turn." in out.err and "hint: Notice:" in out.err
    assert "nothing was saved (--no-save)" in out.err and "is saved" not in out.err
    assert not list(roleplay_home.rglob("*.json"))


def test_new_keeps_the_letters_of_an_accented_name(capsys, tmp_path):
    assert main(["new", "Über café", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "uber_cafe.yaml").is_file()


def test_a_misspelt_label_gets_the_label_it_meant():
    from roleplay.core.scenario.shape import suggest

    labels = ["empathic", "sympathetic", "judgmental", "neutral"]
    assert suggest("empathetic", labels) == ' (did you mean "empathic"?)'
    assert suggest("judgemental", labels) == ' (did you mean "judgmental"?)'
    assert suggest("sympathic", labels) == ' (did you mean "sympathetic"?)'


def test_each_command_is_found_in_the_module_that_defines_it():
    """main() imports only the module of the command it runs: the table must match the modules."""
    from roleplay.cli import COMMANDS, FAMILIES, build_parser

    for family in FAMILIES:
        sub = next(a for a in build_parser([family])._actions if a.dest == "command")
        assert {c for c, f in COMMANDS.items() if f == family} == set(sub.choices), family
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)


@pytest.mark.parametrize("argv, families", [
    (["score", "--jsonl", "x"], ("scoring",)),
    (["--scenarios", "score", "--projector"], ()),  # a folder named like a command is not one
    (["--feedback", "end"], ()),
    (["-h"], None), (["scroe"], None), (["--lab", "lint", "x.yaml"], ("authoring",)),
])
def test_only_the_named_command_module_is_loaded(argv, families):
    from roleplay.cli import FAMILIES, _families

    assert tuple(_families(argv)) == (families if families is not None else FAMILIES)


def test_a_mistyped_command_still_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["scroe"])
    err = capsys.readouterr().err
    assert "invalid choice" in err and "score" in err and "drill" in err
