"""The compact model file, read with the standard library and scored with numpy.

Format (little-endian): b"RPLM" + format byte + u32 header length + header JSON, then the blocks
named in the header: the vocabulary (feature strings joined by "\\n", zlib-compressed), each
feature's group (int8), idf and idf squared (float32), and one float32 column per label and per
sub-kind holding weight x idf for every feature.

A reply's vector, as training fits it (train.py builds its matrix with `encode` too):
- words and rules: a present feature's value is idf (binary term frequency);
- characters: each word occurrence adds idf for each of its distinct n-grams;
then each group is divided by its norm (for characters, the square root of the sum over word
occurrences of the word's summed idf squared) and multiplied by the group's scale. Columns are
stored already multiplied by idf, so a reply's rows (its word and rule features and its words'
character n-grams, with an idf-squared column for the norms) are gathered once and summed by
group, giving every label and sub-kind score at once; a word's character share of each label,
which the explanation needs, is computed once and kept (`char_word`).
"""

from __future__ import annotations

import json
import math
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from operator import mul
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

MAGIC = b"RPLM"
FORMAT = 2


class ModelError(Exception):
    """A model file that cannot be read (damaged, wrong format, from a newer version)."""


WORDS, CHARS, RULES = 0, 1, 2


@dataclass(slots=True)  # made for every reply: a plain init is cheaper than a frozen one
class CharWord:
    """One word's character n-grams as the model knows them, and their share of each label."""

    idx: tuple[int, ...]
    sums: tuple[float, ...]  # per label: sum of column values (the explanation's per-word share)


@dataclass(slots=True)  # made for every reply: a plain init is cheaper than a frozen one
class Encoded:
    """One reply as the model sees it."""

    words: tuple[int, ...]
    rules: tuple[int, ...]
    chars: tuple[CharWord, ...]  # one per word occurrence
    mult: tuple[float, float, float]  # per group
    z: tuple[float, ...] = ()  # the score of every label, then of every sub-kind
    rows: "np.ndarray | None" = None  # the model's rows for `words` then `rules` (for explanations)

    def pulls(self, coef: Sequence[float]) -> list[float]:
        """For each word then rule feature of the reply (in `words + rules` order): its value times
        sum(coef[c] x its weight for label c), what it pushes towards a mix of labels."""
        if self.rows is None or not len(self.rows):
            return []
        d = self.rows[:, :len(coef)] @ np.asarray(coef, dtype=np.float64)
        nw = len(self.words)
        d[:nw] *= self.mult[WORDS]
        d[nw:] *= self.mult[RULES]
        return d.tolist()

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


_CORE_BLOCKS = frozenset({"vocab", "groups", "idf", "idf2"})  # and w0.., k0..: the weight columns


def read_array(data: bytes, code: str = "f") -> array:
    """An array of `code` items from little-endian bytes (how the model file stores numbers)."""
    a = array(code)
    a.frombytes(data)
    if sys.byteorder != "little":  # pragma: no cover - the file is little-endian
        a.byteswap()
    return a


