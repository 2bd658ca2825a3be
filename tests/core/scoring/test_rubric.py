"""The rubric loader: positioned diagnostics, never a traceback, and the built-in rubric is sound."""

from __future__ import annotations

import textwrap

import pytest

from roleplay.core.labels import KINDS, LABELS
from roleplay.core.scoring.rubric import (RUBRIC_SHAPE, default_rubric_path, find_rubric, load_default_rubric,
                                  load_rubric, parse_rubric)
from roleplay.core.scenario.shape import Field, to_json_schema

LEXICONS = """\
lexicons:
  negators: [not, never]
  not_negation: [no wonder]
  negation_bridges: [think]
  scope_breakers: [maybe]
  report_frames: [telling yourself]
  conventional_openers: [i am sorry]
  stopwords: [the, a]
  common_words: [there]
  second_person: [you, your]
  first_person: [i, me]
  possessive_nouns: [kids]
  fillers: [so, well]
  open_question_starters: [what, how]
  closed_question_starters: [is, do]
  quantity_words: [many]
  third_party: [he, she]
"""


def rubric_text(labels: str, extra: str = "") -> str:
    return "rubric: 1\nid: tiny\ntitle: Tiny\n" + extra + LEXICONS + "labels:\n" + textwrap.indent(
        textwrap.dedent(labels), "  ")


GOOD = rubric_text("""\
empathic:
  kinds:
    reflection:
      feedback: Reflect the feeling.
      cues:
        - {phrase: "it sounds like", weight: 1.5}
        - {regex: 'you (?:feel|are) {negators} alone', weight: 1}
      exemplars: ["It sounds like a lot."]
judgmental:
  kinds:
    ordering:
      feedback: Orders take control away.
      cues:
        - {id: need-to, regex: 'you need to', weight: 2}
""", extra="feelings:\n  sadness: [sad, down]\n")


def _diag(text: str):
    rubric, diags = parse_rubric(text, "r.yaml")
    return rubric, diags


def test_a_small_rubric_loads_and_compiles_its_cues():
    rubric, diags = _diag(GOOD)
    assert rubric is not None, [str(d) for d in diags]
    assert {c.id for c in rubric.cues} == {"reflection.1", "reflection.2", "need-to"}
    cue = next(c for c in rubric.cues if c.id == "need-to")
    assert cue.pattern.search("so you need to stop") and not cue.pattern.search("you needn't")
    assert rubric.feedback_for("judgmental", "ordering") == "Orders take control away."
    assert rubric.exemplars[0].norm == "it sounds like a lot ."


def test_unknown_keys_suggest_the_right_one_at_their_position():
    text = GOOD.replace("      feedback: Reflect the feeling.", "      feedbak: Reflect the feeling.")
    rubric, diags = _diag(text)
    assert rubric is None
    unknown = next(d for d in diags if d.code == "E102")
    assert 'did you mean "feedback"' in unknown.message
    line, src = next((i, s) for i, s in enumerate(text.splitlines(), 1) if "feedbak:" in s)
    assert (unknown.line, unknown.col) == (line, src.index("feedbak") + 1)
    # One mistake, one message: the misspelt key is not also reported as a missing `feedback`.
    assert not any(d.code == "E103" and "feedback" in d.message for d in diags)


def test_unknown_label_and_kind_are_reported_with_suggestions():
    _, diags = _diag(GOOD.replace("  judgmental:", "  judgemental:"))
    d = next(d for d in diags if d.code == "E102")
    assert 'did you mean "judgmental"' in d.message
    _, diags = _diag(GOOD.replace("    ordering:", "    orderin:"))
    d = next(d for d in diags if d.code == "E102")
    assert 'did you mean "ordering"' in d.message


def test_bad_regex_is_reported_at_its_line():
    text = GOOD.replace("regex: 'you need to'", "regex: 'you (need to'")
    rubric, diags = _diag(text)
    assert rubric is None
    d = next(d for d in diags if d.code == "E201")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "you (need to" in s)
    assert d.line == line and d.col > 1
    assert "missing )" in d.message
    assert str(d).startswith(f"r.yaml:{line}:")


def test_unknown_word_list_in_a_regex():
    text = GOOD.replace("{negators}", "{negatorz}")
    _, diags = _diag(text)
    d = next(d for d in diags if d.code == "E202")
    assert 'did you mean "negators"' in d.message


def test_weights_out_of_range_and_wrong_types():
    _, diags = _diag(GOOD.replace("weight: 2}", "weight: 9}"))
    d = next(d for d in diags if d.code == "E105")
    assert "between -5 and 5" in d.message
    _, diags = _diag(GOOD.replace("weight: 2}", "weight: lots}"))
    assert any(d.code == "E104" and "number" in d.message for d in diags)
    _, diags = _diag(GOOD.replace("rubric: 1", "rubric: 7"))
    assert any(d.code == "E105" for d in diags)


