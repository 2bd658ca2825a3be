"""Shared test helpers: a small fake scorer, fixtures, an isolated data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.assessment import Assessment, Context, Evidence

FIXTURES = Path(__file__).parent / "fixtures"


class FakeScorer:
    """Labels by a keyword at the start of the reply: 'E: ...', 'S: ...', 'J: ...', else neutral."""

    PREFIX = {"E:": "empathic", "S:": "sympathetic", "J:": "judgmental", "N:": "neutral"}

    def __init__(self) -> None:
        self.seen: list[tuple[str, Context]] = []

    def assess(self, reply: str, context: Context) -> Assessment:
        self.seen.append((reply, context))
        label = self.PREFIX.get(reply[:2], "neutral")
        ev = (Evidence(0, 2, reply[:2], label, "test", "rule:prefix"),) if reply[:2] in self.PREFIX else ()
        return Assessment(label=label, confidence=0.9, scores={label: 1.0}, kinds=("test",),
                          evidence=ev, feedback=f"{label} feedback")


@pytest.fixture
def fake_scorer() -> FakeScorer:
    return FakeScorer()


@pytest.fixture(autouse=True)
def roleplay_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder: no test touches a real student's records."""
    home = tmp_path / "roleplay-home"
    monkeypatch.setenv("ROLEPLAY_HOME", str(home))
    return home


@pytest.fixture
def tiny_path() -> Path:
    return FIXTURES / "tiny.yaml"
