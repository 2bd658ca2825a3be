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


def _tiny_model():
    from array import array

    from roleplay.core.scoring.model import LinearModel

    vocab = {"w:a": 0, "w:b": 1, "cue:x": 2, "c: ab": 3, "c:ab ": 4, "m:len:3": 5}
    groups = bytes([0, 0, 2, 1, 1, 2])
    idf = array("f", [1.0, 2.0, 1.5, 0.5, 1.25, 1.0])
    cols = [array("f", [0.5, -1.0, 2.0, 0.25, -0.5, 0.1]), array("f", [-0.5, 1.0, -2.0, 0.0, 0.5, -0.1])]
    kcols = [array("f", [1.0, 0.0, 0.0, 0.5, 0.0, 0.0])]
    return LinearModel(("a", "b"), ("a/k",), vocab, groups, idf, cols, (0.1, -0.1), kcols, (0.0,), (1.0, 0.8, 0.6), {})


@pytest.mark.parametrize("words, rules, chars", [
    (["w:a", "w:b"], ["cue:x", "m:len:3"], ["ab"]),
    ([], ["m:len:3"], ["ab", "ab"]),  # no word features
    (["w:a"], [], []),  # no rules, no characters
    ([], [], []),  # nothing known
    (["w:zz"], ["cue:nope"], ["zz"]),  # nothing the model knows
])
def test_class_scores_equal_the_plain_dot_product(words, rules, chars):
    """Scores come from one gather of the reply's rows summed per group; they must equal weight
    times value summed feature by feature (columns hold weight x idf), whichever groups are empty."""
    m = _tiny_model()
    x = m.encode(words, rules, ((w, (f"c: {w}", f"c:{w} ")) for w in chars))
    values = x.values(m)

    def dot(col) -> float:
        return sum(col[k] / m.idf[k] * v for k, v in values.items())

    for c, (col, b) in enumerate(zip(m.cols, m.b)):
        assert m.scores(x)[c] == pytest.approx(b + dot(col), abs=1e-9)
    assert m.kind_scores(x, [0])[0] == pytest.approx(dot(m.kcols[0]), abs=1e-9)
