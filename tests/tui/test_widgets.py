"""Pieces of the conversation view: evidence inside the reply, in words, trimmed long replies."""

from __future__ import annotations

from types import SimpleNamespace

from roleplay.core.assessment import Evidence
from roleplay.tui.widgets.common import LABELS, badge
from roleplay.tui.widgets.conversation import MAX_SHOWN, evidence_line, reply_content

REPLY = "It sounds like you are exhausted, and you should rest."


def ev(text, label, source="cue:x", reply=REPLY):
    start = reply.index(text)
    return Evidence(start, start + len(text), text, label, "k", source)


def underlined(content):
    return [content.plain[s.start:s.end] for s in content.spans if "underline" in str(s.style)]


def test_evidence_is_highlighted_inside_the_reply_by_offsets():
    c = reply_content(REPLY, [ev("sounds like", "empathic"), ev("you should", "judgmental")])
    assert c.plain == REPLY
    assert underlined(c) == ["sounds like", "you should"]
    styles = [str(s.style) for s in c.spans]
    assert any("$text-success" in x for x in styles) and any("$text-error" in x for x in styles)


def test_out_of_range_spans_and_whole_reply_exemplars_are_not_underlined():
    bad = Evidence(40, 400, "x", "empathic", "k", "cue:x")
    whole = Evidence(0, len(REPLY), REPLY, "empathic", "k", "exemplar:empathic")
    assert underlined(reply_content(REPLY, [bad, whole])) == []


def test_evidence_is_named_in_words_too():
    turn = SimpleNamespace(reply=REPLY, assessment=SimpleNamespace(label="empathic", evidence=(
        ev("sounds like", "empathic"), Evidence(0, len(REPLY), REPLY, "empathic", "k", "exemplar:empathic"),
        ev("you", "neutral"))))
    text = str(evidence_line(turn))
    assert "“sounds like” (empathic)" in text
    assert "; the whole reply is close to an empathic example" in text
    assert "(neutral)" not in text  # neutral words only explain a neutral label
    long = "word " * 40
    turn = SimpleNamespace(reply=long, assessment=SimpleNamespace(
        label="neutral", evidence=(Evidence(0, 150, long[:150], "neutral", "k", "cue:y"),)))
    assert "…" in str(evidence_line(turn)) and "wor…" not in str(evidence_line(turn))


def test_a_very_long_reply_is_shown_trimmed():
    c = reply_content("x" * (MAX_SHOWN + 500))
    assert c.plain.endswith("(500 more characters not shown)")


def test_labels_are_words_as_well_as_colours():
    for label, (_, _, word) in LABELS.items():
        assert word in badge(label).plain and word == label.upper()
