"""The compact model file, read with the standard library and scored in pure Python.

Format (little-endian): b"RPLM" + format byte + u32 header length + header JSON, then the blocks
named in the header: the vocabulary (feature strings joined by "\\n", zlib-compressed), each
feature's group (int8), idf and idf squared (float32), and one float32 column per label and per
sub-kind holding weight x idf for every feature.

A reply's vector, as training fits it (train.py builds its matrix with `encode` too):
- words and rules: a present feature's value is idf (binary term frequency);
- characters: each word occurrence adds idf for each of its distinct n-grams;
then each group is divided by its norm (for characters, the square root of the sum over word
occurrences of the word's summed idf squared) and multiplied by the group's scale. Columns are
stored already multiplied by idf, so a class score is a few C-level sums, and a word's
character share of every class is computed once and kept (`char_word`).
"""

from __future__ import annotations

import json
import math
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass
from operator import mul
from pathlib import Path
from typing import Iterable, Sequence

MAGIC = b"RPLM"
FORMAT = 2


class ModelError(Exception):
    """A model file that cannot be read (damaged, wrong format, from a newer version)."""


WORDS, CHARS, RULES = 0, 1, 2


@dataclass
class CharWord:
    """One word's character n-grams as the model knows them, and their share of each class."""

    idx: tuple[int, ...]
    q: float  # sum of idf squared
    sums: tuple[float, ...]  # per label: sum of column values
    ksums: tuple[float, ...] | None = None  # per sub-kind, all at once when a kind is first asked for


@dataclass(frozen=True)
class Encoded:
    """One reply as the model sees it."""

    words: tuple[int, ...]
    rules: tuple[int, ...]
    chars: tuple[CharWord, ...]  # one per word occurrence
    mult: tuple[float, float, float]  # per group
    char_sums: tuple[float, ...] = ()  # per label: the words' character sums, added up once

    @property
    def rules_known(self) -> bool:
        """Any rule feature besides the length and sentence-count buckets every reply has."""
        return len(self.rules) > 3

    def values(self, model: "LinearModel") -> dict[int, float]:
        """Feature index -> value (what training puts in the matrix)."""
        idf, m = model.idf, self.mult
        out = {k: idf[k] * m[WORDS] for k in self.words}
        out.update((k, idf[k] * m[RULES]) for k in self.rules)
        for cw in self.chars:
            for k in cw.idx:
                out[k] = out.get(k, 0.0) + idf[k] * m[CHARS]
        return out


def _floats(data: bytes) -> array:
    a = array("f")
    a.frombytes(data)
    if sys.byteorder != "little":  # pragma: no cover - the file is little-endian
        a.byteswap()
    return a


def _le(a: array) -> bytes:
    if sys.byteorder != "little":  # pragma: no cover
        a = array(a.typecode, a)
        a.byteswap()
    return a.tobytes()


