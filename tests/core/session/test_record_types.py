"""Typed records: read once, checked field by field. Every kind of damage is a RecordError that
names the file and the field, never a crash later; old records still read; large records are
listed from their first lines."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from dataclasses import replace

import pytest

from roleplay.core.scenario.loader import load_scenario
from roleplay.core.session import record_json, records
from roleplay.core.session.engine import Session
from roleplay.core.session.record_types import VERSION

from tests.conftest import FIXTURES, FakeScorer


def played(n: int = 2, sid: str = "20260101-000000-tiny-beef") -> Session:
    scenario, _ = load_scenario(FIXTURES / "tiny.yaml")
    s = Session(scenario, FakeScorer(), id=sid, clock=lambda: "2026-01-01T00:00:00")
    for reply in ["N: can we talk", "E: sounds like work has eaten your week"][:n]:
        s.respond(reply)
    return s


def record_dict() -> dict:
    return json.loads(json.dumps(played().to_dict()))


def _with(path_, value):
    """A record dict with one field (a dotted path; numbers index lists) set to `value`."""
    d = record_dict()
    *parents, last = path_.split(".")
    target = d
    for p in parents:
        target = target[int(p)] if isinstance(target, list) else target[p]
    target[int(last) if isinstance(target, list) else last] = value
    return json.dumps(d)


SEVEN = {
    # kind: (file text, the start of the message after the file's name)
    "truncated": (json.dumps(record_dict(), indent=1)[:400], "ends early: the file is truncated"),
    "top_level_list": ("[1, 2, 3]", "not a roleplay session record (a list, not a mapping)"),
    "turns_not_a_list": (_with("turns", {"0": {}}), "turns should be a list, not a mapping"),
    "turn_field_types": (_with("turns.0.index", "one"), "turns[0].index should be a whole number, not text"),
    "turn_not_a_mapping": (_with("turns.1", "hello"), "turns[1] should be a mapping, not text"),
    "huge_number": (_with("turns.0.state.trust", 10 ** 3999), "turns[0].state.trust is a number 4,000 digits long"),
    "not_utf8": (None, "not UTF-8 text (byte 0xff"),
}


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    if text is None:
        path.write_bytes(json.dumps(record_dict()).encode().replace(b"Sam Ortiz", b"Sam \xff\xfe"))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(SEVEN))
def test_each_kind_of_damage_is_named_with_its_field(kind, tmp_path):
    text, message = SEVEN[kind]
    path = _write(tmp_path, kind, text)
    t = time.process_time()
    with pytest.raises(records.RecordError) as err:
        records.load(path)
    assert str(err.value).startswith(f"{kind}.json: {message}")
    infos, problems = records.list_records(tmp_path)
    assert infos == [] and problems == [f"skipped {err.value}"]
    assert time.process_time() - t < 2.0


@pytest.mark.parametrize("value, message", [
    (float("nan"), "not valid JSON (NaN is not a number JSON allows)"),
    (float("inf"), "not valid JSON (Infinity is not a number JSON allows)"),
])
def test_nan_and_infinity_are_not_numbers(value, message, tmp_path):
    d = record_dict()
    d["turns"][0]["assessment"]["confidence"] = value
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d))  # Python writes NaN and Infinity; JSON has neither
    with pytest.raises(records.RecordError) as err:
        records.load(path)
    assert str(err.value) == f"r.json: {message}"


def test_numbers_too_large_or_too_long_are_refused(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record_dict()).replace('"confidence": 0.9', '"confidence": 1e400', 1))
    with pytest.raises(records.RecordError, match=r"turns\[0\]\.assessment\.confidence should be a finite number"):
        records.load(path)
    path.write_text(json.dumps(record_dict()).replace('"trust": 40', '"trust": ' + "9" * 5000, 1))
    with pytest.raises(records.RecordError, match="^r.json: not valid JSON"):  # Python's own limit: 4,300 digits
        records.load(path)


def test_a_record_nested_thousands_deep_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"scenario": "tiny", "turns": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(records.RecordError, match="^deep.json: not a record .nested too deeply.$"):
        records.load(path)
    # The same in one turn of a record laid out a turn a line.
    path = records.save(played().to_record(), tmp_path)
    lines = path.read_text().splitlines()
    at = lines.index(record_json.TURNS_LINE) + 1
    lines[at] = "  " + "[" * 100_000 + "]" * 100_000 + ","
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(records.RecordError, match="nested too deeply"):
        records.load(path)


def test_format_version(tmp_path):
    d = record_dict()
    assert d["format"] == VERSION == 1
    del d["format"]  # records from before the version was written read as the current one
    (tmp_path / "old.json").write_text(json.dumps(d))
    assert records.load(tmp_path / "old.json").version == VERSION
    (tmp_path / "new.json").write_text(json.dumps({**d, "format": 2}))
    with pytest.raises(records.RecordError, match="^new.json: format is 2: written by a newer roleplay"):
        records.load(tmp_path / "new.json")


def test_lone_surrogates_in_a_record_become_the_replacement_character(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(record_dict()).replace("can we talk", "can we \\ud800 talk"))
    rec = records.load(path)
    assert rec.turns[0].reply == "N: can we \ufffd talk"
    records.save(rec, tmp_path / "again")  # and it can be saved again as UTF-8


def test_records_written_by_earlier_versions_still_read(tmp_path):
    """Earlier versions wrote the record indented, turns first; the same record reads the same."""
    s = played()
    old = tmp_path / "old.json"
    old.write_text(json.dumps(s.to_dict(), ensure_ascii=False, indent=1))
    new = records.save(s.to_record(), tmp_path / "new")
    assert records.load(old) == records.load(new) == s.to_record()
    assert records.read_header(old) == records.read_header(new) == s.to_record().header


def test_the_layout_on_disk_is_plain_json_with_the_header_first(tmp_path):
    s = played()
    path = records.save(s.to_record(), tmp_path)
    text = path.read_text()
    assert json.loads(text)["turns"] == s.to_dict()["turns"]
    lines = text.splitlines()
    turns_at = lines.index(record_json.TURNS_LINE)
    assert lines[turns_at - 1].startswith(' "summary": ')
    assert json.loads(text)["summary"] == {"turns": 2, "labels": {"empathic": 1, "sympathetic": 0,
                                                                   "judgmental": 0, "neutral": 1}}
    assert all(json.loads(line.rstrip(",")) for line in lines[turns_at + 1: turns_at + 3])  # a turn a line


def test_a_large_record_is_listed_from_its_first_lines(tmp_path, monkeypatch):
    """The picker and history read a small header; the turns are read when the session is opened."""
    s = played()
    rec = s.to_record()
    big = replace(rec, turns=rec.turns * 400, finished=False, ending=None)
    path = records.save(big, tmp_path)
    assert path.stat().st_size > record_json.HEADER_BYTES * 4
    # Damage a turn near the end, keeping the JSON valid: listing does not see it, opening does.
    text = path.read_text()
    cut = text.rindex('"index": ')
    path.write_text(text[:cut] + '"index": "x", ' + text[cut:].split(", ", 1)[1])
    tracemalloc.start()
    t = time.process_time()
    infos, problems = records.list_records(tmp_path)
    elapsed = time.process_time() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problems == [] and infos[0].header.turns == 800 and infos[0].header.labels["empathic"] == 400
    assert peak < 2 * record_json.HEADER_BYTES + 200_000 and elapsed < 0.5
    with pytest.raises(records.RecordError, match=r"turns\[799\]\.index should be a whole number"):
        records.load(path)
    # A large record cut short is still seen as truncated from its last bytes.
    path.write_text(text[: len(text) // 2])
    assert records.list_records(tmp_path)[1] == [f"skipped {path.name}: ends early: the file is truncated"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_records_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    t = time.process_time()
    infos, problems = records.list_records(tmp_path)
    assert problems == ["skipped pipe.json: not a regular file"] and time.process_time() - t < 2.0


def test_saving_checks_plain_values_and_refuses_what_could_not_be_read_back(tmp_path, monkeypatch):
    d = record_dict()
    d["turns"][0]["state"]["trust"] = "high"
    with pytest.raises(records.RecordError, match=r"turns\[0\]\.state\.trust should be a whole number"):
        records.save(d, tmp_path)
    path = records.save(record_dict(), tmp_path)
    before = path.read_bytes()
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", len(before) + 10)
    with pytest.raises(records.RecordFull):
        records.save(replace(played().to_record(), reflection="x" * 100), tmp_path)
    assert path.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))  # the old record is whole


def test_a_record_error_never_carries_an_escape_sequence(tmp_path):
    d = record_dict()
    d["turns"][0]["state"]["\x1b]52;c;aGk=\x07trust"] = "x"
    path = tmp_path / "\x1b[2Jevil.json"
    path.write_text(json.dumps(d))
    with pytest.raises(records.RecordError) as err:
        records.load(path)
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)
    assert str(err.value).startswith("\\x1b[2Jevil.json: turns[0].state.\\x1b]52;c;aGk=\\x07trust should be")
