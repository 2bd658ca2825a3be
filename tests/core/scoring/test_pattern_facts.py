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
