"""The word-model fallback: naive Bayes learned from rubrics/examples/, asked only when the rules
are weak. Replies here are written for these tests (situations in no labelled set)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from roleplay.core import wordmodel
from roleplay.core.assessment import Context
from roleplay.core.labels import JUDGMENTAL, LABELS, NEUTRAL
from roleplay.core.paths import builtin_dir
from roleplay.core.rubric import load_default_rubric
from roleplay.core.scorer import RubricScorer, _trained_model, examples_path

CLIENT = "My allotment was vandalised last night. Three years of work, trampled."
REPLIES = [
    "",
    "   ",
    "Three years of work, and one night undoes it.",
    "Don't worry, it'll grow back better than ever.",
    "Why didn't you put a lock on the shed?",
    "The council has a form for reporting vandalism.",
    "If you can't look after it you should give the plot to someone who will.",
    "I'm not judging you at all, I just wonder what it's been like going back there.",
    "honestly ur better off, allotments r so much work lol",
    "Some people just attract that kind of trouble.",
]


def scorer(**settings) -> RubricScorer:
    r = load_default_rubric()
    return RubricScorer(dataclasses.replace(r, settings=dataclasses.replace(r.settings, **settings)))


@pytest.fixture(scope="module")
def model_on() -> RubricScorer:
    return scorer(model_weight=1.5, model_min_confidence=0.5, model_margin=1.0)


def test_the_shipped_examples_file_is_valid_and_found() -> None:
    path = builtin_dir("rubrics") / "examples" / "default.jsonl"
    assert examples_path(load_default_rubric()) == path
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 500
    assert {r["label"] for r in rows} == set(LABELS)
    assert all(set(r) == {"reply", "client", "label", "kind"} and r["reply"].strip() for r in rows)
    assert len(wordmodel.read_examples(path)) == len(rows)


def test_training_is_deterministic() -> None:
    r = load_default_rubric()
    path = examples_path(r)
    a = _trained_model(r, str(path), 0)
    b = _trained_model(r, str(path), 0)
    assert a is not None and b is not None and a is not b
    assert a.loglik == b.loglik and a.unseen == b.unseen and a.logprior == b.logprior
    assert a.n_examples == len(wordmodel.read_examples(path))


def test_negation_marks_the_words_after_a_negator_in_its_clause() -> None:
    r = load_default_rubric()
    s = RubricScorer(r)
    names = {f.name for f in wordmodel.features(r.normaliser.normalise("I'm not judging you, you did well"),
                                                s.negators, s.not_negation, s.breakers)}
    assert "not_judging" in names and "judging" not in names
    assert "did" in names  # the next clause is not negated
    names = {f.name for f in wordmodel.features(r.normaliser.normalise("no wonder you're tired"),
                                                s.negators, s.not_negation, s.breakers)}
    assert "tired" in names  # "no wonder" does not negate


@pytest.mark.parametrize("reply", REPLIES)
def test_model_evidence_spans_are_valid(model_on: RubricScorer, reply: str) -> None:
    a = model_on.assess(reply, Context(client=CLIENT))
    model_ev = [e for e in a.evidence if e.source.startswith("model:")]
    assert len(model_ev) <= 3
    for e in model_ev:
        assert 0 <= e.start < e.end <= len(reply)
        assert reply[e.start:e.end] == e.text
        assert e.source == "model:" + e.label and e.label == a.label != NEUTRAL
        assert e.weight > 0
    if model_ev:
        assert "often come with" in a.feedback or a.label == a.evidence[0].label


def test_the_model_acts_somewhere(model_on: RubricScorer) -> None:
    acted = [r for r in REPLIES if any(e.source.startswith("model:")
                                       for e in model_on.assess(r, Context(client=CLIENT)).evidence)]
    assert acted


@pytest.mark.parametrize("reply", ["", " ", "\n\t ", "...", "?!"])
def test_the_model_does_not_fire_on_empty_replies(model_on: RubricScorer, reply: str) -> None:
    a = model_on.assess(reply, Context(client=CLIENT))
    assert a.label == NEUTRAL and not a.evidence


def test_the_model_never_overrides_a_judgmental_rule_hit(monkeypatch) -> None:
    s = scorer(model_weight=5.0, model_min_confidence=0.0, model_margin=10.0)

    def boom(*args, **kwargs):
        raise AssertionError("the model was asked although the rules found a judgment")

    for reply in ["It sounds like you're so hurt, but you brought this on yourself.",
                  "You need to calm down.", "What were you thinking leaving the gate open?"]:
        assert s.assess(reply, Context(client=CLIENT)).label == JUDGMENTAL
        monkeypatch.setattr(s, "_model_matches", boom)
        assert s.assess(reply, Context(client=CLIENT)).label == JUDGMENTAL
        monkeypatch.undo()


def test_model_weight_zero_is_the_rules_alone() -> None:
    off = scorer(model_weight=0.0, model_min_confidence=0.0, model_margin=10.0)
    rules = scorer(model_weight=1.0, model_min_confidence=0.0, model_margin=10.0)
    rules._wm, rules._wm_ready = None, True  # no model at all
    for reply in REPLIES:
        ctx = Context(client=CLIENT)
        assert off.assess(reply, ctx).to_dict() == rules.assess(reply, ctx).to_dict()
    assert off._wm is None  # never even trained


def test_a_rubric_without_examples_has_no_model(tmp_path) -> None:
    r = load_default_rubric()
    other = dataclasses.replace(r, path=str(tmp_path / "mine.yaml"))
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "mine.jsonl").write_text(
        '{"reply": "You poor thing.", "client": "", "label": "sympathetic", "kind": "pity"}\n'
        'not json\n{"reply": "Why did you do that?", "label": "judgmental"}\n', encoding="utf-8")
    assert examples_path(other) == tmp_path / "examples" / "mine.jsonl"
    assert len(wordmodel.read_examples(examples_path(other))) == 2
