"""Untrusted YAML in, plain values with their positions out.

Scenario and rubric files are passed around between instructors and downloaded from course sites,
so they are parsed with yaml.safe_load semantics and more: only the plain YAML types are built,
Python-object and unknown tags are refused, and size, nesting depth, string length and alias
expansion are bounded. Every problem becomes a Diagnostic with a line and column; nothing raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.core.io.diagnostics import ERROR, Diagnostic
from roleplay.core.io.gc_pause import gc_paused
from roleplay.core.io.limits import MAX_INT_CHARS
from roleplay.core.io.terminal import UNSAFE
from roleplay.core.io.yaml_errors import Explained, explain
from roleplay.core.io.yaml_budget import over_budget

MAX_BYTES = 16_000_000
MAX_DEPTH = 64
MIN_NODE_BUDGET = 100_000  # values built; also at least one per character of the file, since
# only aliases let a document expand to more values than it has characters (a "billion laughs")
MAX_STRING = 20_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp"}  # kept as the text the author wrote


@dataclass
class YNode:
    """A parsed value with the position (1-based) where it starts in the file."""

    value: Any  # dict[str, YNode] | list[YNode] | scalar
    line: int
    col: int
    kind: str  # "map", "seq" or "scalar"
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    raw: str = ""  # a true/false or whole number as written (`yes`, `on`, `+10`), for messages and effects

    def key_pos(self, key: str) -> tuple[int, int]:
        return self.keys.get(key, (self.line, self.col))

    @property
    def pos(self) -> tuple[int, int]:
        return (self.line, self.col)

    def get(self, key: str) -> "YNode | None":
        if self.kind == "map":
            return self.value.get(key)
        return None

    def plain(self) -> Any:
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return self.value


def text_of(n: YNode | None, default: str = "") -> str:
    """A scalar's text, stripped; `default` for a missing value, null, a list or a mapping."""
    return str(n.value).strip() if n is not None and n.kind == "scalar" and n.value is not None else default




