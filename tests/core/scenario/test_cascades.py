"""One root cause, one message: a broken declaration is reported once, not again at every use.

foster_placement.yaml is a 16-turn scenario written as an instructor would (issue 13). Before this
rule, `trust` with `start: 150` gave 72 errors, 71 of them false ("effect on undeclared variable
'trust'", "no branch for empathic ..."), and `type: boolean` gave 8.
"""

from __future__ import annotations

from roleplay.core.scenario.loader import parse_scenario
from tests.conftest import FIXTURES

FOSTER = (FIXTURES / "authoring" / "foster_placement.yaml").read_text()


def pos_of(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def broken(old: str, new: str) -> str:
    assert FOSTER.count(old) == 1, old
    return FOSTER.replace(old, new)


def diagnostics(text: str) -> list:
    scenario, diags = parse_scenario(text, "f.yaml")
    assert scenario is None
    return diags


def test_the_fixture_is_a_valid_16_turn_scenario():
    scenario, diags = parse_scenario(FOSTER, "f.yaml")
    assert diags == [] and scenario is not None
    assert len(scenario.nodes) == 16
    assert sum(len(b.effects) for n in scenario.nodes.values() for b in n.branches if "trust" in b.effects) >= 50


def test_trust_out_of_range_is_one_message_not_72():
    text = broken("    start: 25\n", "    start: 150\n")
    diags = diagnostics(text)
    assert [str(d) for d in diags] == [
        f"f.yaml:{pos_of(text, '150')[0]}:{pos_of(text, '150')[1]}: error[E305]: "
        "start in state variable 'trust' must be a whole number from 0 to 100, not 150"]


def test_a_misnamed_type_is_one_message_not_8():
    text = broken("  heard_about_mum:\n    type: bool", "  heard_about_mum:\n    type: boolean")
    diags = diagnostics(text)
    line, col = pos_of(text, "boolean")
    assert [str(d) for d in diags] == [
        f"f.yaml:{line}:{col}: error[E105]: type in state variable 'heard_about_mum' must be one of int, bool, "
        "not 'boolean' (did you mean \"bool\"?)"]


def test_a_variable_declared_without_min_and_max_is_reported_once():
    text = broken("    type: int\n    min: 0\n    max: 100\n", "    type: int\n")
    diags = diagnostics(text)
    assert [(d.code, d.message) for d in diags] == [("E103", "state variable 'trust' is an int and needs both min and max")]


def test_one_broken_branch_does_not_add_a_false_missing_label():
    # The catch-all branch of 'carers' has a quoted number: before, it was dropped and an E206
    # ("no branch for sympathetic, neutral") was listed first, above the real mistake.
    text = broken("        goto: promise\n        effects: {trust: +2}",
                  '        goto: promise\n        effects: {trust: "+2"}')
    diags = diagnostics(text)
    assert [(d.code, (d.line, d.col)) for d in diags] == [("E104", pos_of(text, '"+2"'))]
    assert diags[0].message == ("effect in turn 'carers', branch 3 on 'trust' must be a whole number such as +10 or "
                                '-5, not the text "+2": remove the quotes')


def test_a_turn_with_a_broken_id_is_reported_once_not_at_every_goto():
    text = broken("  - id: sister\n", "  - id: Sister\n")
    diags = diagnostics(text)
    assert [(d.code, (d.line, d.col), d.message) for d in diags] == [
        ("E105", pos_of(text, "Sister"), "id 'Sister' must be lower_snake_case (small letters, digits and _): "
                                         "write sister")]


def test_a_misspelt_key_is_one_message_not_also_a_missing_key():
    text = broken('    thought: "Another one.', '    thougth: "Another one.')
    diags = diagnostics(text)
    assert [(d.code, (d.line, d.col), d.message) for d in diags] == [
        ("E102", pos_of(text, "thougth"), "unknown key 'thougth' in turn 'arrival' (did you mean \"thought\"?)")]


def test_messages_are_in_line_order():
    # Shape messages (E102, E105) and meaning messages (E202) come from two passes; they are merged by line.
    text = broken('title: "Third placement"', 'titel: "Third placement"')
    text = text.replace("        goto: goodbye_fear\n", "        goto: goodbye_feer\n", 1)
    text = text.replace('      - "Everyone leaves.', '      - ""\n      - "Everyone leaves.', 1)
    text = text.replace("expect: {ending: stays_talking", "expect: {ending: stays_talkin", 1)
    diags = diagnostics(text)
    assert [d.code for d in diags] == ["E102", "E202", "E105", "E202"]
    assert [(d.line, d.col) for d in diags] == [pos_of(text, "titel"), pos_of(text, "goodbye_feer"),
                                                 pos_of(text, '""'), pos_of(text, "stays_talkin,")]
