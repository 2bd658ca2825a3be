"""`roleplay lint`: validate's diagnostics plus the L2xx checks, each at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.assessment import Assessment
from roleplay.core.authoring.lint import CODES, lint_file, lint_source
from tests.conftest import FIXTURES

TOOLKIT = FIXTURES / "toolkit"
TINY = (FIXTURES / "tiny.yaml").read_text()


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


def at(result, code: str) -> tuple[int, int]:
    found = [d for d in result.diagnostics if d.code == code]
    assert found, f"expected {code}, got {[str(d) for d in result.diagnostics]}"
    return found[0].line, found[0].col


def pos_of(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


@pytest.fixture(scope="module")
def problems():
    return lint_file(TOOLKIT / "lint_problems.yaml")


@pytest.fixture(scope="module")
def problems_text():
    return (TOOLKIT / "lint_problems.yaml").read_text()


def test_every_code_is_documented():
    import re

    assert all(code.startswith("L2") for code in CODES)
    root = Path(__file__).resolve().parents[3]
    text = (root / "docs" / "authoring.md").read_text()
    used = set(CODES)
    for name in ("io/yamlload", "scenario/shape", "scenario/loader", "scenario/catalog", "scenario/state_rules",
                 "scenario/label_spelling"):
        used |= set(re.findall(r'"([EW]\d{3})"', (root / "src" / "roleplay" / "core" / f"{name}.py").read_text()))
    missing = sorted(c for c in used if f"| {c} |" not in text)
    assert missing == [], f"docs/authoring.md does not explain {missing}"


def test_the_problem_fixture_is_valid_but_full_of_warnings(problems):
    assert problems.scenario is not None
    assert problems.errors == 0
    assert all(d.severity == "warning" for d in problems.diagnostics)
    assert all(str(d).startswith(f"{problems.path}:{d.line}:{d.col}: warning[L") for d in problems.diagnostics)


def test_l201_ending_only_behind_an_impossible_condition(problems, problems_text):
    assert at(problems, "L201") == pos_of(problems_text, "grateful\n    title")
    msg = next(d.message for d in problems.diagnostics if d.code == "L201")
    assert "'grateful'" in msg and "'never_here' is never reached" in msg


def test_l202_branch_never_taken_says_why(problems, problems_text):
    found = [d for d in problems.diagnostics if d.code == "L202"]
    assert (found[0].line, found[0].col) == pos_of(problems_text, 'on: empathic\n        if: "trust >= 90"')
    assert "`trust >= 90` never holds here (trust is 30..50 at this turn)" in found[0].message
    assert "`trust > 80` never holds here" in found[1].message


def test_l203_turn_only_behind_an_impossible_condition(problems, problems_text):
    assert at(problems, "L203") == pos_of(problems_text, "never_here\n    lines")
    msg = next(d.message for d in problems.diagnostics if d.code == "L203")
    assert "from 'second' it needs `trust >= 90`, but trust is 30..50 there" in msg


def test_l204_endless_loop():
    r = lint_file(TOOLKIT / "loops.yaml")
    d = next(d for d in r.diagnostics if d.code == "L204")
    assert "ask -> again -> ask" in d.message and "trust 0" in d.message
    assert "W103" in codes(r)  # the graph-only check from validate is still there


def test_a_loop_that_state_always_leaves_is_fine():
    # a -> b -> a, but trust keeps rising, and at 60 the loop exits: no state repeats.
    text = (TOOLKIT / "loops.yaml").read_text().replace(
        "      - on: default\n        goto: ask\n        effects: {trust: -5}",
        "      - on: default\n        if: \"trust >= 60\"\n        goto: heard\n"
        "      - on: default\n        goto: ask\n        effects: {trust: +5}").replace(
        "        goto: again\n        effects: {trust: -5}", "        goto: again\n        effects: {trust: +5}")
    r = lint_source(text, "loops.yaml")
    assert r.scenario is not None, [str(d) for d in r.diagnostics]
    assert "W103" in codes(r) and "L204" not in codes(r)


def test_l205_longest_play_with_state():
    from roleplay.core.authoring.synthetic import synthetic_scenario

    r = lint_source(synthetic_scenario(20), "s.yaml")
    # W104 (graph) already says it; the state-aware L205 is only for graphs with loops.
    assert "W104" in codes(r) and "L205" not in codes(r)


def test_l209_when_the_search_hits_its_bound():
    r = lint_source(TINY, "tiny.yaml", max_states=1)
    assert "L209" in codes(r)
    assert not {"L201", "L202", "L203"} & set(codes(r))


def test_l210_missing_exemplar_label(problems, problems_text):
    assert at(problems, "L210") == pos_of(problems_text, "empathic: [\"You missed him")
    assert "no exemplar for neutral" in next(d.message for d in problems.diagnostics if d.code == "L210")



def test_exemplars_under_another_spelling_of_a_label_count_as_that_label():
    text = TINY.replace('      judgmental: ["You should have told us sooner."]',
                        '      judgemental: ["You should have told us sooner."]')
    r = lint_source(text, "s.yaml")
    assert r.scenario is not None
    assert "W105" in codes(r) and "L210" not in codes(r)

def test_l211_same_exemplar_under_two_labels(problems, problems_text):
    line, col = pos_of(problems_text, "judgmental: [\"I'm so sorry")
    assert at(problems, "L211") == (line, col + len("judgmental: ["))  # the second one


def test_l230_l231_overlong_text(problems, problems_text):
    assert at(problems, "L230") == pos_of(problems_text, '"He died at six.')
    assert at(problems, "L231") == pos_of(problems_text, '"It sounds like everything has stopped')
    assert "423 characters" in next(d.message for d in problems.diagnostics if d.code == "L230")


def test_l232_overlong_model_reply():
    text = TINY.replace('model_reply: "You\'ve been holding a lot on your own."',
                        f'model_reply: "{"You have been holding a lot. " * 20}"')
    r = lint_source(text, "tiny.yaml")
    assert at(r, "L232")[0] == pos_of(text, "model_reply: \"You have been")[0]


def test_l240_content_note_none_but_sensitive(problems, problems_text):
    assert at(problems, "L240") == pos_of(problems_text, "none\nstate")
    assert "died" in next(d.message for d in problems.diagnostics if d.code == "L240")


def test_l240_not_when_the_note_says_something():
    text = TINY.replace("content_note: none", "content_note: A parent in hospital.").replace(
        "in and out of hospital", "in hospital, dying")
    assert "L240" not in codes(lint_source(text, "t.yaml"))
    assert "L240" in codes(lint_source(TINY.replace("in and out of hospital", "dying"), "t.yaml"))


def test_l250_placeholder(problems, problems_text):
    assert at(problems, "L250") == pos_of(problems_text, "Alex's father died this morning")


def test_l260_no_tests(problems):
    assert "L260" in codes(problems)
    assert "L260" not in codes(lint_source(TINY, "tiny.yaml"))


def test_validate_diagnostics_are_included_and_broken_files_stop_there():
    r = lint_file(TOOLKIT / "broken_shape.yaml")
    assert r.scenario is None and r.errors >= 3
    assert {"E102", "E202"} <= set(codes(r))
    # `thougth` is one mistake: an unknown key that meant `thought`, not also a missing `thought`
    assert "E103" not in codes(r)
    assert any('did you mean "thought"' in d.message for d in r.diagnostics if d.code == "E102")
    assert not any(c.startswith("L") for c in codes(r))
    r = lint_file(TOOLKIT / "broken_yaml.yaml")
    assert codes(r) == ["E001"] and (r.diagnostics[0].line, r.diagnostics[0].col) == (2, 8)
    r = lint_file(TOOLKIT / "no_such_file.yaml")
    assert codes(r) == ["E011"]


def test_tiny_is_clean_apart_from_its_dead_branch():
    r = lint_source(TINY, "tiny.yaml")
    assert codes(r) == ["L202"]  # `judgmental if trust < 35` at hello: trust starts at 40


# --- the scorer checks (L220, L221) -------------------------------------------------------------

class KeywordScorer:
    """Says sympathetic for 'sorry' or 'worry', judgmental for 'should'/'need to', empathic for
    'sounds'/'carry', else neutral; records the contexts it was given."""

    def __init__(self):
        self.contexts = []

    def assess(self, reply, context):
        self.contexts.append((reply, context))
        low = reply.lower()
        if "sorry" in low or "worry" in low:
            label, kinds = "sympathetic", ("pity",)
        elif "should" in low or "need to" in low:
            label, kinds = "judgmental", ("moralising",)
        elif "sounds" in low or "carry" in low or "holding" in low:
            label, kinds = "empathic", ("reflection",)
        else:
            label, kinds = "neutral", ()
        return Assessment(label, 0.8, {label: 1.0}, kinds)


def test_l220_exemplar_the_scorer_labels_differently():
    text = TINY.replace('empathic: ["That\'s a lot to carry at once."]',
                        'empathic: ["That\'s a lot to carry at once.", "I\'m sorry, that is a lot."]')
    r = lint_source(text, "tiny.yaml", KeywordScorer())
    found = [d for d in r.diagnostics if d.code == "L220" and "the author says empathic" in d.message]
    assert len(found) == 1
    d = found[0]
    assert (d.line, d.col) == pos_of(text, '"I\'m sorry, that is a lot."')
    assert d.severity == "info"  # information: in play the author's label stands
    assert "the model alone says sympathetic (pity), the author says empathic" in d.message
    assert "in play, this exemplar and near paraphrases are labelled empathic" in d.message
    assert '"I\'m sorry, that is a lot."' in d.message


def test_l220_leaves_the_exemplar_itself_out_of_the_context():
    scorer = KeywordScorer()
    lint_source(TINY, "tiny.yaml", scorer)
    first: dict[str, object] = {}
    for reply, ctx in scorer.contexts:
        first.setdefault(reply, ctx)
    assert len(first) == 10  # 8 exemplars and 2 model replies
    for reply, ctx in first.items():
        assert all(reply not in texts for texts in ctx.exemplars.values())
        assert ctx.model_reply != reply


def test_l220_says_when_even_the_verbatim_exemplar_is_labelled_differently():
    text = TINY.replace('empathic: ["That\'s a lot to carry at once."]',
                        'empathic: ["That\'s a lot to carry at once.", "I\'m sorry, that is a lot."]')
    r = lint_source(text, "tiny.yaml", KeywordScorer())
    d = next(d for d in r.diagnostics if d.code == "L220" and "sorry, that" in d.message)
    assert "; even typed word for word it is labelled sympathetic (in play" in d.message
    assert any("the rubric agrees with" in n and "of 9 exemplars" in n for n in r.notes)


def test_l221_model_reply_not_empathic():
    text = TINY.replace('model_reply: "You\'ve been holding a lot on your own."',
                        'model_reply: "You should rest more."')
    r = lint_source(text, "tiny.yaml", KeywordScorer())
    d = next(d for d in r.diagnostics if d.code == "L221")
    assert d.line == pos_of(text, "model_reply: \"You should")[0]
    assert "labelled judgmental" in d.message


def test_l229_a_failing_scorer_is_reported_not_raised():
    class Broken:
        def assess(self, reply, context):
            raise RuntimeError("boom")

    r = lint_source(TINY, "tiny.yaml", Broken())
    assert "L229" in codes(r) and "boom" in str(r.diagnostics[-1]) + " ".join(map(str, r.diagnostics))


def test_without_a_scorer_the_checks_are_skipped_with_a_note():
    r = lint_source(TINY, "tiny.yaml", None)
    assert not {"L220", "L221"} & set(codes(r))
    assert any("scorer" in n for n in r.notes)


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[3] / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_builtins_lint_without_errors(path):
    r = lint_file(path)
    assert r.scenario is not None and r.errors == 0, [str(d) for d in r.diagnostics]


def test_l202_branch_shadowed_by_one_above():
    text = TINY.replace('''      - on: judgmental
        if: "trust < 35"''', '''      - on: empathic
        if: "trust >= 10"
        goto: hung_up
      - on: judgmental
        if: "trust < 35"''')
    r = lint_source(text, "tiny.yaml")
    d = next(d for d in r.diagnostics if d.code == "L202" and "empathic if trust >= 10" in d.message)
    assert d.message.endswith("is never taken: branch 1 above always takes empathic first")
    assert d.line == pos_of(text, '- on: empathic\n        if: "trust >= 10"')[0]
