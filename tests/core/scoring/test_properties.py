"""Property-based: any text a student can type gets a valid assessment, and never hangs.

Speed is measured in bench/bench_scorer.py; the only clock here is a generous guard against a
hang, so a loaded machine cannot make these tests flaky."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.core.assessment import Assessment, Context
from roleplay.core.labels import LABELS
from roleplay.core.scoring import default_scorer

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid(reply: str, a: Assessment) -> None:
    assert a.label in LABELS
    assert 0.0 <= a.confidence <= 1.0
    assert set(a.scores) == set(LABELS)
    for e in a.evidence:
        assert 0 <= e.start <= e.end <= len(reply)
        assert reply[e.start:e.end] == e.text
        assert e.label in LABELS


def _timed(reply: str, ctx: Context, limit: float = 10.0) -> Assessment:
    t = time.process_time()
    a = default_scorer().assess(reply, ctx)
    assert time.process_time() - t < limit
    _valid(reply, a)
    return a


@FAST
@given(st.text(max_size=400), st.text(max_size=200))
def test_any_unicode(reply, client):
    _timed(reply, Context(client=client))


@FAST
@given(st.lists(st.sampled_from(
    ["you", "feel", "sorry", "should", "not", "why", "at least", "sounds", "like", "ur", "dont", "?", ".",
     "!", ",", "i", "understand", "but", "never", "scared", "angry", "it", "will", "be", "okay", "how",
     "what", "blame", "yourself", "im", "bc", "'", "\"", "\n", "...", "—", "lol", "😢", "é"]), max_size=60),
    st.dictionaries(st.sampled_from(LABELS), st.lists(st.text(max_size=80), max_size=3), max_size=4))
def test_word_salad_with_exemplars(words, exemplars):
    reply = " ".join(words)
    _timed(reply, Context(client="I feel like nobody listens.", exemplars=exemplars, model_reply="m"))


def test_empty_and_whitespace_are_neutral():
    for reply in ("", " ", "\n\t  \n", "\u200b\u00a0"):
        a = _timed(reply, Context())
        assert a.label == "neutral"


def test_a_hundred_thousand_characters_in_bounded_time():
    reply = ("It sounds like you have been carrying this alone for a long time. " * 1600)[:100_000]
    _timed(reply, Context(client="I have done this by myself for years."))
    _timed("x" * 100_000, Context())
    _timed("why " * 25_000, Context())
