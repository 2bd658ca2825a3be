"""The rubric's cues on a reply: negation, reported speech, quotation; the literal prefilter."""

from __future__ import annotations

import json

import pytest

from roleplay.core.scoring.rubric import load_default_rubric
from roleplay.core.scoring.features import Featuriser
from roleplay.core.scoring.literals import first_prefixes, literal_clauses
from roleplay.core.scoring.train import corpus_path


@pytest.fixture(scope="module")
def fz() -> Featuriser:
    return Featuriser(load_default_rubric())


def cues(fz, reply):
    return [(m.cue, m.label) for m in fz.analyse(reply).cues]


def test_a_judgment_fires_and_negation_reported_speech_and_quotes_stop_it(fz):
    assert ("should-have", "judgmental") in cues(fz, "you should have called them sooner")
    for reply in ("I'm not saying you should have called them sooner",
                  "you keep telling yourself you should have called sooner",
                  'she said "you should have called sooner" and it stung'):
        assert not any(lab == "judgmental" for _, lab in cues(fz, reply)), reply


def test_negation_cancels_a_dismissal(fz):
    assert any(lab == "judgmental" for _, lab in cues(fz, "you are overreacting"))
    assert not any(lab == "judgmental" for _, lab in cues(fz, "you are not overreacting"))


@pytest.mark.parametrize("pattern,first,needs", [
    (r"(?:it |that )?(?:sounds|seems) like", {"it", "that", "sounds", "seems"}, {"sounds", "seems"}),
    (r"you (?:are|were) (?:so )?brave", {"you"}, {"brave"}),
    (r"\d+(?:am|pm)", set("0123456789"), {"am", "pm"}),
    (r"(?:a|b)?(?:c)?", None, None),
    (r"(?i)odd", None, None),  # inline flags: not understood, so no claim is made
])
def test_literal_needs_and_first_words(pattern, first, needs):
    assert first_prefixes(pattern) == (frozenset(first) if first is not None else None)
    got = literal_clauses(pattern)[0]
    assert (set(got) if got else None) == needs


def test_the_prefilter_and_word_dispatch_never_change_a_match(fz):
    """On corpus replies, the fast path finds exactly what scanning every cue over the text finds."""
    mt = fz.matcher
    lines = corpus_path().read_text(encoding="utf-8").splitlines()[::12]
    for line in lines:
        norm = fz.normaliser.normalise(json.loads(line)["reply"])
        every = sorted((ci, m.start(), m.end()) for ci, c in enumerate(mt.cues)
                       for m in c.pattern.finditer(norm.text) if m.end() > m.start())
        assert mt._raw(norm, mt.candidates(norm))[0] == every, norm.original


def test_every_cue_earns_its_place(fz):
    """A cue stays only if it fires on at least 3 corpus replies (tools/prune_cues.py keeps it so)."""
    counts: dict[str, int] = {}
    for line in corpus_path().read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        for cid in {m.cue for m in fz.analyse(d["reply"], d.get("client", "")).cues}:
            counts[cid] = counts.get(cid, 0) + 1
    idle = sorted(c.id for c in fz.rubric.cues if counts.get(c.id, 0) < 3)
    assert not idle, f"cues firing on fewer than 3 corpus replies: {idle} (run tools/prune_cues.py)"
