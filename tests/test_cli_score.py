"""`roleplay score` (one reply, or JSON lines) and `roleplay eval`."""

from __future__ import annotations

import io
import json
import sys

import pytest


from roleplay.cli import main
from roleplay.core.labels import LABELS


def run(capsys, argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_one_reply_for_a_person(capsys):
    code, out, _ = run(capsys, ["score", "sounds like ur really scared", "--client", "They might take my kids."])
    assert code == 0
    assert "Label: empathic" in out
    assert "Confidence:" in out and "Sub-kinds: reflection" in out
    assert "[sounds like ur really scared]" in out  # evidence in brackets when not a terminal
    assert "Feedback: " in out


def test_score_needs_a_reply_or_jsonl(capsys):
    code, _, err = run(capsys, ["score"])
    assert code == 2 and "--jsonl" in err


def _lines(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def test_jsonl_contract_with_malformed_lines(capsys, tmp_path):
    long_reply = ("You sound worn out. " * 6000)[:100_000]
    rows = [
        json.dumps({"id": "a", "client": "I'm so tired.", "reply": "You sound completely worn out."}),
        "this is not json",
        json.dumps([1, 2, 3]),
        json.dumps({"id": "no-reply", "client": "x"}),
        json.dumps({"id": 7, "reply": 42}),
        "",
        json.dumps({"id": "empty", "reply": ""}),
        json.dumps({"id": "ws", "reply": "   \n "}),
        json.dumps({"id": "long", "reply": long_reply}),
        json.dumps({"reply": "Why would you do that?", "client": None}),
        json.dumps({"id": "bad-client", "reply": "ok", "client": 5}),
        "   ",
        json.dumps({"id": "last", "reply": "At least it's over now."}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, ["score", "--jsonl", str(path)])
    assert code == 0
    got = _lines(out)
    assert [g.get("id") for g in got] == ["a", None, None, "no-reply", 7, "empty", "ws", "long", None,
                                          "bad-client", "last"]
    ok = [g for g in got if "error" not in g]
    for g in ok:
        assert set(g) == {"id", "label", "confidence", "scores", "kinds", "evidence"}
        assert g["label"] in LABELS and set(g["scores"]) == set(LABELS)
        for e in g["evidence"]:
            assert {"start", "end", "text", "label", "kind", "source", "weight"} <= set(e)
    errors = {g["line"]: g for g in got if "error" in g}
    assert set(errors) == {2, 3, 4, 5, 11}
    assert errors[4]["id"] == "no-reply" and "reply" in errors[4]["error"]
    assert errors[5]["id"] == 7
    by_id = {g["id"]: g for g in ok if g["id"] is not None}
    assert by_id["a"]["label"] == "empathic"
    assert by_id["empty"]["label"] == "neutral" and by_id["ws"]["label"] == "neutral"
    assert by_id["long"]["label"] == "empathic"
    assert all(e["end"] <= 100_000 for e in by_id["long"]["evidence"])
    assert by_id["last"]["label"] == "sympathetic"
    assert ok[-2]["label"] == "judgmental"  # the row with no id


def test_jsonl_from_stdin(capsys, monkeypatch):
    data = json.dumps({"id": 1, "reply": "You need to calm down."}) + "\n"
    code, out, _ = run(capsys, ["score", "--jsonl", "-"], stdin=data, monkeypatch=monkeypatch)
    assert code == 0 and _lines(out)[0]["label"] == "judgmental"


def test_jsonl_unreadable_file_fails(capsys, tmp_path):
    code, _, err = run(capsys, ["score", "--jsonl", str(tmp_path / "missing.jsonl")])
    assert code == 1 and "cannot read" in err


def test_eval_prints_metrics_and_the_hard_subset(capsys, tmp_path):
    rows = [
        {"id": 1, "client": "I feel so alone.", "reply": "You feel completely alone.", "label": "empathic", "hard": True},
        {"id": 2, "client": "", "reply": "Don't worry, it'll be fine.", "label": "sympathetic"},
        {"id": 3, "reply": "You should have known better.", "label": "judgmental", "hard": True},
        {"id": 4, "reply": "The group meets on Fridays at 6pm.", "label": "neutral"},
        {"id": 5, "reply": "ok", "label": "bogus"},
    ]
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    code, out, err = run(capsys, ["eval", str(path)])
    assert code == 0
    assert "accuracy: 1.000" in out and "macro-F1: 1.000" in out
    for lab in LABELS:
        assert lab in out
    assert "confusion" in out
    assert "hard macro-F1: 1.000" in out
    assert "unknown label 'bogus'" in err and ":6:" in err


def test_eval_with_a_bad_rubric_prints_diagnostics_and_fails(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rubric: 1\nid: x\ntitle: t\nlabelz: {}\n")
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"reply": "hi", "label": "neutral"}) + "\n")
    code, _, err = run(capsys, ["eval", str(data), "--rubric", str(bad)])
    assert code == 1
    assert f"{bad}:4:1: error[E102]" in err and 'did you mean "labels"' in err
    code, _, err = run(capsys, ["score", "hello", "--rubric", str(bad)])
    assert code == 1 and "E102" in err


def test_eval_missing_file_and_no_rows(capsys, tmp_path):
    code, _, err = run(capsys, ["eval", str(tmp_path / "none.jsonl")])
    assert code == 1 and "cannot read" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    code, _, err = run(capsys, ["eval", str(empty)])
    assert code == 1 and "no labelled replies" in err


def test_score_with_a_custom_rubric(capsys, tmp_path):
    from tests.core.scoring.test_rubric import GOOD

    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD)
    code, out, _ = run(capsys, ["score", "you need to leave him", "--rubric", str(path)])
    assert code == 0 and "Label: judgmental" in out and "Orders take control away." in out