def le_bytes(a: array) -> bytes:
    """The array's items as little-endian bytes."""
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
    extra: dict[str, bytes] = field(default_factory=dict)  # further blocks, kept as stored (wordtables)

    def __post_init__(self) -> None:
        if self.idf2 is None:
            self.idf2 = array("f", map(mul, self.idf, self.idf))
        self.reset_cache()

    def reset_cache(self) -> None:
        """Forget what was derived from the weights (training sets them after building the model)."""
        self._chars = {}
        self._mat = None

    def _build_matrix(self):
        """Features x (labels, sub-kinds, idf squared) as float64, built on first use. A reply
        gathers its rows once and sums them by group: every class score and every group's norm
        in a few array operations, where a Python loop per class cost a quarter of the scoring."""
        cols = [np.frombuffer(c, dtype=np.float32) for c in [*self.cols, *self.kcols, self.idf2]]
        self._mat = np.vstack([np.stack(cols, axis=1).astype(np.float64), np.zeros((1, len(cols)))])
        self._zero = len(self._mat) - 1
        self._bias = np.array([*self.b, *self.bk, 0.0])
        return self._mat

    # -- scoring ----------------------------------------------------------------------------

    def char_word(self, word: str, grams: Sequence[str]) -> CharWord:
        cw = self._chars.get(word)
        if cw is None:
            get = self.vocab.get
            idx = tuple(k for k in map(get, grams) if k is not None)
            cw = CharWord(idx, tuple(sum(map(c.__getitem__, idx)) for c in self.cols))
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
        chars = tuple(self.char_word(w, g) for w, g in char_words)
        return self.encode_indices(tuple(ws), tuple(rs), chars)

    def encode_indices(self, wt: tuple[int, ...], rt: tuple[int, ...], words: Sequence[str] | tuple[CharWord, ...],
                       grams: Callable[[str], Sequence[str]] | None = None) -> Encoded:
        """As encode, with the word and rule features already looked up (each index once), and
        the reply's words (with `grams`, their character n-grams) or their CharWords."""
        if grams is None:
            chars = tuple(words)
        else:
            cache = self._chars
            got = list(map(cache.get, words))  # nearly every word is known or seen: looked up in C
            if not all(got):  # (a CharWord is always true)
                got = [cw or self.char_word(w, grams(w)) for cw, w in zip(got, words)]
            chars = tuple(got)
        if not self.cols:  # training, before the weights exist: only the values are wanted
            return Encoded(wt, rt, chars, self._mult(wt, rt, chars))
        mat = self._mat if self._mat is not None else self._build_matrix()
        idx = list(wt)
        idx.extend(rt)
        for cw in chars:
            idx.extend(cw.idx)
        idx.append(self._zero)  # an all-zero row closes the last group, so no group start is past the end
        nw, nr = len(wt), len(rt)
        # Each group's rows summed: reduceat sums [start, next start); an empty group gets one
        # row that is not its own, so it is zeroed.
        g = mat.take(np.fromiter(idx, np.intp, len(idx)), axis=0)
        sums = np.add.reduceat(g, (0, nw, nw + nr), axis=0)
        if not nw:
            sums[0] = 0.0
        if not nr:
            sums[1] = 0.0
        qw, qr, qc = sums[:, -1].tolist()
        sc_w, sc_c, sc_r = self.scales
        mw = sc_w / math.sqrt(qw) if qw > 0 else 0.0
        mc = sc_c / math.sqrt(qc) if qc > 0 else 0.0
        mr = sc_r / math.sqrt(qr) if qr > 0 else 0.0
        mult = (mw, mc, mr)
        z = tuple((np.dot((mw, mr, mc), sums) + self._bias).tolist())
        return Encoded(wt, rt, chars, mult, z, g[:nw + nr])  # type: ignore[arg-type]

    def _mult(self, wt, rt, chars) -> tuple[float, ...]:
        sq2 = self.idf2.__getitem__
        q = (sum(map(sq2, wt)), sum(sum(map(sq2, cw.idx)) for cw in chars), sum(map(sq2, rt)))
        return tuple(s / math.sqrt(v) if v > 0 else 0.0 for s, v in zip(self.scales, q))

    def scores(self, x: Encoded) -> list[float]:
        return list(x.z[:len(self.cols)])

    def kind_scores(self, x: Encoded, allowed: Sequence[int]) -> dict[int, float]:
        base = len(self.cols)
        return {c: x.z[base + c] for c in allowed}

    # -- file -------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        names = [""] * len(self.vocab)
        for n, k in self.vocab.items():
            names[k] = n
        blocks = {"vocab": "\n".join(names).encode("utf-8"), "groups": bytes(self.groups), "idf": le_bytes(self.idf)}
        for c, col in enumerate(self.cols):
            blocks[f"w{c}"] = le_bytes(col)
        for c, col in enumerate(self.kcols):
            blocks[f"k{c}"] = le_bytes(col)
        blocks["idf2"] = le_bytes(self.idf2)
        blocks.update(sorted(self.extra.items()))
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
            blocks: dict[str, bytes | memoryview] = {}
            view = memoryview(data)  # the weights are read in place, not copied block by block first
            if zlib.crc32(view[pos:]) != header.get("crc32"):
                raise ModelError("model file is damaged (its checksum does not match)")
            compressed = set(header.get("compressed", ()))
            for name, size in header["blocks"]:
                raw = view[pos:pos + size]
                if len(raw) != size:
                    raise ModelError("model file is damaged (it is shorter than its header says)")
                blocks[name] = zlib.decompress(raw) if name in compressed else raw
                pos += size
            n = int(header["n"])
            names = str(blocks["vocab"], "utf-8").split("\n") if n else []
            labels, kinds = tuple(header["labels"]), tuple(header["kinds"])
            idf = read_array(blocks["idf"])
            cols = [read_array(blocks[f"w{c}"]) for c in range(len(labels))]
            kcols = [read_array(blocks[f"k{c}"]) for c in range(len(kinds))]
            extra = {k: bytes(v) for k, v in blocks.items()
                     if k not in _CORE_BLOCKS and not (k[:1] in ("w", "k") and k[1:].isdigit())}
            if len(names) != n or len(idf) != n or len(blocks["groups"]) != n \
                    or any(len(c) != n for c in cols + kcols) or len(header["b"]) != len(labels):
                raise ModelError("model file is damaged (block sizes do not match)")
        except ModelError:
            raise
        except (IndexError, KeyError, ValueError, TypeError, struct.error, zlib.error) as e:
            raise ModelError(f"model file is damaged ({e.__class__.__name__})") from None
        model = cls(labels, kinds, dict(zip(names, range(n))), bytes(blocks["groups"]), idf, cols,
                    tuple(map(float, header["b"])), kcols, tuple(map(float, header["bk"])),
                    tuple(map(float, header["scales"])), dict(header.get("meta", {})), read_array(blocks["idf2"]), extra)
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
