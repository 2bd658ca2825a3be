"""The richer scenario format (issues 12 and 13): reactions, sub-kind branches, lines with `if:`,
traps and `+N` / `= N` effects. Every message is checked whole, with its position."""

from __future__ import annotations

from roleplay.core.scenario.loader import parse_scenario
from tests.conftest import FIXTURES
from tests.core.scenario.test_checks import pos_of

RICH = (FIXTURES / "authoring" / "reactions.yaml").read_text()


def variant(old: str, new: str) -> str:
    assert RICH.count(old) == 1, old
    return RICH.replace(old, new)


def messages(text: str) -> list[tuple[str, tuple[int, int], str]]:
    _, diags = parse_scenario(text, "s.yaml")
    return [(d.code, (d.line, d.col), d.message) for d in diags]


def test_the_rich_fixture_reads_every_new_key():
    sc, diags = parse_scenario(RICH, "s.yaml")
    assert sc is not None and diags == []
    hello = sc.nodes["hello"]
    assert hello.trap is not None and hello.trap.when == "a promise of confidentiality"
    assert hello.branches[0].kinds == ("exploration",)
    assert hello.branches[0].reactions[0].text.startswith("What's it like?")
    assert hello.branches[2].kinds == ("logistics", "suggestion")
    assert hello.branches[2].assign == {"trust": 45} and hello.branches[2].effects == {"offered_call": True}
    deeper = sc.nodes["deeper"]
    assert [v.condition.text if v.condition else None for v in deeper.variants] == [None, "offered_call"]
    assert deeper.lines == tuple(v.text for v in deeper.variants)
    ending = sc.endings["rebooked"]
    assert ending.line_text == "Thursday, then. You'll ring? Good."  # the first line without `if:`
    assert ending.variants[0].requires is not None
    assert sc.tests[0].labels == ("empathic/exploration",) and sc.tests[0].expect_reaction == "like running for a bus"


def test_a_bare_number_effect_is_a_change_with_a_warning_and_the_fix():
    text = variant("effects: {trust: -5}", "effects: {trust: 5}")
    sc, diags = parse_scenario(text, "s.yaml")
    assert sc is not None and sc.nodes["hello"].branches[3].effects == {"trust": 5}
    assert [(d.severity, d.code, (d.line, d.col), d.message) for d in diags] == [
        ("warning", "W106", (pos_of(text, "trust: 5}")[0], pos_of(text, "trust: 5}")[1] + 7),
         "effect trust: 5 in turn 'hello', branch 4 is a bare number, read as a change: write trust: +5 to "
         "change trust by 5, or trust: \"= 5\" to set it to 5")]


def test_signed_numbers_change_and_equals_sets():
    text = variant("effects: {trust: -5}", "effects: {trust: +0}")
    assert messages(text) == []
    text = variant("effects: {trust: -5}", 'effects: {trust: "=  7"}')
    sc, diags = parse_scenario(text, "s.yaml")
    assert diags == [] and sc.nodes["hello"].branches[3].assign == {"trust": 7}


def test_a_value_set_outside_the_range_is_refused():
    text = variant("trust: = 45}", "trust: = 145}")
    assert messages(text) == [("E302", pos_of(text, "= 145"),
                               "effect trust: = 145 in turn 'hello', branch 3 sets a value outside the "
                               "variable's range (0..100)")]


def test_an_effect_that_is_neither_a_change_nor_a_value_says_how_to_write_both():
    text = variant("effects: {trust: -5}", "effects: {trust: lots}")
    assert messages(text) == [("E104", pos_of(text, "lots"),
                               "effect in turn 'hello', branch 4 on 'trust' must be a whole number such as +10 "
                               "or -5, or a new value such as \"= 10\", not 'lots'")]


def test_a_kind_of_another_label_is_refused_with_its_owner():
    text = variant("        kind: exploration\n", "        kind: blaming\n")
    assert messages(text) == [("E108", pos_of(text, "blaming"),
                               "`kind` in turn 'hello', branch 1: 'blaming' is a kind of judgmental, not of "
                               "empathic (kinds here: reflection, validation, exploration, presence)")]


def test_a_misspelt_kind_gets_a_suggestion():
    text = variant("        kind: exploration\n", "        kind: exploraton\n")
    assert messages(text) == [("E108", pos_of(text, "exploraton"),
                               "`kind` in turn 'hello', branch 1: 'exploraton' is not a sub-kind (did you mean "
                               "\"exploration\"?) (kinds here: reflection, validation, exploration, presence)")]