# -- batch scoring in several processes, eval --cv and train ------------------------------------------

def test_jsonl_in_two_processes_keeps_order_and_matches_one_process(capsys, tmp_path):
    rows = [{"id": i, "reply": r, "client": "I lost my job today."} for i, r in enumerate(
        ["you poor thing", "why did you do that", "what was that like?", "the office opens at 9"] * 120)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    _, one, _ = run(capsys, ["score", "--jsonl", str(path), "--jobs", "1"])
    _, two, _ = run(capsys, ["score", "--jsonl", str(path), "--jobs", "2"])
    assert one == two
    out = _lines(two)
    assert [o["id"] for o in out[:-1]] == list(range(480)) and "error" in out[-1]


@pytest.fixture
def small_corpus(monkeypatch, tmp_path):
    """The built-in corpus cut to every 25th reply, so training in a test takes seconds."""
    from roleplay.core.scoring import train

    lines = train.corpus_path().read_text(encoding="utf-8").splitlines()[::25]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(train, "corpus_path", lambda: path)
    return path


def test_eval_cv_prints_the_honest_figures(capsys, small_corpus):
    code, out, err = run(capsys, ["eval", "--cv", "--folds", "3"])
    assert code == 0, err
    for needle in ("macro-F1:", "judgmental recall:", "false praise", "macro-F1 by voice", "non_native",
                   "confusion", "most confidently wrong"):
        assert needle in out
    assert "grouped by situation" in err


def test_train_combines_your_replies_with_the_corpus(capsys, small_corpus, tmp_path):
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"reply": "have you tried turning it off and on again", "label": "judgmental",
                                "kind": "dismissing"}) + "\n")
    out_path = tmp_path / "models" / "mine.rpm"
    code, out, err = run(capsys, ["train", str(mine), "--out", str(out_path)])
    assert code == 0, err
    assert out_path.is_file() and "Wrote" in out
    from roleplay.core.scoring.model import LinearModel

    assert LinearModel.load(out_path).meta["n_items"] == len(small_corpus.read_text().splitlines()) + 1


def test_train_writes_the_model_a_rubric_names_and_the_rubric_then_uses_it(capsys, small_corpus, tmp_path):
    from roleplay.core.scoring.rubric import default_rubric_path

    text = default_rubric_path().read_text(encoding="utf-8").replace("id: default", "id: mine\nmodel: mine.rpm", 1)
    rubric = tmp_path / "mine.yaml"
    rubric.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, ["train", "--rubric", str(rubric)])
    assert code == 0, err
    assert (tmp_path / "mine.rpm").is_file()
    code, out, _ = run(capsys, ["score", "you poor thing", "--rubric", str(rubric)])
    assert code == 0 and "Label:" in out


