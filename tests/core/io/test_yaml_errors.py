"""YAML mistakes an instructor makes, told in plain words with the fix, at the place to fix.

Each case damages the tiny fixture the way a person would, and checks the whole message, where it
points, and that the parser's own words follow as a second line for experts.
"""

from __future__ import annotations

import pytest

from roleplay.core.scenario.loader import parse_scenario
from tests.conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text()


def pos_of(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(nth):
        i = text.index(needle, i + 1)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def line_of(text: str, needle: str) -> int:
    return pos_of(text, needle)[0]


def damaged(old: str, new: str) -> str:
    assert TINY.count(old) == 1, old
    return TINY.replace(old, new)


def only_error(text: str):
    scenario, diags = parse_scenario(text, "s.yaml")
    assert scenario is None
    assert len(diags) == 1, [str(d) for d in diags]
    return diags[0]


def at(d) -> tuple[int, int]:
    return (d.line, d.col)


def test_an_unclosed_quote_is_reported_at_the_opening_quote_not_a_line_late():
    text = damaged("  name: Sam Ortiz", '  name: "Sam Ortiz')
    d = only_error(text)
    assert d.code == "E001" and at(d) == pos_of(text, '"Sam Ortiz')
    next_quote = line_of(text, '"Yeah, I missed it')
    assert d.message == ('the quote (") that opens here is not closed on this line, so YAML reads on to the next " '
                         f'(line {next_quote}): add the closing " at the end of the text')
    # The parser's words, for experts, name the place it gave up: a line or more later.
    assert d.detail.startswith("YAML parser: while parsing a block mapping did not find expected key")
    assert str(d) == f"s.yaml:{d.line}:{d.col}: error[E001]: {d.message}\n    {d.detail}"


def test_an_unclosed_quote_in_a_list_of_lines():
    text = damaged('      - "I know, I know. I missed it."', '      - "I know, I know. I missed it.')
    d = only_error(text)
    assert at(d) == pos_of(text, '"I know, I know')
    assert d.message.startswith('the quote (") that opens here is not closed on this line, so YAML reads on to '
                                f'the next " (line {line_of(text, "cue:")})')


def test_an_unclosed_quote_at_the_end_of_the_file():
    text = damaged("    debrief: Sam felt judged and ended the call.\n",
                   "    debrief: Sam felt judged and ended the call.\n") + '    line: "Bye.\n'
    d = only_error(text)
    assert at(d) == pos_of(text, '"Bye.')
    assert d.message == 'the quote (") that opens here is never closed: add the closing " at the end of the text'


def test_an_apostrophe_inside_single_quotes():
    text = damaged("    thought: He expects to be told off.", "    thought: 'He doesn't expect much.'")
    d = only_error(text)
    line, col = pos_of(text, "doesn't")
    assert at(d) == (line, col + len("doesn"))  # the apostrophe itself
    assert d.message == ("the apostrophe in doesn't ends the text that the ' before it opened: put the text in "
                         "double quotes instead (\"He doesn't expect much.\"), or write the apostrophe twice "
                         "(doesn''t)")
    assert d.detail.startswith("YAML parser: ")


@pytest.mark.parametrize("old, new, spaces, ref, expected", [
    ("  age: 41", "   age: 41", 3, "  name: Sam Ortiz", 2),  # one space too many
    ("  age: 41", " age: 41", 1, "  name: Sam Ortiz", 2),  # one too few
    ("    thought: He expects", "   thought: He expects", 3, "    mood: tired", 4),
    ("        effects: {trust: +10, opened_up: true}", "          effects: {trust: +10, opened_up: true}",
     10, "        goto: deeper", 8),
    ("  - id: deeper", "   - id: deeper", 3, "  - id: hello", 2),  # a list item lines up with the items
])
def test_a_bad_indent_says_the_column_it_belongs_at(old, new, spaces, ref, expected):
    text = damaged(old, new)
    d = only_error(text)
    row = line_of(text, new)
    assert at(d) == (row, spaces + 1)
    ref_row = line_of(text, ref)
    shown = ref.strip()
    assert d.message == (f"this line is indented by {spaces} space{'s' if spaces > 1 else ''}, but it belongs with "
                         f"line {ref_row} ({shown}), indented by {expected}: indent it by {expected} spaces so the "
                         f"text starts in column {expected + 1}")


def test_a_tab():
    text = damaged("  age: 41", "\tage: 41")
    d = only_error(text)
    assert at(d) == pos_of(text, "\tage")
    assert d.message == ("this line is indented with a tab: YAML needs spaces. Replace the tab with spaces "
                         "(2 for each level)")
    assert "tab character" in d.detail


@pytest.mark.parametrize("new, fixed", [
    ("    cue: *kicks the bin bag*", 'cue: "*kicks the bin bag*"'),  # YAML: "found undefined alias"
    ("    cue: *sighs*", 'cue: "*sighs*"'),
])
def test_a_stage_direction_without_quotes(new, fixed):
    text = damaged('    cue: "*sighs*"', new)
    d = only_error(text)
    assert at(d) == pos_of(text, "*", 1)
    assert d.message == ("text that starts with * is read by YAML as a reference to another part of the file "
                         f"(an alias): put stage directions in quotes, like this: {fixed}")
    assert "alias" in d.detail


def test_a_line_starting_with_a_stage_direction():
    text = damaged('      - "I know, I know. I missed it."', "      - *shrugs* I know, I missed it.")
    d = only_error(text)
    assert at(d) == pos_of(text, "*shrugs*")
    assert d.message.endswith('put stage directions in quotes, like this: - "*shrugs* I know, I missed it."')


def test_a_colon_inside_text():
    text = damaged("    thought: He expects to be told off.", "    thought: He thinks: here we go.")
    d = only_error(text)
    assert at(d) == pos_of(text, ": here")
    assert d.message == ("this text has a colon followed by a space, which YAML reads as the start of a new key: "
                         'put the whole text in double quotes, like this: thought: "He thinks: here we go."')
    assert d.detail.startswith("YAML parser: mapping values are not allowed")


def test_a_colon_inside_a_line_of_the_list_reads_as_a_mapping():
    text = damaged('      - "I know, I know. I missed it."', "      - Look: I know I missed it.")
    d = only_error(text)
    assert (d.code, at(d)) == ("E104", pos_of(text, "Look:"))
    assert d.message == ("line 2 in turn 'hello' has a colon followed by a space, so YAML read it as a key and a "
                         'value: put the whole text in double quotes, like this: "Look: I know I missed it."')


def test_curly_quotes_from_a_word_processor():
    text = damaged('      - "I know, I know. I missed it."', "      - “Look: I know I missed it.”")
    d = only_error(text)
    assert (d.code, at(d)) == ("E104", pos_of(text, "“Look"))
    assert d.message == ("line 2 in turn 'hello' has a colon followed by a space, so YAML read it as a key and a "
                         "value: put the whole text in straight double quotes (curly quotes “ ” are not quotes "
                         'to YAML), like this: "Look: I know I missed it."')
    text = damaged("    thought: He expects to be told off.", "    thought: “He thinks: here we go.”")
    d = only_error(text)
    assert at(d) == pos_of(text, ": here")
    assert d.message == ("this text has a colon followed by a space, which YAML reads as the start of a new key: "
                         "put the whole text in double quotes (curly quotes “ ” are not quotes to YAML: use straight "
                         'ones), like this: thought: "He thinks: here we go."')


def test_a_duplicate_key():
    text = damaged("  age: 41\n", "  age: 41\n  age: 42\n")
    d = only_error(text)
    assert (d.code, at(d)) == ("E004", pos_of(text, "age: 42"))
    assert d.message == ("the key 'age' appears twice here (first on line "
                         f"{line_of(text, 'age: 41')}): keep one of them, or check the indentation")


def test_quotes_around_only_part_of_a_line():
    text = damaged('      - "I know, I know. I missed it."', '      - "Fine," he said.')
    d = only_error(text)
    assert at(d) == pos_of(text, '"Fine,"')
    assert d.message == ('the quotes close before the end of the text ("Fine," he said.): a text that starts with a '
                         "quote must end with it. To keep the inner quotes, put the whole text in single quotes "
                         "('\"Fine,\" he said.')")


@pytest.mark.parametrize("new, start, message", [
    ("    cue: [sighs] fine", "[sighs]",
     'text that starts with [ is read by YAML as a list, which must end with ]: if it is text, put it in quotes, '
     'like this: cue: "[sighs] fine"'),
    ("    cue: @home", "@home",
     "text cannot start with @ (YAML reads it as a reserved character): put the text in quotes, like this: "
     'cue: "@home"'),
])
def test_text_starting_with_a_reserved_character(new, start, message):
    text = damaged('    cue: "*sighs*"', new)
    d = only_error(text)
    assert (at(d), d.message) == (pos_of(text, start), message)


def test_a_mistake_the_explanations_do_not_know_still_gets_a_plain_message():
    d = only_error("id: x\n- title\n")
    assert d.code == "E001" and d.message.startswith("YAML cannot read the file here")
    assert d.detail.startswith("YAML parser: ")
