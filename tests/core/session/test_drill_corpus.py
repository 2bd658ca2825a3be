"""Which corpus situations a drill may use, the example it shows, and which lines it picks."""

from __future__ import annotations

import json

import pytest

from roleplay.core.content_notes import CONTENT_TAGS
from roleplay.core.labels import EMPATHIC, KINDS
from roleplay.core.scoring.corpus import read_items
from roleplay.core.session.drill_corpus import DrillCorpusError, areas, choose, corpus_dir, load_items, parse
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "drill_corpus"


@pytest.fixture(scope="module")
def items():
    found, problems = load_items(CORPUS)
    assert problems == []
    return found


def test_only_situations_fit_for_practice_with_an_empathic_reply_are_drillable(items):
    ids = {it.situation for it in items}
    assert "unfit_1" not in ids  # practice: false (graphic)
    assert "no_example" not in ids  # no empathic reply to show
    assert len(ids) == 12
    by = {it.situation: it for it in items}
    assert by["mind_2"].content == ("self_harm", "suicide")
    assert by["grief_2"].content == ()  # a situation without `content` has no tags


def test_the_example_is_empathic_and_prefers_a_clean_voice(items):
    by = {it.situation: it for it in items}
    # grief_1 has an empathic reply in student chat first, and one by a formal trainee: the second is shown.
    assert by["grief_1"].example.startswith("It sounds very lonely")
    empathic = {r.reply for r in read_items(CORPUS / "replies.jsonl") if r.label == EMPATHIC}
    assert all(it.example in empathic for it in items)
    assert load_items(CORPUS)[0] == items  # deterministic


def test_temptation_is_the_share_of_the_situation_replies_with_that_kind(items):
    by = {it.situation: it for it in items}
    assert by["grief_1"].temptation("reassurance") == pytest.approx(3 / 6)
    assert by["child_1"].temptation("interrogating") == pytest.approx(3 / 5)
    assert by["child_1"].temptation("reassurance") == 0


def test_choose_is_seeded_filters_and_focuses(items):
    assert choose(items, 5, seed=3) == choose(items, 5, seed=3)
    assert {it.situation for it in choose(items, 50, seed=1)} == {it.situation for it in items}
    assert {it.area for it in choose(items, 10, area="addiction")} == {"addiction"}
    kept = choose(items, 50, excluded=["self_harm", "child_protection"])
    assert kept and not any("self_harm" in it.content or it.area == "child_protection" for it in kept)
    assert {it.situation for it in choose(items, 2, focus="reassurance", seed=0)} <= {"grief_1", "home_1",
                                                                                      "mind_2", "no_example"}
    tops = choose(items, 1, focus="interrogating", seed=0)
    assert tops[0].situation in {"child_1", "school_1", "child_2"}
    assert choose(items, 5, focus="pity", area="work") == []  # nothing matches: nothing chosen
    # Recently drilled situations are used only when there are not enough others.
    recent = {it.situation for it in items[:6]}
    assert not {it.situation for it in choose(items, 6, avoid=recent)} & recent
    assert len(choose(items, 10, avoid=recent)) == 10


def test_a_bad_situation_line_is_named_and_skipped(items):
    lines = (CORPUS / "situations.jsonl").read_text().splitlines()
    lines[1] = "{not json"
    lines[2] = json.dumps({"situation": "x", "area": "work", "setting": "s", "client": "c", "practice": "yes"})
    found, problems = parse(lines, read_items(CORPUS / "replies.jsonl"))
    assert len(found) == 10
    assert problems[0].startswith("situations.jsonl:2: skipped (") and '"practice" must be true or false' in problems[1]


def test_a_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(DrillCorpusError, match="cannot be read"):
        load_items(tmp_path)


def test_the_builtin_corpus_gives_hundreds_of_drill_lines():
    found, problems = load_items(corpus_dir())
    assert problems == [] and len(found) >= 400
    assert len(areas(found)) >= 8
    for it in found:
        assert it.client and it.setting and it.example and set(it.content) <= set(CONTENT_TAGS), it.situation
    all_kinds = {k for ks in KINDS.values() for k in ks}
    assert {k for it in found for k in it.kinds} <= all_kinds
    reassure = {it.situation for it in choose(found, 10, focus="reassurance", seed=1)}
    question = {it.situation for it in choose(found, 10, focus="interrogating", seed=1)}
    # Mostly different lines: a line can tempt both habits (the corpus has both kinds for most lines).
    assert len(reassure & question) <= 2