def test_train_refuses_what_it_should(capsys, small_corpus, tmp_path):
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"reply": "x", "label": "empathetic"}\n')
    code, _, err = run(capsys, ["train", str(mine), "--out", str(tmp_path / "m.rpm")])
    assert code == 1 and "mine.jsonl:1" in err and "label" in err
    mine.write_text('{"reply": "fine", "label": "neutral"}\n')
    code, _, err = run(capsys, ["train", str(mine)])
    assert code == 2 and "--out" in err
    from roleplay.core.scoring.rubric import default_rubric_path

    rubric = tmp_path / "nomodel.yaml"
    rubric.write_text(default_rubric_path().read_text(encoding="utf-8").replace("id: default", "id: nomodel", 1))
    code, _, err = run(capsys, ["train", "--rubric", str(rubric)])
    assert code == 2 and "model:" in err


# -- hostile input to the scoring commands ---------------------------------------------------------

def test_a_hostile_batch_loses_only_its_bad_lines(capsys, tmp_path):
    lines = ['{"id": NaN, "reply": "hi"}', '{"id": 1, "reply": "a\\ud800b"}', "[" * 100_000 + "]" * 100_000,
             '{"id": 3, "reply": "you poor thing"}', '{"id": Infinity, "reply": "x"}', '{"id": true, "reply": "ok"}']
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n")
    for jobs in ("1", "2"):
        code, out, _ = run(capsys, ["score", "--jsonl", str(path), "--jobs", jobs])
        got = _lines(out)  # every output line is valid JSON (no NaN, no lone surrogate)
        assert code == 0 and len(got) == 6
        assert "NaN is not JSON" in got[0]["error"] and "nested too deeply" in got[2]["error"]
        assert got[1]["id"] == 1 and got[3]["label"] == "sympathetic" and "Infinity" in got[4]["error"]
        assert got[5]["id"] == "True"


def test_no_escape_sequence_from_a_reply_reaches_the_terminal(capsys):
    reply = "you poor thing \x1b]52;c;aGVsbG8=\x07 \x1b[2J \u202e \x9b"
    code, out, _ = run(capsys, ["score", reply])
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    assert "\\x1b]52" in out  # shown, harmlessly


def test_jsonl_ids_are_echoed_as_text_or_finite_numbers(capsys, monkeypatch):
    """1e999 reads as infinity, which is not JSON: it comes back as text, and every line parses."""
    data = "\n".join(['{"id": 1e999, "reply": "ok"}', '{"id": -1e999, "reply": "ok"}', '{"id": NaN, "reply": "ok"}',
                      '{"id": [1e999], "reply": "ok"}', '{"id": 2.5, "reply": "ok"}', '{"id": "\\ud800", "reply": "ok"}'])
    code, out, _ = run(capsys, ["score", "--jsonl", "-"], stdin=data + "\n", monkeypatch=monkeypatch)
    assert code == 0 and "Infinity," not in out and "NaN," not in out
    rows = [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the output")) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["Infinity", "-Infinity", None, "[Infinity]", 2.5, "\ufffd"]
    assert "error" in rows[2] and all("label" in r for i, r in enumerate(rows) if i != 2)


def test_batch_chunks_cover_every_line_in_order_and_end_small():
    from roleplay.cli.batch import _chunks

    lines = [json.dumps({"id": i, "reply": "x" * (i % 40)}) + "\n" for i in range(3000)]
    chunks = list(_chunks(iter(lines), 250, sum(map(len, lines))))
    assert [line for _, c in chunks for line in c] == lines
    assert [first for first, _ in chunks] == [1 + sum(len(c) for _, c in chunks[:k]) for k in range(len(chunks))]
    sizes = [len(c) for _, c in chunks]
    assert sizes[0] == 250 and max(sizes[-10:]) == 25  # the last ones are small: no worker waits long
    assert list(_chunks(iter(lines), 250)) == [(1 + 250 * k, lines[250 * k:250 * (k + 1)]) for k in range(12)]