@dataclass
class LinearModel:
    labels: tuple[str, ...]
    kinds: tuple[str, ...]  # "label/kind"
    vocab: dict[str, int]
    groups: bytes  # group of each feature
    idf: array
    cols: list[array]  # per label: weight x idf, one float per feature
    b: tuple[float, ...]
    kcols: list[array]  # per sub-kind, likewise
    bk: tuple[float, ...]
    scales: tuple[float, ...]  # per group
    meta: dict
    idf2: array | None = None  # idf squared, kept in the file so loading need not compute it

    def __post_init__(self) -> None:
        if self.idf2 is None:
            self.idf2 = array("f", map(mul, self.idf, self.idf))
        self._chars: dict[str, CharWord] = {}

    def reset_cache(self) -> None:
        self._chars = {}

    # -- scoring ----------------------------------------------------------------------------

    def char_word(self, word: str, grams: Sequence[str]) -> CharWord:
        cw = self._chars.get(word)
        if cw is None:
            get = self.vocab.get
            idx = tuple(k for k in map(get, grams) if k is not None)
            cw = CharWord(idx, sum(map(self.idf2.__getitem__, idx)),
                          tuple(sum(map(c.__getitem__, idx)) for c in self.cols))
            if len(self._chars) > 200_000:  # bound the memory a stream of nonsense words can take
                self._chars.clear()
            self._chars[word] = cw
        return cw

    def encode(self, word_names: Iterable[str], rule_names: Iterable[str],
               char_words: Iterable[tuple[str, Sequence[str]]]) -> Encoded:
        get = self.vocab.get
        ws = set(map(get, word_names))
        ws.discard(None)
        rs = set(map(get, rule_names))
        rs.discard(None)
        wt, rt = tuple(ws), tuple(rs)
        chars = tuple(self.char_word(w, g) for w, g in char_words)
        sq = (sum(map(self.idf2.__getitem__, wt)), sum(cw.q for cw in chars), sum(map(self.idf2.__getitem__, rt)))
        mult = tuple(s / math.sqrt(q) if q > 0 else 0.0 for s, q in zip(self.scales, sq))
        char_sums = tuple(map(sum, zip(*(cw.sums for cw in chars)))) if chars else ()
        return Encoded(wt, rt, chars, mult, char_sums)  # type: ignore[arg-type]

    def _score(self, col: array, bias: float, x: Encoded, chars: float) -> float:
        s = bias
        if x.words:
            s += x.mult[WORDS] * sum(map(col.__getitem__, x.words))
        if x.rules:
            s += x.mult[RULES] * sum(map(col.__getitem__, x.rules))
        return s + x.mult[CHARS] * chars if x.chars else s

    def scores(self, x: Encoded) -> list[float]:
        sums = x.char_sums or (0.0,) * len(self.cols)
        return [self._score(col, b, x, sums[c]) for c, (col, b) in enumerate(zip(self.cols, self.b))]

    def _kind_sums(self, cw: CharWord) -> tuple[float, ...]:
        # Every sub-kind of a word at once: the word comes back, and other kinds are asked for.
        ks = cw.ksums = tuple(sum(map(c.__getitem__, cw.idx)) for c in self.kcols)
        return ks

    def kind_scores(self, x: Encoded, allowed: Sequence[int]) -> dict[int, float]:
        if x.chars:
            per_word = [cw.ksums or self._kind_sums(cw) for cw in x.chars]
            sums = [sum([k[c] for k in per_word]) for c in allowed]
        else:
            sums = [0.0] * len(allowed)
        return {c: self._score(self.kcols[c], self.bk[c], x, t) for c, t in zip(allowed, sums)}

    # -- file -------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        names = [""] * len(self.vocab)
        for n, k in self.vocab.items():
            names[k] = n
        blocks = {"vocab": "\n".join(names).encode("utf-8"), "groups": bytes(self.groups), "idf": _le(self.idf)}
        for c, col in enumerate(self.cols):
            blocks[f"w{c}"] = _le(col)
        for c, col in enumerate(self.kcols):
            blocks[f"k{c}"] = _le(col)
        blocks["idf2"] = _le(self.idf2)
        # Only the vocabulary is compressed: float weights barely shrink, and inflating them
        # would cost most of the load time.
        packed = {k: (zlib.compress(v, 6) if k == "vocab" else v) for k, v in blocks.items()}
        header = {
            "labels": list(self.labels), "kinds": list(self.kinds), "b": list(self.b), "bk": list(self.bk),
            "scales": list(self.scales), "n": len(names), "meta": self.meta,
            "blocks": [[k, len(v)] for k, v in packed.items()], "compressed": ["vocab"],
            "crc32": zlib.crc32(b"".join(packed.values())),
        }
        hb = json.dumps(header, sort_keys=True).encode("utf-8")
        return MAGIC + bytes([FORMAT]) + struct.pack("<I", len(hb)) + hb + b"".join(packed.values())

    @classmethod
    def from_bytes(cls, data: bytes) -> "LinearModel":
        try:
            if data[:4] != MAGIC:
                raise ModelError("not a roleplay model file")
            if data[4] != FORMAT:
                raise ModelError(f"model format {data[4]} is not supported (this version reads {FORMAT})")
            (hl,) = struct.unpack("<I", data[5:9])
            header = json.loads(data[9:9 + hl].decode("utf-8"))
            pos = 9 + hl
            blocks: dict[str, bytes] = {}
            if zlib.crc32(data[pos:]) != header.get("crc32"):
                raise ModelError("model file is damaged (its checksum does not match)")
            compressed = set(header.get("compressed", ()))
            for name, size in header["blocks"]:
                raw = data[pos:pos + size]
                if len(raw) != size:
                    raise ModelError("model file is damaged (it is shorter than its header says)")
                blocks[name] = zlib.decompress(raw) if name in compressed else raw
                pos += size
            n = int(header["n"])
            names = blocks["vocab"].decode("utf-8").split("\n") if n else []
            labels, kinds = tuple(header["labels"]), tuple(header["kinds"])
            idf = _floats(blocks["idf"])
            cols = [_floats(blocks[f"w{c}"]) for c in range(len(labels))]
            kcols = [_floats(blocks[f"k{c}"]) for c in range(len(kinds))]
            if len(names) != n or len(idf) != n or len(blocks["groups"]) != n \
                    or any(len(c) != n for c in cols + kcols) or len(header["b"]) != len(labels):
                raise ModelError("model file is damaged (block sizes do not match)")
        except ModelError:
            raise
        except (IndexError, KeyError, ValueError, TypeError, struct.error, zlib.error) as e:
            raise ModelError(f"model file is damaged ({e.__class__.__name__})") from None
        model = cls(labels, kinds, dict(zip(names, range(n))), blocks["groups"], idf, cols,
                    tuple(map(float, header["b"])), kcols, tuple(map(float, header["bk"])),
                    tuple(map(float, header["scales"])), dict(header.get("meta", {})), _floats(blocks["idf2"]))
        if len(model.idf2) != n:
            raise ModelError("model file is damaged (block sizes do not match)")
        return model

    @classmethod
    def load(cls, path: str | Path) -> "LinearModel":
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise ModelError(f"cannot read the model file {path}: {e.strerror or e}") from None
        return cls.from_bytes(data)


def softmax(scores: Sequence[float]) -> list[float]:
    m = max(scores)
    e = [math.exp(s - m) for s in scores]
    t = sum(e)
    return [v / t for v in e]