def test_cue_needs_exactly_one_of_phrase_or_regex():
    _, diags = _diag(GOOD.replace("{id: need-to, regex: 'you need to', weight: 2}",
                                  "{id: need-to, weight: 2}"))
    assert any(d.code == "E203" for d in diags)
    _, diags = _diag(GOOD.replace("{id: need-to, regex: 'you need to', weight: 2}",
                                  "{id: need-to, regex: 'x', phrase: y}"))
    assert any(d.code == "E203" and "not both" in d.message for d in diags)


def test_negated_target_must_be_a_label_and_kind():
    _, diags = _diag(GOOD.replace("weight: 2}", "weight: 2, negated: sympathetic/reasurance}"))
    d = next(d for d in diags if d.code == "E105")
    assert 'did you mean "reassurance"' in d.message


def test_missing_lexicon_is_named():
    _, diags = _diag(GOOD.replace("  fillers: [so, well]\n", ""))
    assert any(d.code == "E103" and "fillers" in d.message for d in diags)


def test_apostrophe_in_a_regex_is_a_warning_only():
    rubric, diags = _diag(GOOD.replace("regex: 'you need to'", "regex: 'you''re wrong'"))
    assert rubric is not None
    assert any(d.code == "W201" and d.severity == "warning" for d in diags)


@pytest.mark.parametrize("text", [
    "", "[]", "just text", "rubric: [", "\x00\x01", "labels: {empathic: 5}", "rubric: 1\nlabels: []",
    "rubric: 1\nid: x\ntitle: t\nlexicons: 5\nlabels: {}", "a: &x [*x]", "rubric: !!python/object:os.system x",
    GOOD.replace("cues:", "cues: 5"), GOOD.replace("exemplars: [", "exemplars: [[1], "),
    GOOD.replace("{phrase: \"it sounds like\", weight: 1.5}", "{phrase: [], weight: 1.5}"),
    GOOD.replace("'you need to'", "'(?:)'"),
])
def test_broken_files_give_diagnostics_not_tracebacks(text):
    rubric, diags = parse_rubric(text, "bad.yaml")
    assert rubric is None
    assert diags and all(d.path == "bad.yaml" and d.line >= 1 and d.col >= 1 for d in diags)


def test_missing_file_and_folder(tmp_path):
    rubric, diags = load_rubric(tmp_path / "nope.yaml")
    assert rubric is None and diags[0].code == "E011"
    rubric, diags = load_rubric(tmp_path)
    assert rubric is None and diags[0].code == "E011"


def test_the_built_in_rubric_is_complete_and_clean():
    rubric, diags = load_rubric(default_rubric_path())
    assert rubric is not None and diags == []
    for label in LABELS:
        for kind in KINDS[label]:
            spec = rubric.kinds[(label, kind)]
            assert spec.feedback and "\n" not in spec.feedback
            assert spec.exemplars, (label, kind)
            if label != "neutral":
                assert spec.cues, (label, kind)
    assert load_default_rubric() is load_default_rubric()
    assert find_rubric("default") == default_rubric_path()


def test_rubric_shape_makes_a_json_schema():
    assert isinstance(RUBRIC_SHAPE, Field)
    schema = to_json_schema(RUBRIC_SHAPE, title="rubric")
    assert schema["required"] == ["rubric", "id", "title", "labels"]
    assert set(schema["properties"]["labels"]["properties"]) == set(LABELS)


def test_a_regex_that_can_backtrack_for_ever_is_refused_at_its_line():
    """(\\w+\\s?)+ took 43 s on a 26-word reply under the old scorer; now it never loads."""
    import time

    text = GOOD.replace("regex: 'you need to'", r"regex: '(\w+\s?)+ need to'")
    t = time.process_time()
    rubric, diags = _diag(text)
    assert time.process_time() - t < 10  # a guard against a hang, not a speed test
    assert rubric is None
    d = next(d for d in diags if d.code == "E207")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if r"(\w+\s?)+" in s)
    assert d.line == line and "repeats a part that itself repeats" in d.message


def test_retired_settings_and_weights_load_with_one_warning_each():
    text = GOOD.replace("labels:\n", "settings:\n  neutral_threshold: 1.0\n  negation_window: 4\nlabels:\n", 1)
    rubric, diags = _diag(text)
    assert rubric is not None and rubric.settings.negation_window == 4
    w = [d for d in diags if d.code == "W202"]
    assert len(w) == 2 and any("neutral_threshold" in d.message for d in w)
    assert any("cue weights are no longer used" in d.message for d in w)
