"""The model file: written and read back exactly; damage is a clear error, never a crash."""

from __future__ import annotations

import pytest

from roleplay.core.scoring import default_scorer
from roleplay.core.scoring.decide import model_path
from roleplay.core.scoring.model import LinearModel, ModelError


@pytest.fixture(scope="module")
def data() -> bytes:
    return model_path(default_scorer().rubric).read_bytes()


def test_round_trip_is_exact(data):
    m = LinearModel.from_bytes(data)
    assert m.to_bytes() == data
    assert m.labels == ("empathic", "sympathetic", "judgmental", "neutral")
    assert len(m.kinds) == 20 and len(m.vocab) > 10_000


@pytest.mark.parametrize("damage", [
    lambda d: b"", lambda d: b"nonsense", lambda d: d[:100], lambda d: d[:len(d) // 2],
    lambda d: d[:4] + bytes([99]) + d[5:], lambda d: d[:9] + b"[" + d[10:], lambda d: d[:-50] + bytes(50),
])
def test_a_damaged_file_is_a_model_error(data, damage):
    with pytest.raises(ModelError):
        LinearModel.from_bytes(damage(data))


def test_a_missing_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="cannot read"):
        LinearModel.load(tmp_path / "nope.rpm")


def test_a_rubric_whose_model_is_broken_gives_a_diagnostic_not_a_crash(tmp_path):
    from roleplay.core.scoring.rubric import default_rubric_path
    from roleplay.core.scoring import scorer_for

    text = default_rubric_path().read_text(encoding="utf-8").replace("id: default", "id: mine\nmodel: mine.rpm", 1)
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "mine.rpm").write_bytes(b"RPLM\x01garbage")
    scorer, diags = scorer_for(rubric=str(tmp_path / "mine.yaml"))
    assert scorer is None and any(d.code == "E410" for d in diags)
