"""A record's JSON layout on disk: the header first, then one turn per line.

    {
     "format": 1,
     "id": "20260301-101500-tiny-1a2b",
     ...                                      (every field but the turns and the reflection)
     "summary": {"turns": 2, "labels": {...}},
     "turns": [
      {"index": 1, ...},
      {"index": 2, ...}
     ],
     "reflection": ""
    }

It is plain JSON that any reader can read. Laid out like this, the start of the file is enough to
list a session (read_header), and the turns are read one line at a time, so a large record never
exists twice in memory (read_record). A record laid out otherwise (older versions indented it, or
a hand edit did) is read whole instead, with the same checks.
"""

from __future__ import annotations

import json
from functools import partial
from typing import IO, Any, Iterator

from roleplay.core.session.record_check import Checker
from roleplay.core.session.record_types import RecordError, RecordHeader, SessionRecord

HEADER_BYTES = 64 * 1024  # the header is well within this (titles, names and dates)
TURNS_LINE = ' "turns": ['
_dumps = partial(json.dumps, ensure_ascii=False, allow_nan=False)


def lines(record: SessionRecord) -> Iterator[str]:
    """The record as text, a line at a time (so writing it needs no second copy in memory)."""
    yield "{\n"
    for key, value in record.head_dict().items():
        yield f" {_dumps(key)}: {_dumps(value)},\n"
    yield f' "summary": {_dumps(record.summary_dict())},\n'
    yield TURNS_LINE + "\n"
    last = len(record.turns) - 1
    for i, turn in enumerate(record.turns):
        yield "  " + _dumps(turn.to_dict()) + ("\n" if i == last else ",\n")
    yield " ],\n"
    yield f' "reflection": {_dumps(record.reflection)}\n'
    yield "}\n"


class _Other(Exception):
    """Not laid out as `lines` writes it: read the file whole instead."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_refuse_constant)


class _Lines:
    """The file's lines as text; invalid UTF-8 is a RecordError naming the byte."""

    def __init__(self, fh: IO[bytes], name: str) -> None:
        self.fh, self.name, self.offset = fh, name, 0

    def next(self) -> str:
        raw = self.fh.readline()
        if not raw:
            raise _Other("the file ends early")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecordError(f"{self.name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                              f"{self.offset + exc.start:,})") from None
        self.offset += len(raw)
        return text.rstrip("\n")


def _member(line: str) -> tuple[str, Any, bool]:
    """(key, value, followed by a comma) from one ` "key": value,` line."""
    comma = line.endswith(",")
    if not line.startswith(' "'):
        raise _Other(line[:20])
    try:
        pair = _loads("{" + (line[:-1] if comma else line) + "}")
    except (ValueError, RecursionError):
        raise _Other(line[:20]) from None
    if len(pair) != 1:
        raise _Other(line[:20])
    (key, value), = pair.items()
    return key, value, comma


def _head(src: _Lines, budget: int | None = None) -> dict[str, Any]:
    """The members before the turns, up to and including the turns line."""
    if src.next().strip() != "{":
        raise _Other("no opening brace")
    head: dict[str, Any] = {}
    while True:
        line = src.next()
        if line == TURNS_LINE:
            return head
        if budget is not None and src.offset > budget:
            raise _Other("a long header")
        key, value, comma = _member(line)
        if not comma or key in head:
            raise _Other(key)
        head[key] = value


def _stream(fh: IO[bytes], checker: Checker, default_id: str) -> SessionRecord:
    src = _Lines(fh, checker.name)
    head = _head(src)
    turns = []
    comma = True  # whether another member may follow
    line = src.next()
    while line not in (" ]", " ],"):
        if not comma:
            raise _Other("a missing comma between turns")
        comma = line.endswith(",")
        try:
            value = _loads(line[:-1] if comma else line)
        except (ValueError, RecursionError):  # the whole-file reading says what is wrong
            raise _Other("a turn line") from None
        turns.append(checker.turn(value, f"turns[{len(turns)}]"))
        line = src.next()
    if turns and comma:
        raise _Other("a comma after the last turn")
    more = line.endswith(",")
    tail: dict[str, Any] = {}
    while more:
        key, value, more = _member(src.next())
        if key in head or key in tail or key == "turns":
            raise _Other(key)
        tail[key] = value
    if src.next().strip() != "}" or fh.read(4096).strip():
        raise _Other("no closing brace, or text after it")
    fields = {**head, **tail, "turns": []}
    return checker.finish(fields, checker.head(fields, default_id), tuple(turns))


def _whole(fh: IO[bytes], checker: Checker, default_id: str) -> SessionRecord:
    data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"{checker.name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start:,})") from None
    del data
    try:
        value = _loads(text)
    except RecursionError:
        raise RecordError(f"{checker.name}: not a record (nested too deeply)") from None
    except ValueError as exc:
        # The end of the text reached mid-value, or mid-string (whose error points at its start).
        cut = isinstance(exc, json.JSONDecodeError) and (exc.pos >= len(text.rstrip())
                                                         or exc.msg.startswith("Unterminated string"))
        raise RecordError(f"{checker.name}: " + ("ends early: the file is truncated" if cut else
                                                  f"not valid JSON ({exc})")) from None
    del text
    return checker.record(value, default_id, consume=True)


def read_record(fh: IO[bytes], name: str, default_id: str) -> SessionRecord:
    """The record in an open file (at its start), checked; RecordError names what is wrong."""
    checker = Checker(name)
    try:
        return _stream(fh, checker, default_id)
    except _Other:
        fh.seek(0)
        return _whole(fh, Checker(name), default_id)


def read_header(fh: IO[bytes], name: str, default_id: str, size: int) -> RecordHeader | None:
    """The header from the start of the file, or None when the record is laid out otherwise
    (then read it whole). A file that does not end as a record does is a RecordError."""
    checker = Checker(name)
    try:
        head = _head(_Lines(fh, name), budget=HEADER_BYTES)
    except _Other:
        return None
    if "summary" not in head:
        return None
    fh.seek(max(0, size - 64))
    if not fh.read().rstrip().endswith(b"}"):
        raise RecordError(f"{name}: ends early: the file is truncated")
    return checker.header(head, default_id)
