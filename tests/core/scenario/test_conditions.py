"""Conditions as authors write them: and, or, not and brackets, with the reason a branch was taken."""

import pytest

from roleplay.core.scenario.conditions import ConditionError, parse_condition

STATE = {"trust": 45, "disclosed": False, "walked_out": True}


@pytest.mark.parametrize("text,holds", [
    ("trust >= 40", True),
    ("trust < 30 and not disclosed", False),
    ("trust < 30 or not disclosed", True),
    ("(trust >= 60 or disclosed) and not walked_out", False),
    ("not (trust > 10 and walked_out)", False),
    ("walked_out or trust >= 90 and disclosed", True),   # and binds tighter than or
    ("(walked_out or trust >= 90) and disclosed", False),
    ("not not disclosed", False),
    ("disclosed", False),
    ("NOT disclosed AND trust == 45", True),
])
def test_and_or_not_and_brackets(text, holds):
    assert parse_condition(text).holds(STATE) is holds


def test_every_comparison_is_listed_for_the_variable_checks():
    c = parse_condition("(trust >= 60 or disclosed) and not walked_out")
    assert [str(p) for p in c.parts] == ["trust >= 60", "disclosed == true", "walked_out == false"]


def test_the_reason_names_only_the_alternatives_that_held():
    c = parse_condition("trust >= 40 or disclosed")
    assert c.explain(STATE) == "trust 45 >= 40"
    assert parse_condition("trust < 30 and not disclosed").explain({"trust": 20, "disclosed": False}) == \
        "trust 20 < 30 and disclosed false == false"


@pytest.mark.parametrize("text,message", [
    ("trust => 40", "cannot read condition 'trust => 40': write VARIABLE OP VALUE"),
    ("trust >= 40 and", "it ends where a comparison should be"),
    ("(trust >= 40", "a '(' is never closed"),
    ("trust >= 40)", "unexpected ')'"),
    ("or disclosed", "'or' comes where a comparison should be"),
    ("", "empty condition"),
    ("(" * 100 + "disclosed" + ")" * 100, "too deeply nested"),
    ("trust >= 1 and " * 400 + "disclosed", "keep it to one short line"),
])
def test_unreadable_conditions_say_what_to_write(text, message):
    with pytest.raises(ConditionError, match=None) as e:
        parse_condition(text)
    assert message in str(e.value)


def test_variables_named_like_the_words_are_still_variables():
    assert parse_condition("not_told and origin_known").holds({"not_told": True, "origin_known": True})
