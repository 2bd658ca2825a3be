"""Per-word tables for the words the model knows, made by `roleplay train` and kept in the model file.

Scoring looks up three things for every word of a reply: the cues whose needed strings it holds
(`CueMatcher._word`), the cues that can start at it (`CueMatcher._starting`) and its character
n-grams' weights (`LinearModel.char_word`). Each is worked out the first time a word is seen and
then kept. On replies a batch has not seen before, that first sight cost each worker about a tenth
of its time, and every worker paid it again for the same common words. Batch scoring therefore
loads these tables for every known word before it forks (about 20 ms).

The tables are only used with the rubric they were made with: a fingerprint of its cues (and of
this module's VERSION, bumped whenever the way a table is worked out changes) must match, or
they are ignored and each word is worked out on first sight, as before.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from array import array
from typing import Sequence

from .cues import CueMatcher
from .features import char_grams
from .model import CharWord, LinearModel, le_bytes, read_array

BLOCK = "wordtab"  # the model file's block that holds them
VERSION = 1
_MAX_BYTES = 64 << 20  # the built-in model's tables inflate to under 1 MB


def fingerprint(cues: Sequence) -> str:
    """What the cue tables depend on: every cue's id and pattern, in order."""
    h = hashlib.sha256(f"wordtab {VERSION}\n".encode("utf-8"))
    for c in cues:
        h.update(f"{c.id}\t{c.pattern.pattern}\t{c.pattern.flags}\n".encode("utf-8"))
    return h.hexdigest()[:16]


def known_words(model: LinearModel) -> list[str]:
    """The model's word unigrams, in vocabulary order."""
    return [name[2:] for name in model.vocab if name.startswith("w:")]


# Three ragged tables of whole numbers (each: a count per word, then every word's numbers in turn)
# and the character sums, one float per label per word; stored little-endian.
_RAGGED = (("cues", "H"), ("starts", "H"), ("chars", "i"))
_CODES = (*(c for _, code in _RAGGED for c in ("H", code)), "d")  # each block's item type, in order


def build(matcher: CueMatcher, model: LinearModel) -> bytes:
    """The tables for every known word, as the model file stores them. They are worked out by the
    same methods scoring calls, so they cannot differ from them."""
    words = known_words(model)
    rows: dict[str, list[list[int]]] = {name: [] for name, _ in _RAGGED}
    also: list[list] = []
    sums = array("d")
    for i, w in enumerate(words):
        c, a = matcher._word(w)
        cw = model.char_word(w, char_grams(w))
        rows["cues"].append(sorted(c))
        rows["starts"].append(sorted(matcher._starting(w)))
        rows["chars"].append(list(cw.idx))
        sums.extend(cw.sums)
        if a:
            also.append([i, sorted(a)])
    blocks: list[bytes] = []
    for name, code in _RAGGED:
        blocks.append(le_bytes(array("H", map(len, rows[name]))))
        blocks.append(le_bytes(array(code, [k for row in rows[name] for k in row])))
    blocks.append(le_bytes(sums))
    header = {"version": VERSION, "fingerprint": fingerprint(matcher.cues), "words": words, "also": also,
              "sizes": [len(b) for b in blocks]}
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return zlib.compress(struct.pack("<I", len(hb)) + hb + b"".join(blocks), 6)


def preload(matcher: CueMatcher, model: LinearModel, blob: bytes) -> bool:
    """Fill the matcher's and the model's per-word caches from `blob`; False (and nothing filled)
    when the tables are damaged or were made for other cues or another version. (The caller pauses
    the garbage collector: LearnedScorer.preload.)"""
    try:
        inflate = zlib.decompressobj()
        data = inflate.decompress(blob, _MAX_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            return False  # larger than any real table (a damaged or hostile file): not inflated further
        (hl,) = struct.unpack("<I", data[:4])
        header = json.loads(data[4:4 + hl].decode("utf-8"))
        if header.get("version") != VERSION or header.get("fingerprint") != fingerprint(matcher.cues):
            return False
        words, sizes = header["words"], header["sizes"]
        n, n_labels = len(words), len(model.cols)
        pos, arrays = 4 + hl, []
        for size, code in zip(sizes, _CODES):
            arrays.append(read_array(data[pos:pos + size], code))
            pos += size
        if len(arrays) != len(_CODES) or pos != len(data) or len(arrays[-1]) != n * n_labels:
            return False
        tables = []
        for (name, _), counts, flat, top in zip(_RAGGED, arrays[0:-1:2], arrays[1:-1:2],
                                                (len(matcher.cues), len(matcher.cues), len(model.vocab))):
            if len(counts) != n or sum(counts) != len(flat) or (flat and not 0 <= min(flat) <= max(flat) < top):
                return False
            at, table = 0, []
            for c in counts:
                table.append(tuple(flat[at:at + c]))
                at += c
            tables.append(table)
        also: list[frozenset[str]] = [frozenset()] * n
        for i, strings in header["also"]:
            also[i] = frozenset(strings)
        sums = arrays[-1]
        entries = [(w, frozenset(c), frozenset(s), CharWord(ch, tuple(sums[i * n_labels:(i + 1) * n_labels])))
                   for i, (w, c, s, ch) in enumerate(zip(words, *tables))]
        if not all(isinstance(w, str) and w for w in words):
            return False
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, struct.error, zlib.error):
        return False
    for (w, cues, starts, cw), a in zip(entries, also):
        matcher._words[w] = (cues, a)
        matcher._starts[w] = starts
        model._chars[w] = cw
    return True
