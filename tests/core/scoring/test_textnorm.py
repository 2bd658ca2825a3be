"""Normalisation: lower case, contractions and text-speak expanded, typos corrected, spans kept."""

from __future__ import annotations

from roleplay.core.scoring.rubric import load_default_rubric
from roleplay.core.scoring.textnorm import Normaliser, normalise_phrase, stem


def _norm():
    return load_default_rubric().normaliser


def test_contractions_and_text_speak():
    n = _norm()
    assert n.normalise("I can't, won't, ain't").text == "i can not , will not , is not"
    assert n.normalise("sounds like ur scared bc u cant sleep").text == \
        "sounds like you are scared because you can not sleep"
    assert n.normalise("ur kids miss u").text == "your kids miss you"
    assert n.normalise("you'd've known, shouldnt've").text.startswith("you would have known")
    assert n.normalise("didnt u say").text == "did not you say"
    assert n.normalise("u shud of told them, it must of hurt").text == \
        "you should have told them , it must have hurt"
    assert n.normalise("a cup of tea").text == "a cup of tea"


def test_typos_of_rubric_words_are_corrected_but_real_words_are_not():
    n = _norm()
    assert n.normalise("so frustated and exausted").text == "so frustrated and exhausted"
    # inflections and common words are never "corrected"
    for word in ("comes", "stress", "quiet", "smart", "visitor", "healing"):
        assert n.normalise(word).text == word


def test_letter_runs_and_punctuation():
    n = _norm()
    assert n.normalise("sooo sorry!!!").text == "so sorry !"
    assert n.normalise("wait... really?!").text == "wait . really ?"
    assert n.normalise("at 9:30 on the 3rd").text == "at 9:30 on the 3rd"


def test_spans_point_into_the_original_text():
    n = _norm()
    reply = "Honestly, ur   SO brave—dont give up"
    r = n.normalise(reply)
    for t in r.tokens:
        assert 0 <= t.start <= t.end <= len(reply)
    i = r.text.index("you are")
    a, b = r.span(i, i + len("you are"))
    assert reply[a:b] == "ur"
    j = r.text.index("do not")
    a, b = r.span(j, j + len("do not give"))
    assert reply[a:b] == "dont give"


def test_quoted_words_are_marked():
    r = _norm().normalise('You called yourself "a bad mother" earlier.')
    quoted = [t.text for t in r.tokens if t.quoted]
    assert quoted == ["a", "bad", "mother"]


def test_sentences_and_clauses_are_numbered():
    r = _norm().normalise("I hear you. But you chose this, right?")
    assert r.n_sents == 2
    but = next(t for t in r.tokens if t.text == "but")
    hear = next(t for t in r.tokens if t.text == "hear")
    assert but.sent == 1 and hear.sent == 0 and but.clause > hear.clause


def test_long_text_is_capped_with_valid_spans():
    reply = "word " * 20_000
    r = _norm().normalise(reply)
    assert len(r.tokens) < 2000
    assert all(reply[t.start:t.end].strip() for t in r.tokens if t.text[0].isalnum())


def test_standalone_normaliser_and_helpers():
    n = Normaliser({"u": "you"}, ["kids"], ["scared"], protected=["so"])
    assert n.normalise("sooo scred u").text == "so scared you"
    assert normalise_phrase(n, "you shouldn't've") == "you should not have"
    assert stem("feelings") == stem("feeling")
