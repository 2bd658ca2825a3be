"""The known words' tables kept in the model file: exactly what scoring would work out, never stale,
and ignored (never trusted) when damaged or made for other cues."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib

import pytest

from roleplay.core.scoring import default_scorer, wordtables
from roleplay.core.scoring.cues import CueMatcher, _substrings
from roleplay.core.scoring.decide import LearnedScorer, model_path
from roleplay.core.scoring.features import char_grams
from roleplay.core.scoring.model import LinearModel
from roleplay.core.scoring.rubric import load_default_rubric


@pytest.fixture(scope="module")
def rubric():
    return load_default_rubric()


def fresh_model(extra=None) -> LinearModel:
    """The shipped model read again, with empty per-word caches."""
    m = LinearModel.load(model_path(load_default_rubric()))
    if extra is not None:
        m.extra = extra
    return m


def test_the_shipped_tables_are_what_the_code_makes_from_the_shipped_model(rubric):
    model = fresh_model()
    shipped = model.extra[wordtables.BLOCK]
    rebuilt = wordtables.build(CueMatcher(rubric), fresh_model())
    assert zlib.decompress(rebuilt) == zlib.decompress(shipped), \
        "run `roleplay train`: the model file's word tables are stale"


def test_preloaded_entries_equal_the_ones_worked_out_on_first_sight(rubric):
    model, matcher = fresh_model(), CueMatcher(rubric)
    assert wordtables.preload(matcher, model, model.extra[wordtables.BLOCK])
    plain_model, plain = fresh_model(), CueMatcher(rubric)
    words = wordtables.known_words(model)
    assert len(words) > 1000
    for w in words:
        assert matcher._words[w] == plain._word(w), w
        assert matcher._starts[w] == plain._starting(w), w
        assert model._chars[w] == plain_model.char_word(w, char_grams(w)), w


def test_a_preloaded_scorer_labels_and_explains_exactly_as_a_cold_one(rubric):
    warm, cold = LearnedScorer(rubric, fresh_model()), LearnedScorer(rubric, fresh_model())
    assert warm.preload()
    for reply in ("ur doing great hun", "You need a back up plan.", "what happend after that?",
                  "that sounds exhausting, nights at the hospital and then the kids all day",
                  "I can't imagine leaving a baby on her own like that"):
        assert warm.assess(reply) == cold.assess(reply), reply


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other cues", "other version", "bad index"])
def test_damaged_or_foreign_tables_are_ignored_and_scoring_still_works(rubric, damage, monkeypatch):
    model = fresh_model()
    blob = model.extra[wordtables.BLOCK]
    if damage == "truncated":
        blob = blob[: len(blob) // 2]
    elif damage == "garbage":
        blob = b"\x00\xff" * 50
    elif damage == "other version":
        monkeypatch.setattr(wordtables, "VERSION", wordtables.VERSION + 1)
    elif damage == "bad index":  # a character n-gram index past the end of the vocabulary
        raw = bytearray(zlib.decompress(blob))
        (hl,) = struct.unpack("<I", raw[:4])
        sizes = json.loads(raw[4:4 + hl])["sizes"]
        at = 4 + hl + sum(sizes[:5])  # the flat character indices follow five arrays
        raw[at:at + 4] = struct.pack("<i", 2**31 - 1)
        blob = zlib.compress(bytes(raw))
    model.extra[wordtables.BLOCK] = blob
    if damage == "other cues":
        rubric = dataclasses.replace(rubric, cues=rubric.cues[1:])
    scorer = LearnedScorer(rubric, model)
    assert scorer.preload() is False
    assert not scorer.fz.matcher._words and not model._chars  # nothing half-filled
    assert scorer.assess("you poor thing").label == "sympathetic"


def test_a_model_file_without_tables_still_loads_and_scores(rubric, tmp_path):
    model = fresh_model(extra={})
    path = tmp_path / "old.rpm"
    path.write_bytes(model.to_bytes())
    again = LinearModel.load(path)
    assert again.extra == {}
    scorer = LearnedScorer(rubric, again)
    assert scorer.preload() is False
    assert scorer.assess("why did you leave them alone?").label == "judgmental"


def test_the_model_file_keeps_its_tables_through_a_round_trip():
    m = default_scorer().model
    assert LinearModel.from_bytes(m.to_bytes()).extra == m.extra


def test_substrings_pruned_by_beginnings_find_every_needed_string(rubric):
    matcher = CueMatcher(rubric)
    table = matcher._frag_cues
    for word in ("overwhelmed", "shouldnt", "yourself", "xyz", "a", "heartbreaking", "notalone"):
        brute = {word[a:b] for a in range(len(word)) for b in range(a + 1, len(word) + 1) if word[a:b] in table}
        assert set(_substrings(word, table, matcher._frag_heads)) == brute, word


def test_tables_that_would_inflate_without_end_are_refused(rubric, monkeypatch):
    monkeypatch.setattr(wordtables, "_MAX_BYTES", 1000)  # as if the block inflated past the cap
    model = fresh_model()
    scorer = LearnedScorer(rubric, model)
    assert scorer.preload() is False and not model._chars