def test_a_test_label_with_a_wrong_kind_is_refused():
    text = variant("labels: [empathic/exploration]", "labels: [empathic/blaming]")
    assert messages(text) == [("E108", pos_of(text, "empathic/blaming"),
                               "`kind` in test 'an open question is answered before the story moves on': "
                               "'blaming' is a kind of judgmental, not of empathic (kinds here: reflection, "
                               "validation, exploration, presence)")]


def test_a_kind_branch_does_not_count_as_catching_its_label():
    text = variant("      - on: empathic\n        goto: deeper\n        effects: {trust: +5}",
                   "      - on: sympathetic\n        goto: deeper\n        effects: {trust: +5}")
    text = text.replace("      - on: default\n        goto: deeper\n        effects: {trust: -5}",
                        "      - on: judgmental\n        goto: deeper\n        effects: {trust: -5}")
    codes = [m[0] for m in messages(text)]
    assert codes == ["E206"]
    assert "no branch for empathic, neutral" in messages(text)[0][2]


def test_every_variant_with_if_is_refused_at_the_list():
    text = variant('      - "It\'s not just work. My mum\'s been in and out of hospital."\n',
                   '      - text: "It\'s not just work."\n        if: "trust > 50"\n')
    assert messages(text) == [("E110", pos_of(text, "- text: \"It's not just work.") [0:1] + (7,),
                               "every line in turn 'deeper' has an `if:`; give one line without `if:` for "
                               "when none holds")]


def test_a_line_variant_condition_is_checked_like_a_branch_condition():
    text = variant("        if: offered_call\n    thought", "        if: ofered_call\n    thought")
    assert messages(text) == [("E301", pos_of(text, "ofered_call"),
                               "condition in turn 'deeper', line 2 uses undeclared variable 'ofered_call' "
                               "(did you mean \"offered_call\"?)")]


def test_a_colon_in_a_plain_line_is_still_explained_as_text():
    text = variant('      - "It\'s not just work. My mum\'s been in and out of hospital."\n',
                   "      - Look: it's not just work.\n")
    (code, pos, msg), = messages(text)
    assert (code, pos) == ("E104", pos_of(text, "Look:"))
    assert msg.startswith("line 1 in turn 'deeper' has a colon followed by a space")


def test_a_trap_needs_cues_or_phrasings():
    text = variant("      cues: ['totally confidential', 'nobody (else )?will (ever )?(see|read)']\n"
                   "      phrasings: [\"whatever you tell me stays between us\"]\n", "")
    assert messages(text) == [("E103", pos_of(text, "when: a promise"),
                               "the trap in turn 'hello' needs `cues` (patterns) or `phrasings` (example "
                               "replies) to know when it is sprung")]


def test_a_trap_cue_that_could_take_for_ever_is_refused():
    text = variant("'totally confidential'", "'(a+)+b'")
    assert messages(text) == [("E109", pos_of(text, "'(a+)+b'"),
                               "the trap cue '(a+)+b' in turn 'hello' repeats a group that itself repeats "
                               "(like `(a+)+`), which can take for ever on a long reply: drop the inner + or *")]


def test_a_trap_cue_that_is_not_a_pattern_is_refused():
    text = variant("'totally confidential'", "'totally (confidential'")
    (code, pos, msg), = messages(text)
    assert (code, pos) == ("E109", pos_of(text, "'totally (confidential'"))
    assert msg.startswith("the trap cue 'totally (confidential' in turn 'hello' is not a pattern roleplay can read")


def test_the_builtins_carry_reactions_traps_and_new_effects():
    from roleplay.core.scenario.loader import load_scenario
    from roleplay.core.io.paths import builtin_dir

    for path in sorted(builtin_dir("scenarios").glob("*.yaml")):
        sc, diags = load_scenario(path)
        assert sc is not None and diags == [], path
        branches = [b for n in sc.nodes.values() for b in n.branches]
        assert any(b.reactions for b in branches) and any(b.kinds for b in branches), path
        assert any(n.trap for n in sc.nodes.values()) or any(b.trap for b in branches), path
        assert any(t.expect_reaction for t in sc.tests), path
        assert "W106" not in path.read_text()
