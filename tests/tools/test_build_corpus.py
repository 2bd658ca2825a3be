"""tools/build_corpus.py --append: a later batch joins the corpus with the same checks as the first."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_corpus.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_corpus", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.main


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _item(ident: str, reply: str, label: str) -> dict:
    return {"id": ident, "situation": "new_s01", "client": "They cut my hours again.", "reply": reply,
            "label": label, "kind": "", "voice": "terse", "hard": False}


def test_append_keeps_the_corpus_and_adds_only_agreed_new_replies_away_from_dev(tmp_path, build):
    corpus, batch = tmp_path / "corpus", tmp_path / "batch"
    corpus.mkdir()
    batch.mkdir()
    old = {"id": "w1_0001", "situation": "old_s01", "client": "I lost my job.", "reply": "That must have hit hard.",
           "label": "empathic", "kind": "validation", "voice": "terse", "hard": False}
    _write(corpus / "replies.jsonl", [old])
    _write(corpus / "situations.jsonl", [{"situation": "old_s01", "area": "work", "setting": "s", "client": "c",
                                          "practice": True, "content": []}])
    _write(batch / "writer_n.jsonl", [
        _item("n_1", "Fewer hours again, on top of everything.", "empathic"),   # kept
        _item("n_2", "You should have seen that coming.", "judgmental"),        # the passes disagree
        _item("n_3", "That must have  hit HARD.", "empathic"),                   # the corpus has it
        _item("n_4", "Have you tried asking your manager why?", "judgmental"),  # near a dev reply
    ])
    _write(batch / "label2_n.jsonl", [{"id": "n_1", "label": "empathic", "kind": "reflection"},
                                      {"id": "n_2", "label": "neutral", "kind": "information"},
                                      {"id": "n_3", "label": "empathic", "kind": "validation"},
                                      {"id": "n_4", "label": "judgmental", "kind": "interrogating"}])
    _write(batch / "situations_n.jsonl", [{"situation": "new_s01", "area": "work", "setting": "s",
                                           "client": "They cut my hours again.", "practice": True, "content": []}])
    dev = tmp_path / "dev.jsonl"
    _write(dev, [{"reply": "Have you tried asking your manager why??", "label": "judgmental"}])

    assert build([str(batch), "--append", "--out", str(corpus), "--dev", str(dev)]) == 0

    rows = [json.loads(x) for x in (corpus / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["w1_0001", "n_1"]
    assert rows[0] == old  # the corpus already built is kept exactly
    assert rows[1]["label"] == "empathic" and rows[1]["kind"] == "reflection"  # the writer gave none: the second pass does
    sits = [json.loads(x)["situation"] for x in (corpus / "situations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sits == ["new_s01", "old_s01"]


def test_append_refuses_an_id_the_corpus_already_has(tmp_path, build):
    corpus, batch = tmp_path / "corpus", tmp_path / "batch"
    corpus.mkdir()
    batch.mkdir()
    before = json.dumps(_item("n_1", "Fewer hours again.", "empathic")) + "\n"
    (corpus / "replies.jsonl").write_text(before, encoding="utf-8")
    _write(batch / "writer_n.jsonl", [_item("n_1", "Something else entirely.", "empathic")])
    _write(batch / "label2_n.jsonl", [{"id": "n_1", "label": "empathic", "kind": "reflection"}])
    dev = tmp_path / "dev.jsonl"
    _write(dev, [{"reply": "unrelated", "label": "neutral"}])

    assert build([str(batch), "--append", "--out", str(corpus), "--dev", str(dev)]) == 1
    assert (corpus / "replies.jsonl").read_text(encoding="utf-8") == before
