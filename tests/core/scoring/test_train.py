"""Training: deterministic, reproducible from the corpus, and honest cross-validation."""

from __future__ import annotations

import pytest

from roleplay.core.scoring.rubric import load_default_rubric
from roleplay.core.scoring import default_scorer
from roleplay.core.scoring.corpus import read_items
from roleplay.core.scoring.decide import LearnedScorer, model_path
from roleplay.core.scoring.features import Featuriser
from roleplay.core.scoring.model import LinearModel
from roleplay.core.scoring.train import (Params, corpus_digest, corpus_path, cross_validate, featurise, fit,
                                         train_model)


@pytest.fixture(scope="module")
def rubric():
    return load_default_rubric()


@pytest.fixture(scope="module")
def sample():
    """Every 30th corpus reply: about 360 replies from all situations, enough to learn from."""
    return read_items(corpus_path())[::30]


@pytest.fixture(scope="module")
def sample_model(rubric, sample) -> LinearModel:
    return train_model(rubric, sample, Params(max_iter=300))


@pytest.fixture(scope="module")
def docs(rubric, sample):
    return featurise(Featuriser(rubric), sample)


def test_the_shipped_model_is_what_roleplay_train_makes_from_the_corpus(retrained_model):
    shipped = model_path(load_default_rubric()).read_bytes()
    fresh = retrained_model.read_bytes()
    if fresh == shipped:
        return
    # Another processor may round the last bits differently; the model must still be the same.
    a, b = LinearModel.from_bytes(fresh), LinearModel.from_bytes(shipped)
    assert a.vocab == b.vocab and a.meta == b.meta, "run `roleplay train`: the shipped model is stale"
    worst = max(abs(x - y) for ca, cb in zip(a.cols + a.kcols, b.cols + b.kcols) for x, y in zip(ca, cb))
    assert worst < 1e-3


def test_the_shipped_model_records_its_corpus():
    m = default_scorer().model
    assert m.meta["corpus"] == corpus_digest(read_items(corpus_path()))
    assert m.meta["n_items"] >= 6000


def test_training_is_deterministic(rubric, sample, sample_model):
    again = train_model(rubric, sample, Params(max_iter=300))
    assert again.to_bytes() == sample_model.to_bytes()


def test_a_model_trained_on_a_sample_scores_through_the_same_features(rubric, sample_model):
    m = LinearModel.from_bytes(sample_model.to_bytes())
    s = LearnedScorer(rubric, m)
    assert s.assess("why on earth would you leave them on their own?").label == "judgmental"
    assert s.assess("it sounds like you're completely worn out").label == "empathic"


def test_cross_validation_never_tests_on_a_situation_it_trained_on(sample, docs):
    cv = cross_validate(sample, docs, Params(max_iter=200), k=3)
    folds: dict[str, set[int]] = {}
    for it, f in zip(sample, cv.folds):
        folds.setdefault(it.situation, set()).add(f)
    assert all(len(f) == 1 for f in folds.values())
    assert set(cv.folds) == {0, 1, 2}
    assert all(abs(sum(p) - 1) < 1e-6 for p in cv.probs)


def test_fit_keeps_kinds_within_their_label(rubric, sample, docs):
    m = fit(sample, docs, Params(max_iter=200))
    s = LearnedScorer(rubric, m)
    for reply in ("you poor thing", "why did you do that", "what was that like for you?", "the bus is at 3"):
        a = s.assess(reply)
        from roleplay.core.labels import KINDS

        assert set(a.kinds) <= set(KINDS[a.label])
