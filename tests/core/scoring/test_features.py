"""Scoring looks word n-grams up by their tokens (word_hits); training names them (word_feats).
The two must agree, or the model would score features other than the ones it was fitted on."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplay.core.scoring import default_scorer
from roleplay.core.scoring.features import WORDS, WordIndex, word_feats, word_hits
from roleplay.core.scoring.text import sentences
from roleplay.core.scoring.train import corpus_path


@pytest.fixture(scope="module")
def scorer():
    return default_scorer()


def _named(feats, vocab) -> list[tuple[int, int, int]]:
    return [(vocab[n], i, j) for n, g, i, j in feats if g == WORDS and n in vocab]


def test_word_hits_are_the_named_features_the_model_knows(scorer):
    fz, vocab = scorer.fz, scorer.model.vocab
    for line in corpus_path().read_text(encoding="utf-8").splitlines()[::5]:
        norm = fz.normaliser.normalise(json.loads(line)["reply"])
        sents = sentences(norm, fz.lex)
        assert word_hits(norm, sents, scorer.index) == _named(word_feats(norm, sents), vocab), norm.original


def test_scoring_with_the_index_gives_what_scoring_by_name_gives(scorer):
    """The scorer's encoding from an analysis with every feature named equals its own."""
    for reply in ("ur doing great, honestly", "That sounds like a horrible position. You need a back up plan!",
                  "why did u let him in?? i'd be furious too", "I have to record anything that's a concern."):
        named = scorer.fz.analyse(reply, "I let him in again.")
        looked_up = scorer.fz.analyse(reply, "I let him in again.", index=scorer.index)
        assert scorer.encode(named).z == scorer.encode(looked_up).z


_TOKENS = ["you", "feel", "so", "alone", "it's", "not", "ok", "ur", "why", "did", "^", "b", "w", "t:x",
           ",", ".", "?", "!", "-", "\n", "but", "'", "tho"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=20), st.randoms(use_true_random=False))
def test_any_known_subset_is_found_in_order(words, rnd):
    """Whichever of a reply's n-grams a model happens to know, lookup finds exactly those."""
    fz = default_scorer().fz
    norm = fz.normaliser.normalise(" ".join(words))
    sents = sentences(norm, fz.lex)
    names = [f[0] for f in word_feats(norm, sents)]
    vocab = {n: k for k, n in enumerate(sorted({n for n in names if rnd.random() < 0.6} | {"w:zzz", "b:^ zzz"}))}
    assert word_hits(norm, sents, WordIndex(vocab)) == _named(word_feats(norm, sents), vocab)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_no_token_holds_a_space(text):
    """Scoring splits the normalised text on spaces to get the tokens back (cues, word_hits)."""
    norm = default_scorer().fz.normaliser.normalise(text)
    assert all(" " not in t.text and t.text for t in norm.tokens)
    assert norm.text.split(" ") == [t.text for t in norm.tokens] or not norm.tokens
