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


def test_a_closed_stdin_reads_as_empty_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with `<&-`
    code, out, err = run(capsys, ["score", "--jsonl", "-"])
    assert code == 0 and out == "" and "Traceback" not in err
    monkeypatch.setattr(sys, "stdin", None)  # (the records go to the test's own home: conftest)
    code, out, err = run(capsys, ["play", "mandated_parent", "--script", "-"])
    assert code == 0 and "0 turn(s)" in out


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


def _batch_bytes() -> bytes:
    """Seven hundred lines (several chunks), with what a real pipe brings: a CRLF line, a blank
    one, a line that is not JSON, bytes that are not UTF-8 and a long reply."""
    rows = [json.dumps({"id": i, "client": "They took my kids.",
                        "reply": ["You must be terrified.", "Cheer up, it'll work out.", "You should have called us.",
                                  "When is the next review?"][i % 4]}) for i in range(700)]
    rows[10] += "\r"
    rows[20] = ""
    rows[30] = "{not json"
    rows[40] = '{"id": 40, "reply": "you poor thing'
    rows[50] = json.dumps({"id": 50, "reply": "You sound exhausted. " * 3000})
    data = "\n".join(rows).encode("utf-8") + b"\n"
    return data.replace(b"you poor thing", b"you poor \xff thing\"}")


def _score_cli(args, **kw):
    import subprocess

    return subprocess.run([sys.executable, "-m", "roleplay.cli", "score", *args], capture_output=True, timeout=120, **kw)


def test_a_batch_piped_in_or_redirected_comes_out_as_from_the_file(tmp_path):
    """`cat replies.jsonl | roleplay score --jsonl -` is scored on every core, like the file, and
    gives the same lines in the same order (errors name the same line numbers)."""
    path = tmp_path / "batch.jsonl"
    path.write_bytes(_batch_bytes())
    from_file = _score_cli(["--jsonl", str(path), "--jobs", "2"])
    piped = _score_cli(["--jsonl", "-", "--jobs", "2"], input=path.read_bytes())
    with path.open("rb") as f:
        redirected = _score_cli(["--jsonl", "-", "--jobs", "2"], stdin=f)
    assert from_file.returncode == piped.returncode == redirected.returncode == 0, piped.stderr
    assert piped.stdout == from_file.stdout == redirected.stdout
    out = _lines(from_file.stdout.decode())
    assert len(out) == 699  # one line blank
    assert {r["line"] for r in out if "error" in r} == {31}
    assert [r["id"] for r in out if "error" not in r][:12] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert next(r for r in out if r.get("id") == 40)["label"] == "sympathetic"  # the bad byte replaced


def test_a_program_talking_through_a_pipe_is_answered_one_reply_at_a_time():
    """Nothing waits for a full chunk: each reply's line comes back before the next is sent."""
    import select
    import subprocess

    proc = subprocess.Popen([sys.executable, "-m", "roleplay.cli", "score", "--jsonl", "-", "--jobs", "2"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        for reply, label in [("You need to calm down.", "judgmental"), ("ur doing great", "sympathetic"),
                             ("No wonder you're angry, I'd be furious too", "empathic")]:
            proc.stdin.write(json.dumps({"id": label, "reply": reply}) + "\n")
            proc.stdin.flush()
            assert select.select([proc.stdout], [], [], 60)[0], f"no answer to {reply!r}"
            assert json.loads(proc.stdout.readline())["label"] == label
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_pipe_chunks_split_lines_across_reads_and_stop_when_told():
    import os
    import threading

    from roleplay.cli.batch import _pipe_chunks

    r, w = os.pipe()
    stop = threading.Event()
    got: list = []
    reader = threading.Thread(target=lambda: got.extend(_pipe_chunks(r, 3, stop)))
    reader.start()
    long_line = b'{"reply": "' + b"a" * 300_000 + b'"}'
    for piece in [b'{"id": 1}\n{"id"', b': 2}\r\n', long_line[:70_000], long_line[70_000:] + b"\n\n",
                  b'{"id": 5}\n{"id": 6}\n{"id": 7}\n{"id": 8}\n{"id": 9}']:
        os.write(w, piece)
    os.close(w)
    reader.join(10)
    os.close(r)
    lines = [(n + k, line) for n, chunk in got for k, line in enumerate(chunk)]
    assert [n for n, _ in lines] == list(range(1, 10))
    assert lines[1][1] == '{"id": 2}' and lines[2][1] == long_line.decode() and lines[3][1] == ""
    assert all(len(chunk) <= 3 for _, chunk in got) and lines[-1][1] == '{"id": 9}'

    r, w = os.pipe()  # the input stays open and silent: the reader gives up once stopped
    reader = threading.Thread(target=lambda: list(_pipe_chunks(r, 3, stop)))
    reader.start()
    reader.join(0.5)
    assert reader.is_alive()
    stop.set()
    reader.join(5)
    assert not reader.is_alive()
    os.close(w)
    os.close(r)
