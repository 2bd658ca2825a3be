"""The scenario validator: one test per diagnostic code, with the line and column it reports."""

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


def variant(old: str, new: str, nth: int = 1) -> str:
    assert TINY.count(old) >= nth, old
    parts = TINY.split(old)
    return old.join(parts[:nth]) + new + old.join(parts[nth:])


def only(diags, code):
    found = [d for d in diags if d.code == code]
    assert found, f"expected {code}, got {[str(d) for d in diags]}"
    return found[0]


def check(text: str, code: str, at: tuple[int, int]):
    scenario, diags = parse_scenario(text, "s.yaml")
    d = only(diags, code)
    assert (d.line, d.col) == at, str(d)
    assert str(d).startswith(f"s.yaml:{at[0]}:{at[1]}: ")
    return scenario, d


def test_tiny_fixture_is_valid():
    scenario, diags = parse_scenario(TINY, "tiny.yaml")
    assert diags == []
    assert scenario is not None and scenario.start == "hello"
    assert set(scenario.endings) == {"rebooked", "maybe_later", "hung_up"}


def test_e001_yaml_syntax_points_at_the_unclosed_quote():
    text = TINY + 'summary: "Sam is\n  tired\n'
    _, d = check(text, "E001", pos_of(text, '"Sam is'))
    assert d.message == 'the quote (") that opens here is never closed: add the closing " at the end of the text'
    assert d.detail.startswith("YAML parser: while scanning a quoted scalar")


def test_e001_tabs_are_explained():
    text = variant("  name: Sam Ortiz", "\tname: Sam Ortiz")
    _, d = check(text, "E001", pos_of(text, "\tname"))
    assert "tab" in d.message


def test_e002_non_utf8_bytes():
    data = TINY.encode().replace(b"Sam Ortiz", b"Sam \xff\xfe")
    _, diags = parse_scenario(data, "s.yaml")
    d = only(diags, "E002")
    assert (d.line, d.col) == pos_of(TINY, "Sam Ortiz")[0:1] + (pos_of(TINY, "Sam Ortiz")[1] + 4,)


def test_e003_complex_key():
    text = variant("title: A short check-in", "? [a, b]\n: x\ntitle: A short check-in")
    check(text, "E003", pos_of(text, "[a, b]"))


def test_e004_duplicate_key():
    text = variant("minutes: 3\n", "minutes: 3\nminutes: 4\n")
    _, d = check(text, "E004", pos_of(text, "minutes: 4"))
    assert d.message == "the key 'minutes' appears twice here (first on line 4): keep one of them, or check the indentation"


def test_e005_python_tag_is_refused():
    text = variant("title: A short check-in", "title: !!python/object/apply:os.system ['echo hi']")
    _, d = check(text, "E005", pos_of(text, "!!python"))
    assert "not allowed" in d.message


def test_e006_alias_bomb():
    bomb = "lol: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for name in "bcdefg":
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    text = "bomb:\n" + "".join("  " + line + "\n" for line in bomb.splitlines()) + TINY
    _, diags = parse_scenario(text, "s.yaml")
    assert only(diags, "E006").line >= 1


def test_e007_nesting_too_deep():
    text = "deep: " + "[" * 200 + "]" * 200 + "\n" + TINY
    _, diags = parse_scenario(text, "s.yaml")
    assert only(diags, "E007")


def test_e008_absurdly_long_string():
    text = variant("title: A short check-in", "title: " + "a" * 50_000)
    check(text, "E008", pos_of(text, "aaaa"))


