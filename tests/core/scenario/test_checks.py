"""Suggestions and checks that tell an instructor what they meant and how to fix it (issue 13).

Every message is checked whole, with its position: the wording is what the instructor reads.
"""

from __future__ import annotations

import pytest

from roleplay.core.scenario.loader import load_scenario, parse_scenario
from tests.conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text()


def pos_of(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(nth):
        i = text.index(needle, i + 1)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def variant(old: str, new: str) -> str:
    assert TINY.count(old) == 1, old
    return TINY.replace(old, new)


def messages(text: str) -> list[tuple[str, tuple[int, int], str]]:
    _, diags = parse_scenario(text, "s.yaml")
    return [(d.code, (d.line, d.col), d.message) for d in diags]


# --- label names -------------------------------------------------------------------------------

@pytest.mark.parametrize("written, label", [("empathetic", "empathic"), ("judgemental", "judgmental"),
                                            ("sympathic", "sympathetic")])
def test_known_spellings_of_a_label_are_read_as_it_with_a_warning(written, label):
    text = variant("      - on: judgmental\n        goto: hung_up",
                   f"      - on: {written}\n        goto: hung_up")
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    assert [(d.severity, d.code, (d.line, d.col), d.message) for d in diags] == [
        ("warning", "W105", pos_of(text, written),
         f"{written!r} is read as the label {label}: write {label} to silence this warning")]
    assert scenario.nodes["deeper"].branches[1].on == (label,)


def test_a_known_spelling_as_an_exemplar_key_and_in_test_labels():
    text = variant("      judgmental: [\"You should have told us sooner.\"]",
                   "      judgemental: [\"You should have told us sooner.\"]")
    text = text.replace("labels: [judgmental, judgmental]", "labels: [judgemental, judgmental]")
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    assert [(d.code, (d.line, d.col)) for d in diags] == [("W105", pos_of(text, "judgemental:")),
                                                          ("W105", pos_of(text, "judgemental,"))]
    assert scenario.nodes["deeper"].exemplars["judgmental"] == ("You should have told us sooner.",)
    assert scenario.tests[1].labels == ("judgmental", "judgmental")


def test_an_unknown_label_gets_the_label_it_meant():
    text = variant("      - on: empathic\n        if:", "      - on: empathc\n        if:")
    assert messages(text) == [("E105", pos_of(text, "empathc"),
                               "`on` in turn 'deeper', branch 1 must be a label (empathic, sympathetic, judgmental, "
                               "neutral, default), not 'empathc' (did you mean \"empathic\"?)")]


# --- conditions and test expectations ------------------------------------------------------------

@pytest.mark.parametrize("written, meant", [("trust =< 35", "trust <= 35"), ("trust => 35", "trust >= 35"),
                                            ("trust = 35", "trust == 35"), ("trust < 35 && opened_up", "trust < 35 and opened_up")])
def test_a_condition_with_a_common_slip_gets_a_did_you_mean(written, meant):
    text = variant('if: "trust < 35"', f'if: "{written}"')
    assert messages(text) == [("E304", pos_of(text, f'"{written}"'),
                               f"cannot read the condition {written!r} in turn 'hello', branch 2 "
                               f'(did you mean "{meant}"?)')]


def test_a_misspelt_variable_in_a_condition():
    text = variant('if: "trust < 35"', 'if: "trsut < 35"')
    assert messages(text) == [("E301", pos_of(text, '"trsut'), "condition in turn 'hello', branch 2 uses "
                               "undeclared variable 'trsut' (did you mean \"trust\"?)")]


def test_a_label_written_as_a_condition():
    text = variant('if: "trust < 35"', 'if: "judgmental"')
    assert messages(text) == [("E301", pos_of(text, '"judgmental"'), "condition in turn 'hello', branch 2 uses "
                               "'judgmental', which is a label, not a state variable (labels go in `on:`; `if:` "
                               "tests the state)")]


@pytest.mark.parametrize("written", ["yes", "no", "true", "on"])
def test_a_yaml_boolean_as_a_condition(written):
    text = variant('if: "trust < 35"', f"if: {written}")
    value = "false" if written == "no" else "true"
    assert messages(text) == [("E104", pos_of(text, f"if: {written}")[:1] + (pos_of(text, f"if: {written}")[1] + 4,),
                               f"if in turn 'hello', branch 2 is not a condition: YAML reads {written} as {value}. "
                               "Write a condition on a state variable, in quotes, such as \"trust >= 60\" or "
                               "\"disclosed\" (or remove the `if:` to take the branch whatever the state)")]


def test_a_test_expectation_with_an_operator_slip():
    text = variant('state: {trust: ">= 60"}', 'state: {trust: "=> 60"}')
    assert messages(text) == [("E304", pos_of(text, '"=> 60"'),
                               "test 'warm' cannot read the expected trust '=> 60' (did you mean \">= 60\"?)")]


def test_a_test_expectation_on_a_misspelt_variable_or_ending():
    text = variant('state: {trust: ">= 60"}', 'state: {trsut: ">= 60"}')
    assert messages(text) == [("E301", pos_of(text, "trsut"),
                               "test 'warm' checks undeclared variable 'trsut' (did you mean \"trust\"?)")]
    text = variant("expect: {ending: hung_up}", "expect: {ending: hung_upp}")
    assert messages(text) == [("E202", pos_of(text, "hung_upp"),
                               "test 'cold' expects ending 'hung_upp', which does not exist (did you mean \"hung_up\"?)")]
    text = variant("expect: {ending: hung_up}", "expect: {ending: deeper}")
    assert messages(text) == [("E202", pos_of(text, "deeper}"),
                               "test 'cold' expects ending 'deeper', which is a client turn, not an ending")]


# --- values --------------------------------------------------------------------------------------

def test_quoted_numbers_say_remove_the_quotes():
    text = variant("effects: {trust: -10}", 'effects: {trust: "-10"}')
    assert messages(text) == [("E104", pos_of(text, '"-10"'), "effect in turn 'hello', branch 3 on 'trust' must be "
                               'a whole number such as +10 or -5, not the text "-10": remove the quotes')]
    text = variant("age: 41", 'age: "41"')
    assert messages(text) == [("E104", pos_of(text, '"41"'),
                               'persona.age must be a whole number, not the text "41": remove the quotes')]
    text = variant("start: 40", 'start: "40"')
    assert messages(text) == [("E305", pos_of(text, '"40"'), "start in state variable 'trust' must be a whole "
                               'number from 0 to 100, not the text "40": remove the quotes')]


def test_a_yaml_boolean_where_text_belongs():
    text = variant('      - "I know, I know. I missed it."', "      - No")
    assert messages(text) == [("E104", pos_of(text, "No\n"), "line 2 in turn 'hello' must be text, but YAML reads "
                               'No as false: put it in quotes ("No") to keep the word')]


def test_the_scenario_id_must_be_lower_snake_case():
    text = variant("id: tiny", "id: Foster Placement")
    assert messages(text) == [("E105", pos_of(text, "Foster"), "id 'Foster Placement' must be lower_snake_case "
                               "(small letters, digits and _): write foster_placement")]


@pytest.mark.parametrize("new, code, after", [('      - ""', "E105", 2), ("      -", "E104", 0)])
def test_an_empty_client_line_is_refused(new, code, after):
    text = variant('      - "I know, I know. I missed it."', new)
    line, col = pos_of(text, new + "\n")
    assert messages(text) == [(code, (line, col + len(new) - after),
                               "line 2 in turn 'hello' is empty: write the text, or remove it")]


def test_an_empty_key_says_write_it_or_remove_it():
    text = variant('    cue: "*sighs*"', "    cue:")
    assert messages(text) == [("E104", pos_of(text, "cue:")[:1] + (pos_of(text, "cue:")[1] + 4,),
                               "cue in turn 'hello' is empty: write the text, or remove the key")]
    text = variant("    thought: He expects to be told off.", '    thought: ""')
    assert messages(text) == [("E105", pos_of(text, '""'), "thought in turn 'hello' is empty: write the text")]


def test_an_unknown_rubric_is_refused_at_validate(tmp_path):
    text = variant("minutes: 3", "minutes: 3\nrubric: gentle")
    assert messages(text) == [("E107", pos_of(text, "gentle"), "there is no rubric called 'gentle': use a built-in "
                               "rubric (default) or the path of a rubric file, relative to this scenario")]
    path = variant("minutes: 3", "minutes: 3\nrubric: rubrics/gentle.yaml")
    assert messages(path) == [("E107", pos_of(path, "rubrics/"), "there is no rubric file 'rubrics/gentle.yaml' "
                               "(a rubric path is relative to this scenario's folder)")]
    # A rubric file next to the scenario is found, as the scorer finds it.
    (tmp_path / "gentle.yaml").write_text("rubric: stand-in\n")
    (tmp_path / "s.yaml").write_text(text.replace("rubric: gentle", "rubric: gentle.yaml"))
    scenario, diags = load_scenario(tmp_path / "s.yaml")
    assert scenario is not None and diags == []


def test_a_test_with_both_labels_and_replies_is_refused():
    text = variant("    labels: [judgmental, judgmental]\n", "    labels: [judgmental, judgmental]\n"
                   "    replies: [\"You should know better.\"]\n")
    assert messages(text) == [("E106", pos_of(text, "replies:"), "test 'cold' has both `labels` and `replies`: keep "
                               "one (labels are fed straight to the engine, replies are scored first)")]


# --- locations -------------------------------------------------------------------------------------

def test_a_missing_key_is_located_by_the_turn_id():
    text = variant("    thought: He wants someone to notice how much he carries.\n", "")
    assert messages(text) == [("E103", pos_of(text, "id: deeper")[:1] + (pos_of(text, "id: deeper")[1],),
                               "turn 'deeper' is missing the required key 'thought'")]


def test_a_misspelt_top_level_key_names_its_place():
    text = variant("title: A short check-in", "titel: A short check-in")
    assert messages(text) == [("E102", pos_of(text, "titel"),
                               "unknown key 'titel' at the top of the file (did you mean \"title\"?)")]


def test_a_wrong_value_in_a_branch_names_the_turn_and_the_branch():
    text = variant("        goto: maybe_later", "        goto: maybe_latr")
    assert messages(text) == [("E202", pos_of(text, "maybe_latr"), "branch target 'maybe_latr' in turn 'deeper', "
                               "branch 3 does not exist (did you mean \"maybe_later\"?)")]
    text = variant("    outcome: mixed", "    outcome: mixd")
    assert messages(text) == [("E105", pos_of(text, "mixd"), "outcome in ending 'maybe_later' must be one of "
                               "positive, mixed, negative, not 'mixd' (did you mean \"mixed\"?)")]


def test_a_branch_warning_names_the_branch_and_its_turn():
    text = variant("        effects: {trust: +1}\n        reason: polite\n", "        effects: {trust: +1}\n")
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    assert [(d.code, (d.line, d.col), d.message) for d in diags] == [
        ("W101", pos_of(text, "on: default"), "branch 4 of turn 'hello' changes state but gives no `reason` for the "
                                             "student to see")]