class _Refused(Exception):
    def __init__(self, line: int, col: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message = line, col, code, message


def _pos(node: Node) -> tuple[int, int]:
    m = node.start_mark
    return (m.line + 1, m.column + 1)


class _Builder:
    def __init__(self, budget: int, text: str = "") -> None:
        self.count = 0
        self.budget = budget
        self.constructor = SafeConstructor()
        self.text = text
        self.unsafe: list[tuple[int, int, str]] = []  # (line, col, character) of escaped controls

    def build(self, node: Node, depth: int) -> YNode:
        self.count += 1
        line, col = _pos(node)
        if self.count > self.budget:
            raise _Refused(line, col, "E006", f"aliases expand this document to more than {self.budget:,} "
                           "values (an alias bomb?); refusing to load it")
        if depth > MAX_DEPTH:
            raise _Refused(line, col, "E007", f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return self._scalar(node, line, col)
        if node.tag not in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            raise _Refused(line, col, "E005", f"tag {node.tag!r} is not allowed; only plain YAML "
                           "values (text, numbers, true/false, lists, mappings) are")
        if isinstance(node, SequenceNode):
            return YNode([self.build(n, depth + 1) for n in node.value], line, col, "seq")
        assert isinstance(node, MappingNode)
        out: dict[str, YNode] = {}
        keys: dict[str, tuple[int, int]] = {}
        for knode, vnode in node.value:
            kline, kcol = _pos(knode)
            if knode.tag == "tag:yaml.org,2002:merge":
                raise _Refused(kline, kcol, "E005", "merge keys (<<) are not supported")
            if not isinstance(knode, ScalarNode):
                raise _Refused(kline, kcol, "E003", "mapping keys must be plain text")
            # Keys are kept as written: YAML 1.1 would turn `on:` or `no:` into booleans.
            key = self._scalar(knode, kline, kcol) and str(knode.value)
            if key in out:
                first = keys[key]
                raise _Refused(kline, kcol, "E004",
                               f"the key {key!r} appears twice here (first on line {first[0]}): keep one "
                               "of them, or check the indentation")
            keys[key] = (kline, kcol)
            out[key] = self.build(vnode, depth + 1)
        return YNode(out, line, col, "map", keys)

    def _scalar(self, node: ScalarNode, line: int, col: int) -> YNode:
        if len(node.value) > MAX_STRING:
            raise _Refused(line, col, "E008", f"text longer than {MAX_STRING:,} characters")
        if node.tag in _TEXT_TAGS:
            return YNode(node.value, line, col, "scalar")
        if node.tag == "tag:yaml.org,2002:str":
            # Raw control characters were refused before parsing; only a double-quoted escape
            # ("\e", "\x1b") can still make one.
            m = UNSAFE.search(node.value) if node.style == '"' else None
            if m is not None and len(self.unsafe) < MAX_UNSAFE_REPORTED:
                self.unsafe.append((*_escape_pos(self.text, node, line, col), m.group()))
            return YNode(node.value, line, col, "scalar")
        if node.tag not in _PLAIN_TAGS:
            raise _Refused(line, col, "E005", f"tag {node.tag!r} is not allowed; only plain YAML "
                           "values (text, numbers, true/false, lists, mappings) are")
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_INT_CHARS:
            raise _Refused(line, col, "E013", f"a number {len(node.value):,} characters long; numbers here "
                           f"have at most {MAX_INT_CHARS} digits (put it in quotes if it is text)")
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. an out-of-range hex or float literal
            raise _Refused(line, col, "E013", f"this value cannot be read as a number ({exc}); "
                           "put it in quotes if it is text") from None
        if isinstance(value, (bool, int)):  # `yes` for true; `+10` (a change) or `10` in effects
            return YNode(value, line, col, "scalar", raw=node.value)
        return YNode(value, line, col, "scalar")


MAX_UNSAFE_REPORTED = 20
_YAML_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_NAMED_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b",
                  "N": "\x85"}


def _escape_pos(text: str, node: ScalarNode, line: int, col: int) -> tuple[int, int]:
    """Where, inside a double-quoted scalar, the escape that makes a control character is
    (`"\\e[2J"`, `"\\x1b"`); the scalar's own position when it cannot be found."""
    lines = text.split("\n")
    end_line, end_col = node.end_mark.line, node.end_mark.column
    for ln in range(line - 1, min(end_line + 1, len(lines))):
        src = lines[ln]
        first = col - 1 if ln == line - 1 else 0
        last = end_col if ln == end_line else len(src)
        for m in _YAML_ESCAPE.finditer(src, first, last):
            code = m.group(1)
            ch = chr(int(code[1:], 16)) if len(code) > 1 else _NAMED_ESCAPES.get(code, "")
            if ch and UNSAFE.match(ch):
                return ln + 1, m.start() + 1
    return line, col


def _describe(ch: str) -> str:
    c = ord(ch)
    if c == 0x1B:
        return "an escape character (ESC, U+001B), which can start a terminal command"
    if 0x202A <= c <= 0x202E or 0x2066 <= c <= 0x2069:
        return f"a bidi control (U+{c:04X}), which can make text read differently from how it is stored"
    return f"a control character (U+{c:04X})"


def unsafe_diagnostic(path: str, line: int, col: int, ch: str) -> Diagnostic:
    return Diagnostic(path, line, col, ERROR, "E014",
                      f"text contains {_describe(ch)}; control characters are not allowed in these files "
                      "(remove it, or write what you mean in words)")


# As terminal.UNSAFE, less the carriage return: in a file it ends a line (Windows line endings).
_RAW_UNSAFE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]")


def _raw_unsafe(text: str, path: str) -> list[Diagnostic]:
    """Control characters written into the file itself, comments included: a bidi override in
    a comment can disguise the lines around it in an editor."""
    out: list[Diagnostic] = []
    for m in _RAW_UNSAFE.finditer(text):
        i = m.start()
        line_start = text.rfind("\n", 0, i) + 1
        out.append(unsafe_diagnostic(path, text.count("\n", 0, i) + 1, i - line_start + 1, m.group()))
        if len(out) >= MAX_UNSAFE_REPORTED:
            break
    return out


