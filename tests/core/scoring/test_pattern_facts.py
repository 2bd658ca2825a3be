"""Cue-pattern facts are remembered between runs, and a bad cache never changes a result."""

from __future__ import annotations

import json

import pytest

from roleplay.core.io.paths import cache_dir
from roleplay.core.scoring import pattern_facts


@pytest.fixture
def fresh(monkeypatch):
    """An empty in-process memo, as in a new process."""
    monkeypatch.setattr(pattern_facts, "_memo", {})
    monkeypatch.setattr(pattern_facts, "_loaded", False)
    monkeypatch.setattr(pattern_facts, "_dirty", False)


PATTERN = r"you (?:should|must) have (?:known|seen)"


def test_facts_are_written_once_and_read_back_without_recomputing(fresh, monkeypatch):
    first = pattern_facts.facts(PATTERN)
    assert first.first == frozenset({"you "}) and not first.nested
    pattern_facts.save()
    assert (cache_dir() / "cue-facts.json").is_file()

    # A new process: the answer comes from the file, the analysis is not run again.
    monkeypatch.setattr(pattern_facts, "_memo", {})
    monkeypatch.setattr(pattern_facts, "_loaded", False)
    monkeypatch.setattr(pattern_facts, "compute", lambda p: pytest.fail("recomputed a cached pattern"))
    assert pattern_facts.facts(PATTERN) == first


@pytest.mark.parametrize("content", ["{not json", json.dumps({"version": pattern_facts.VERSION, "facts": {"x": [1]}}),
                                     json.dumps({"version": -1, "facts": {}}), "[]", ""])
def test_a_damaged_or_foreign_cache_is_recomputed(fresh, content):
    path = cache_dir() / "cue-facts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    assert pattern_facts.facts(PATTERN) == pattern_facts.compute(PATTERN)
    pattern_facts.save()  # and the file is good again
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == pattern_facts.VERSION


def test_a_wrong_cached_answer_for_another_version_is_not_used(fresh, monkeypatch):
    """Keys carry the analysis version: facts from an older analysis are never trusted."""
    pattern_facts.facts(PATTERN)
    pattern_facts.save()
    monkeypatch.setattr(pattern_facts, "_memo", {})
    monkeypatch.setattr(pattern_facts, "_loaded", False)
    monkeypatch.setattr(pattern_facts, "VERSION", pattern_facts.VERSION + 1)
    calls = []
    real = pattern_facts.compute
    monkeypatch.setattr(pattern_facts, "compute", lambda p: calls.append(p) or real(p))
    pattern_facts.facts(PATTERN)
    assert calls == [PATTERN]


def test_an_unwritable_cache_folder_is_not_an_error(fresh, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ROLEPLAY_HOME", str(blocker))  # the cache folder cannot be made
    assert pattern_facts.facts(PATTERN).first == frozenset({"you "})
    pattern_facts.save()


def test_the_shipped_facts_are_what_the_analysis_says_of_the_built_in_cues():
    from roleplay.core.scoring.cues import cue_patterns
    from roleplay.core.scoring.rubric import load_default_rubric

    text = pattern_facts.shipped_text(cue_patterns(load_default_rubric().cues))
    assert pattern_facts.shipped_path().read_text(encoding="utf-8") == text, \
        "run `roleplay train`: rubrics/cue-facts.json is stale"


def test_a_first_start_with_no_cache_reads_the_built_in_rubric_without_analysing_a_pattern(fresh, monkeypatch):
    from roleplay.core.scoring.rubric import default_rubric_path, load_rubric

    assert not (cache_dir() / "cue-facts.json").exists()
    monkeypatch.setattr(pattern_facts, "compute", lambda p: pytest.fail("analysed a built-in pattern"))
    rubric, diags = load_rubric(default_rubric_path())
    assert rubric is not None and len(rubric.cues) > 200


@pytest.mark.parametrize("content", ["{not json", json.dumps({"version": -1, "facts": {}}), ""])
def test_a_damaged_shipped_file_only_costs_speed(fresh, monkeypatch, tmp_path, content):
    bad = tmp_path / "cue-facts.json"
    bad.write_text(content, encoding="utf-8")
    monkeypatch.setattr(pattern_facts, "shipped_path", lambda: bad)
    assert pattern_facts.facts(PATTERN) == pattern_facts.compute(PATTERN)