def test_e009_file_too_large(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(TINY + "# " + "x" * 17_000_000 + "\n")
    scenario, diags = load_scenario(big)
    assert scenario is None and only(diags, "E009")


def test_e010_empty_file():
    check("", "E010", (1, 1))
    check("# only a comment\n", "E010", (1, 1))


def test_e011_missing_file(tmp_path):
    scenario, diags = load_scenario(tmp_path / "nope.yaml")
    assert scenario is None and only(diags, "E011")


def test_e101_list_at_top_level():
    check("- a\n- b\n", "E101", (1, 1))


def test_e102_unknown_key_suggests_the_right_one():
    text = variant("  pronouns: he/him", "  pronoun: he/him")
    _, d = check(text, "E102", pos_of(text, "pronoun:"))
    assert 'did you mean "pronouns"' in d.message


def test_e103_missing_required_key():
    text = variant("  briefing: Sam missed his last appointment. Call to check in.\n", "")
    _, d = check(text, "E103", pos_of(text, "name: Sam"))
    assert "briefing" in d.message


def test_e104_wrong_type():
    text = variant("age: 41", "age: forty-one")
    _, d = check(text, "E104", pos_of(text, "forty-one"))
    assert "whole number" in d.message


def test_e105_bad_enum_value_with_suggestion():
    text = variant("outcome: positive", "outcome: postive")
    _, d = check(text, "E105", pos_of(text, "postive"))
    assert 'did you mean "positive"' in d.message


def test_e201_duplicate_id():
    text = variant("  - id: maybe_later", "  - id: hung_up\n    title: again\n    outcome: mixed\n"
                   "    debrief: x\n  - id: maybe_later")
    line, col = pos_of(text, "- id: hung_up", 2)
    _, d = check(text, "E201", (line, col + len("- id: ")))
    assert "duplicate id 'hung_up'" in d.message


def test_e202_unknown_target_suggests_the_right_one():
    text = variant("goto: maybe_later", "goto: maybe_latr")
    _, d = check(text, "E202", pos_of(text, "maybe_latr"))
    assert 'did you mean "maybe_later"' in d.message


def test_e203_start_not_a_node():
    text = variant("start: hello", "start: helo")
    _, d = check(text, "E203", pos_of(text, "helo"))
    assert 'did you mean "hello"' in d.message


def test_e204_unreachable_node():
    extra = ("  - id: orphan\n    lines: [\"Nobody gets here.\"]\n    thought: t\n    model_reply: m\n"
             "    exemplars: {empathic: [a], sympathetic: [b], judgmental: [c], neutral: [d]}\n"
             "    branches:\n      - on: default\n        goto: rebooked\nendings:")
    text = variant("endings:", extra)
    _, d = check(text, "E204", pos_of(text, "orphan"))
    assert "cannot be reached" in d.message


def test_e205_no_ending_reachable():
    loop = ("  - id: circle\n    lines: [\"Round and round.\"]\n    thought: t\n    model_reply: m\n"
            "    exemplars: {empathic: [a], sympathetic: [b], judgmental: [c], neutral: [d]}\n"
            "    branches:\n      - on: default\n        goto: circle\nendings:")
    text = variant("endings:", loop)
    text = text.replace("      - on: default\n        goto: maybe_later",
                        "      - on: default\n        goto: circle")
    line, col = pos_of(text, "- id: circle")
    _, d = check(text, "E205", (line, col + len("- id: ")))
    assert "no ending can be reached" in d.message


def test_e206_label_without_branch_or_default():
    text = variant("      - on: default\n        goto: maybe_later", "      - on: neutral\n        goto: maybe_later")
    _, d = check(text, "E206", pos_of(text, "branches:", 2))
    assert "sympathetic" in d.message


def test_e301_undeclared_variable_suggests_the_right_one():
    text = variant("effects: {trust: +10, opened_up: true}", "effects: {trust: +10, opend_up: true}")
    _, d = check(text, "E301", pos_of(text, "opend_up"))
    assert 'did you mean "opened_up"' in d.message


def test_e302_effect_outside_range():
    text = variant("effects: {trust: -20}", "effects: {trust: -250}")
    _, d = check(text, "E302", pos_of(text, "-250"))
    assert "outside" in d.message


def test_e303_condition_outside_range():
    text = variant('if: "trust >= 45"', 'if: "trust >= 450"')
    _, d = check(text, "E303", pos_of(text, '"trust >= 450"'))


def test_e304_condition_syntax():
    text = variant('if: "trust >= 45"', 'if: "trust is high"')
    _, d = check(text, "E304", pos_of(text, '"trust is high"'))
    assert "VARIABLE OP VALUE" in d.message


def test_e305_start_value_outside_range():
    text = variant("start: 40", "start: 140")
    check(text, "E305", pos_of(text, "140"))


def test_e306_trust_is_required():
    text = variant("  trust:\n    type: int\n    min: 0\n    max: 100\n    start: 40\n", "")
    text = text.replace("trust", "patience")
    _, d = check(text, "E306", pos_of(text, "opened_up"))


def test_w101_effect_without_reason():
    text = variant("        effects: {trust: +1}\n        reason: polite\n", "        effects: {trust: +1}\n")
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    d = only(diags, "W101")
    assert (d.line, d.col) == pos_of(text, "on: default")
    assert str(d).startswith(f"s.yaml:{d.line}:{d.col}: warning[W101]")


def test_w102_unreachable_ending():
    text = variant("endings:\n", "endings:\n  - id: never\n    title: Never\n    outcome: mixed\n    debrief: x\n")
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    d = only(diags, "W102")
    assert d.line == pos_of(text, "- id: never")[0]


def test_w103_loop_and_w104_too_long():
    # A chain of 16 turns: every path needs 17 replies.
    nodes = []
    for i in range(17):
        nxt = f"n{i + 1}" if i < 16 else "rebooked"
        nodes.append(f"  - id: n{i}\n    lines: [\"line {i}\"]\n    thought: t\n    model_reply: m\n"
                     "    exemplars: {empathic: [a], sympathetic: [b], judgmental: [c], neutral: [d]}\n"
                     f"    branches:\n      - on: default\n        goto: {nxt}\n")
    head = TINY.split("nodes:")[0].replace("start: hello", "start: n0")
    text = head + "nodes:\n" + "".join(nodes) + "endings:" + TINY.split("endings:")[1].split("tests:")[0]
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is not None
    d = only(diags, "W104")
    assert (d.line, d.col) == pos_of(text, "n0", 1)
    looped = text.replace("goto: n5", "goto: n2")
    _, diags = parse_scenario(looped, "s.yaml")
    assert only(diags, "W103")


@pytest.mark.parametrize("junk", [
    b"", b"   \n\n", b"- a\n- b\n", b"\tname: x\n", b'title: "unclosed\n', b"\x00\x01\x02\xff\xfe binary",
    b"just a string", b"42", b"null", b"{", b"[[[", b"a: b: c", b"persona: [1, 2]\nnodes: 7\n",
    b"id: x\ntitle: y\npersona: {}\nstate: {trust: 5}\nstart: 3\nnodes: [1]\nendings: [[]]\n",
    b"nodes:\n  - id: a\n    branches:\n      - on: [1, {x: y}]\n        goto: [b]\n",
    b"state:\n  trust: {type: int, min: x, max: [], start: {}}\n",
    b"tests:\n  - expect: 5\n", "\ufeffid: caf\u00e9\n".encode(),
])
def test_broken_files_never_raise(junk, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(junk)
    scenario, diags = load_scenario(path)
    assert scenario is None
    assert diags and all(d.is_error or d.severity == "warning" for d in diags)
    assert all(str(d).startswith(f"{path}:") for d in diags)