def _decode(source: str | bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    if isinstance(source, str):
        return source, []
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = source[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(path, line, col, ERROR, "E002",
                                 f"not UTF-8 text (byte 0x{source[exc.start]:02x}); "
                                 "save the file as UTF-8")]
    return text.removeprefix("\ufeff"), []


_C_SAFE_DEPTH = 2_000  # libyaml recurses on the C stack: deeper documents can crash the process


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply `text` can nest, so libyaml is only given what it survives.

    Block nesting needs more indentation or another `- `, `: `, `? ` on the line; flow nesting
    needs an open bracket. Brackets inside quotes are counted too, which only raises the bound.
    """
    depth = flow = 0
    for ch in re.sub(r"[^\[\]{}]+", "", text):
        flow = flow + 1 if ch in "[{" else max(0, flow - 1)
        depth = max(depth, flow)
    block = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        score = len(line) - len(stripped) + stripped.count("- ") + stripped.count(": ") + stripped.count("? ")
        block = max(block, score)
    return depth + block


def _compose(text: str):
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or _nesting_bound(text) > _C_SAFE_DEPTH:
        loader = yaml.SafeLoader  # pure Python: deep nesting ends in a RecursionError, not a crash
    return yaml.compose(text, Loader=loader)


def load_yaml(source: str | bytes, path: str) -> tuple[YNode | None, list[Diagnostic]]:
    """Parse one YAML document. Returns (None, diagnostics) when it cannot be used."""
    if len(source) > MAX_BYTES:
        return None, [Diagnostic(path, 1, 1, ERROR, "E009",
                                 f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it")]
    text, diags = _decode(source, path)
    if text is None:
        return None, diags
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Diagnostic(path, line, 1, ERROR, "E002", "file contains NUL bytes: is it binary?")]
    unsafe = _raw_unsafe(text, path)
    if unsafe:
        return None, unsafe
    with gc_paused():
        return _parse(text, path)


def _parse(text: str, path: str) -> tuple[YNode | None, list[Diagnostic]]:
    over = over_budget(text)  # before the parser holds millions of items
    if over is not None:
        return None, [Diagnostic(path, over[0], over[1], ERROR, "E015", over[2])]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        try:
            why = explain(text, exc)
        except Exception:  # the explanation is a courtesy: never let it hide the error itself
            mark = exc.problem_mark or exc.context_mark
            why = Explained(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                            "YAML cannot read the file here", f"YAML parser: {exc.problem or exc}")
        return None, [Diagnostic(path, why.line, why.col, ERROR, "E001", why.message, why.detail)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, ERROR, "E001", f"YAML syntax: {exc}")]
    except RecursionError:
        return None, [Diagnostic(path, 1, 1, ERROR, "E007", f"nesting deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, [Diagnostic(path, 1, 1, ERROR, "E010", "file is empty")]
    builder = _Builder(max(MIN_NODE_BUDGET, len(text)), text)
    try:
        root = builder.build(node, 0)
        if builder.unsafe:
            return None, [unsafe_diagnostic(path, *u) for u in builder.unsafe]
        return root, []
    except _Refused as r:
        return None, [Diagnostic(path, r.line, r.col, ERROR, r.code, r.message)]
    except RecursionError:
        return None, [Diagnostic(path, 1, 1, ERROR, "E007", f"nesting deeper than {MAX_DEPTH} levels")]


def read_source(path: str) -> tuple[bytes | None, list[Diagnostic]]:
    """Read a file's bytes with the size limit applied before reading it whole."""
    import os
    import stat

    try:
        # Only a regular file is read: a FIFO or a device would block open() or read() for ever.
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return None, [Diagnostic(path, 1, 1, ERROR, "E011", "is a folder, not a file")]
        if not stat.S_ISREG(st.st_mode):
            return None, [Diagnostic(path, 1, 1, ERROR, "E012",
                                     "is not a regular file (a pipe, socket or device); refusing to read it")]
        if st.st_size > MAX_BYTES:
            return None, [Diagnostic(path, 1, 1, ERROR, "E009",
                                     f"file is larger than {MAX_BYTES // 1_000_000} MB; refusing to load it")]
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # swapped for a FIFO since the stat
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None, [Diagnostic(path, 1, 1, ERROR, "E012",
                                         "is not a regular file (a pipe, socket or device); refusing to read it")]
            return fh.read(MAX_BYTES + 1), []
    except IsADirectoryError:
        return None, [Diagnostic(path, 1, 1, ERROR, "E011", "is a folder, not a file")]
    except RuntimeError:  # a symlink loop on some Pythons
        return None, [Diagnostic(path, 1, 1, ERROR, "E011", "cannot read file: a loop of symbolic links")]
    except OSError as exc:
        return None, [Diagnostic(path, 1, 1, ERROR, "E011", f"cannot read file: {exc.strerror or exc}")]
