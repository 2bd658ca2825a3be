"""The labelled corpus the scorer learns from: its shape, size, spread and hygiene."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from roleplay.core.labels import KINDS, LABELS
from roleplay.core.scoring.corpus import CorpusError, read_items
from roleplay.core.scoring.train import corpus_path


@pytest.fixture(scope="module")
def items():
    return read_items(corpus_path())


def test_size_and_spread(items):
    assert len(items) >= 6000
    assert len({it.situation for it in items}) >= 400
    voices = Counter(it.voice for it in items if it.voice)
    assert len(voices) >= 6 and min(voices.values()) >= 300
    assert sum(it.hard for it in items) / len(items) >= 0.40
    labels = Counter(it.label for it in items)
    assert max(labels.values()) / min(labels.values()) < 1.2


def test_every_item_is_complete_and_valid(items):
    for it in items:
        assert it.label in LABELS and it.kind in KINDS[it.label], it.id
        assert it.reply.strip() and it.situation
    assert len({it.id for it in items}) == len(items)
    assert len({it.reply.strip().lower() for it in items}) == len(items)


def test_labels_are_roughly_balanced_within_situations(items):
    by: dict[str, Counter] = defaultdict(Counter)
    for it in items:
        if it.voice:  # the older examples were not written per situation
            by[it.situation][it.label] += 1
    balanced = [s for s, c in by.items() if len(c) == 4]
    assert len(balanced) / len(by) > 0.9


def test_situations_say_where_they_are_and_whether_they_suit_practice():
    path = corpus_path().with_name("situations.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 400
    for r in rows:
        assert r["situation"] and r["client"].strip() and r["setting"].strip() and r["area"]
        assert isinstance(r["practice"], bool)
        # content notes drive drill exclusions ("no self-harm, please"): a known tag or nothing
        assert isinstance(r["content"], list) and set(r["content"]) <= CONTENT_TAGS
        assert r["practice"] or r.get("not_practice")  # a line kept out of drills says why
    assert sum(r["practice"] for r in rows) >= 400
    assert {t for r in rows for t in r["content"]} >= {"death_and_dying", "domestic_abuse", "suicide"}


CONTENT_TAGS = {"self_harm", "suicide", "sexual_abuse", "child_abuse", "domestic_abuse", "death_and_dying",
                "substance_use", "violence", "eating_disorder"}


def test_a_bad_line_is_named_by_file_and_line(tmp_path):
    p = tmp_path / "mine.jsonl"
    p.write_text('{"reply": "fine", "label": "neutral"}\n{"reply": "x", "label": "empathetic"}\n')
    with pytest.raises(CorpusError, match=r"mine.jsonl:2: \"label\" must be one of"):
        read_items(p)
    assert [it.label for it in read_items(p, strict=False)] == ["neutral"]
