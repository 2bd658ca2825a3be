"""The rubric's cues on a reply: negation, reported speech, quotation; the literal prefilter."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplay.core.scoring.rubric import load_default_rubric
from roleplay.core.scoring.features import Featuriser
from roleplay.core.scoring.literals import first_prefixes, first_two_words, literal_clauses
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


@pytest.mark.parametrize("pattern,lead", [
    (r"(?:it |that )?(?:sounds|seems) like",
     {"it sounds ", "it seems ", "that sounds ", "that seems ", "sounds like", "seems like"}),
    # A repeat is known only to the end of its first round: "you so so brave" starts "you so ".
    (r"you (?:so )*brave", {"you so ", "you brave"}),
    (r"you (?:so |very ){0,4}brave", {"you so ", "you very ", "you brave"}),
    (r"(?<!\S)you (?:need|have) to\b", {"you need ", "you have "}),
    (r"you (?:\w+ )?fault", {"you ", "you fault"}),  # the second word is open, or "fault"
    (r"\w+ing hard", None),  # the first word is not known
    (r"you\b", None),  # nor where it ends
])
def test_first_two_words(pattern, lead):
    assert first_two_words(pattern) == (frozenset(lead) if lead is not None else None)


_WORDS = ["you", "so", "need", "to", "it", "sounds", "like", "brave", "feel"]


@st.composite
def _patterns(draw):
    """Small regexes over a few words: optional and repeated groups, alternatives."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        alts = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3, unique=True))
        group = "(?:" + "|".join(w + " " for w in alts) + ")"
        parts.append(group + draw(st.sampled_from(["", "?", "*", "+", "{0,2}", "{1,3}"])))
    return "".join(parts) + draw(st.sampled_from(_WORDS))


@settings(max_examples=150, deadline=None)
@given(_patterns(), st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
def test_every_match_starts_with_a_lead(pattern, words):
    """Whatever the pattern and the text, a match never starts anywhere its lead rules out."""
    lead = first_two_words(pattern)
    if lead is None:
        return
    text = " ".join(words)
    rx = re.compile(r"(?<!\S)(?:" + pattern + r")")
    for m in rx.finditer(text):
        assert any(text.startswith(lead_, m.start()) for lead_ in lead), (pattern, text, m.group())
