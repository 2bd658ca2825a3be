"""Control characters: shown visibly when printed (terminal.py), refused in scenario and rubric
files at their own position (E014)."""

from __future__ import annotations

import json

import pytest

from roleplay.core.io.terminal import terminal_safe
from roleplay.core.io.yamlload import load_yaml
from roleplay.core.scenario.loader import load_scenario
from tests.conftest import FIXTURES

HOSTILE = "\x1b]52;c;aGk=\x07 \x1b[2J \x9b \x7f \u202e \u2066 ok\ttab\nline"


def test_terminal_safe_shows_every_control_character_and_keeps_tab_and_newline():
    out = terminal_safe(HOSTILE)
    assert out == "\\x1b]52;c;aGk=\\x07 \\x1b[2J \\u009b \\u007f \\u202e \\u2066 ok\ttab\nline"
    assert terminal_safe("plain café ✓") == "plain café ✓"


def test_in_place_keeps_every_offset():
    out = terminal_safe(HOSTILE, in_place=True)
    assert len(out) == len(HOSTILE)
    assert out.startswith("␛]52;c;aGk=␇ ␛[2J \ufffd ␡ \ufffd \ufffd ok\ttab\nline")


def test_a_json_line_stays_json_that_decodes_to_the_same_text():
    line = json.dumps({"reply": HOSTILE}, ensure_ascii=False)
    assert json.loads(terminal_safe(line)) == {"reply": HOSTILE}


@pytest.mark.parametrize("source, pos, what", [
    ('a: "hi \\e]52;c;aGk=\\a"\n', (1, 8), "ESC"),
    ('a: ok\nb: "x \\x1b[2J"\n', (2, 7), "ESC"),
    ('a: ok\nb: "x \\u001B[2J"\n', (2, 7), "ESC"),
    ('a:\n  - "line one\n    and \\u009b two"\n', (3, 9), "U+009B"),
    ('a: "bell \\a"\n', (1, 10), "U+0007"),
    ('a: ok\r\nb: plain \u202e evil\n', (2, 10), "U+202E"),
    ('# a comment \u2066 that hides code\na: 1\n', (1, 13), "U+2066"),
    ('k\x85: 1\n', (1, 2), "U+0085"),
])
def test_control_characters_are_e014_at_their_own_line_and_column(source, pos, what):
    node, diags = load_yaml(source, "f.yaml")
    assert node is None
    assert [(d.code, d.line, d.col) for d in diags][:1] == [("E014", *pos)]
    assert what in diags[0].message


@pytest.mark.parametrize("source", ['a: "tab\\tand\\nnewline"\n', "a: 'not \\e an escape'\n", 'a: "\\\\e"\n',
                                    "a: ok\r\nb: windows line endings\r\n", "a: café ✓ — “quotes”\n"])
def test_ordinary_text_is_not_refused(source):
    node, diags = load_yaml(source, "f.yaml")
    assert node is not None and diags == []


def test_a_scenario_with_an_escape_sequence_does_not_load(tmp_path):
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8")
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace("  name: Sam Ortiz", '  name: "Sam \\e]0;pwn\\a Ortiz"'), encoding="utf-8")
    scenario, diags = load_scenario(path)
    assert scenario is None
    d = next(d for d in diags if d.code == "E014")
    assert (d.line, d.col) == (6, 14) and d.is_error
    assert "\x1b" not in str(d)


def test_every_diagnostic_prints_safely_even_with_a_hostile_file_name(tmp_path):
    from roleplay.core.io.diagnostics import ERROR, Diagnostic

    d = Diagnostic("\x1b]0;pwn\x07.yaml", 1, 1, ERROR, "E011", "no such \u202efile")
    assert str(d) == "\\x1b]0;pwn\\x07.yaml:1:1: error[E011]: no such \\u202efile"
