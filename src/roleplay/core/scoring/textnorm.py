"""Turn what a student typed into a normalised token string the rubric cues can match.

The normalised text is lower case, one space between tokens, contractions and text-speak expanded
("dont" -> "do not", "ur" -> "you are"/"your", "bc" -> "because"), letter runs squeezed
("sooo" -> "so"), likely typos of rubric words corrected with rapidfuzz, and punctuation reduced
to a few tokens: "." (end of a sentence), "?", "!" and "," (any clause break: , ; : dash brackets).

Every token remembers the character span of the ORIGINAL text it came from, so a regex match on
the normalised text maps back to a span a UI can highlight, whatever the expansions did.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

from rapidfuzz import fuzz, process

# Words (letters/digits of any script, inner apostrophes kept), sentence and clause punctuation,
# and newlines (a line break ends a sentence). A hyphen between two letters is not a token, so
# "self-pity" -> "self", "pity".
_TOKEN = re.compile(
    r"\d+(?:[:.]\d+)+(?:am|pm)?(?!\w)"  # times and decimals: 9:30, 2.5, 10.30pm
    r"|\w+(?:['’‘`]\w+)*"
    r"|\.{2,}|…|[.!?;:,()\[\]—–]|(?<!\w)-+|-+(?!\w)|\n"
)
_QUOTE = re.compile(
    r"(?<!\w)['‘\"“]((?:[^'‘’\"“”\n]|(?<=\w)['’](?=\w)){1,300}?)['’\"”](?!\w)"
)
_RUNS = re.compile(r"(\w)\1{2,}")
_SENT_END = {".", "!", "?"}
_CLAUSE_BREAK = {",", ".", "!", "?"}
_PUNCT_MAP = {
    ";": ",", ":": ",", "(": ",", ")": ",", "[": ",", "]": ",", "—": ",", "–": ",",
    "…": ".", "!": "!", "?": "?", ".": ".", ",": ",",
}
# Pronouns whose 's is "is" ("that's" -> "that is"); any other 's is a possessive and dropped.
_S_IS = frozenset(
    "it that he she there what who where here how everything nothing something everyone "
    "everybody nobody someone somebody this life today which why when".split()
)
# "n't" contractions whose stem is not the word before "n't" ("won't" -> "will not").
_NT = {"won": "will", "can": "can", "ain": "is", "shan": "shall"}
# Run-together negatives students type without the apostrophe ("didnt", "shouldnt").
_NT_STEMS = frozenset(
    "do does did is was were are have has had should could would must need might dare".split()
)
# Past participles after 'd mean "had" ("if you'd taken") rather than "would".
_HAD_NEXT = re.compile(r"(?:ed|en|wn|ne|been|got|had|thought|known|told|made|left|kept|let|put)$")

MAX_CHARS = 3000  # longer replies: the first HEAD_CHARS and the last TAIL_CHARS are analysed
HEAD_CHARS = 2200
TAIL_CHARS = 800


@dataclass(slots=True)  # thousands a second are made: slots make that cheaper
class Token:
    text: str  # normalised
    start: int  # span in the original reply
    end: int
    sent: int = 0  # sentence index
    clause: int = 0  # clause index (across the whole reply)
    quoted: bool = False


@dataclass
class Normalised:
    """A reply after normalisation: the token string and the way back to the original."""

    original: str
    tokens: list[Token]
    text: str  # " ".join(token texts)
    starts: list[int] = field(default_factory=list)  # offset of each token in `text`
    n_sents: int = 0
    texts: list[str] = field(default_factory=list)  # each token's text, in order (what `text` joins)
    word_at: list[int] = field(default_factory=list)  # indices of the word tokens (not punctuation)

    def token_range(self, a: int, b: int) -> tuple[int, int]:
        """Token indices [i, j] covered by the normalised-text span [a, b)."""
        i = max(0, bisect_right(self.starts, a) - 1)
        j = max(i, bisect_right(self.starts, max(a, b - 1)) - 1)
        return i, j

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The original-text character span of the normalised-text span [a, b)."""
        if not self.tokens:
            return (0, 0)
        i, j = self.token_range(a, b)
        return self.tokens[i].start, self.tokens[j].end

    def words(self) -> list[str]:
        texts = self.texts
        return [texts[k] for k in self.word_at]


def squeeze(word: str) -> str:
    """'sooo' -> 'soo' (a second pass may take it down to 'so')."""
    return _RUNS.sub(r"\1\1", word)


class Normaliser:
    """Normalises text with one rubric's lexicons; all tables are built once, at rubric load."""

    def __init__(
        self,
        textspeak: Mapping[str, str],
        possessive_nouns: Iterable[str],
        vocabulary: Iterable[str],
        protected: Iterable[str] = (),
        fuzzy_cutoff: float = 86.0,
        fuzzy_min_len: int = 5,
    ) -> None:
        self.textspeak = {k.lower(): v.lower().split() for k, v in textspeak.items()}
        self.possessive_nouns = frozenset(w.lower() for w in possessive_nouns)
        vocab = {w.lower() for w in vocabulary if w and w.isalpha()}
        self.vocabulary = frozenset(vocab)
        # Known words are never "corrected": the vocabulary itself, the words text-speak
        # expands to, and the protected list (common words that sit near a cue word).
        known = set(vocab) | {w for ws in self.textspeak.values() for w in ws}
        known |= {w.lower() for w in protected}
        self.known = frozenset(known)
        self.fuzzy_cutoff = float(fuzzy_cutoff)
        self.fuzzy_min_len = int(fuzzy_min_len)
        # Candidates bucketed by first letter: a typo rarely changes the first letter, and the
        # buckets keep each rapidfuzz call to a few dozen comparisons.
        buckets: dict[str, list[str]] = {}
        for w in sorted(vocab):
            if len(w) >= self.fuzzy_min_len - 1:
                buckets.setdefault(w[0], []).append(w)
        self._buckets = buckets
        self.correct = lru_cache(maxsize=65536)(self._correct)
        # A word's expansion depends only on it and the next word: most pairs recur.
        self.expand = lru_cache(maxsize=65536)(self._expand)

    # -- single words -------------------------------------------------------------------

    def _correct(self, word: str) -> str:
        """The vocabulary word `word` is probably a typo of, or `word` itself.

        Only words the rubric does not know are corrected, never an inflection of a known word
        ("comes" is not "come", "stress" is not "stressed"), and the first two letters must agree
        for short words ("smart" is not "start").
        """
        if len(word) < self.fuzzy_min_len or word in self.known or not word.isalpha():
            return word
        if self._inflection_of_known(word):
            return word
        cands = self._buckets.get(word[0])
        if not cands:
            return word
        n = len(word)
        cutoff = self.fuzzy_cutoff if n >= 7 else 80.0
        hit = process.extractOne(word, cands, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None:
            return word
        cand = hit[0]
        if abs(len(cand) - n) > 2 or cand.startswith(word) or word.startswith(cand):
            return word
        if n < 7 and cand[:2] != word[:2]:
            return word
        return cand

    def _inflection_of_known(self, word: str) -> bool:
        for suf in ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "y", "ness", "ful", "or", "ors"):
            if word.endswith(suf) and len(word) - len(suf) >= 3:
                base = word[: -len(suf)]
                if base in self.known or base + "e" in self.known:
                    return True
                if len(base) > 3 and base[-1] == base[-2] and base[:-1] in self.known:  # "stopped"
                    return True
        return False

    def _expand(self, low: str, nxt: str) -> list[str]:
        """Normalised words for one lower-cased word token (nxt: the next raw word, lower)."""
        if "'" in low:
            return self._contraction(low, nxt)
        if low == "ur":
            return ["your"] if nxt in self.possessive_nouns else ["you", "are"]
        if low == "your" and _is_youre(nxt):  # "your doing great": the commonest typo of "you're"
            return ["you", "are"]
        ts = self.textspeak.get(low)
        if ts is not None:
            return ts
        if _RUNS.search(low):
            two = squeeze(low)
            for cand in (re.sub(r"(\w)\1+", r"\1", two), two):  # "sooo" -> "so" before "soo"
                if cand in self.known or cand in self.textspeak:
                    return self.textspeak.get(cand, [cand])
            low = re.sub(r"(\w)\1+", r"\1", two) if len(two) > 12 else two
        if low.isdigit():
            return [low]
        if low.endswith("nt") and low[:-2] in _NT_STEMS:
            return [low[:-2], "not"]
        return [self.correct(low)]

    def _contraction(self, low: str, nxt: str) -> list[str]:
        base, _, suf = low.rpartition("'")
        if "'" in base:  # "you'd've", "shouldn't've"
            return self._contraction(base, suf) + self._contraction("x'" + suf, nxt)[1:]
        if suf == "t" and base.endswith("n"):
            return [_NT.get(base, base[:-1]), "not"]
        ts = self.textspeak.get(base)
        if ts is not None and suf in ("re", "m", "ve", "ll", "d"):  # "u'll", "ur're"
            return ts + self._contraction("x'" + suf, nxt)[1:]
        if suf == "re":
            return [base, "are"]
        if suf == "m":
            return [base, "am"]
        if suf == "ve":
            return [base, "have"]
        if suf == "ll":
            return [base, "will"]
        if suf == "d":
            return [base, "had" if _HAD_NEXT.search(nxt or "") and nxt not in ("need", "bed", "red") else "would"]
        if suf == "s":
            if base == "let":
                return ["let", "us"]
            return [base, "is"] if base in _S_IS else [base]
        if base == "y" and suf == "all":
            return ["you", "all"]
        joined = low.replace("'", "")
        ts = self.textspeak.get(joined)
        return ts if ts is not None else [joined]

    # -- whole replies ------------------------------------------------------------------

    def normalise(self, text: str) -> Normalised:
        if not isinstance(text, str):
            text = str(text)
        if len(text) <= MAX_CHARS:
            pieces = [(0, len(text))]
        else:
            pieces = [(0, HEAD_CHARS), (len(text) - TAIL_CHARS, len(text))]
        tokens: list[Token] = []
        for pi, (a, b) in enumerate(pieces):
            if pi and tokens and tokens[-1].text not in _SENT_END:
                tokens.append(Token(".", a, a))
            self._tokenise(text, a, b, tokens)
        return _finish(text, tokens)

    def _tokenise(self, text: str, a: int, b: int, out: list[Token]) -> None:
        quoted = [m.span(1) for m in _QUOTE.finditer(text, a, b)]
        ms = list(_TOKEN.finditer(text, a, b))
        n = len(ms)
        expand = self.expand
        add = out.append
        q = 0
        inq = False
        for idx, m in enumerate(ms):
            tok = m.group()
            s, e = m.span()
            if quoted:
                while q < len(quoted) and quoted[q][1] <= s:
                    q += 1
                inq = q < len(quoted) and quoted[q][0] <= s < quoted[q][1]
            c = tok[0]
            if c.isalnum() or c == "_":
                low = tok.lower()
                if "’" in low or "‘" in low or "`" in low:
                    low = low.replace("’", "'").replace("‘", "'").replace("`", "'")
                # Only a contraction, "ur" and "your" read the next word: the rest share one cache entry.
                nxt = ms[idx + 1].group().lower() if idx + 1 < n and ("'" in low or low in _NEXT_MATTERS) else ""
                if low == "of" and out and out[-1].text in _MODALS:  # "should of", "must of": "should've"
                    add(Token("have", s, e, 0, 0, inq))
                    continue
                for w in expand(low, nxt):
                    add(Token(w, s, e, 0, 0, inq))
                continue
            if c == "\n":
                if out and out[-1].text not in _SENT_END:
                    add(Token(".", s, s))
                continue
            if c == "-" or c == "." and len(tok) > 1:
                p = "," if c == "-" else "."
            else:
                p = _PUNCT_MAP.get(c, ",")
            if out and out[-1].text in _CLAUSE_BREAK:
                # collapse runs ("?!", ",,"): a sentence end wins over a comma
                if p != "," and out[-1].text == ",":
                    out[-1] = Token(p, out[-1].start, e)
                continue
            if out:
                add(Token(p, s, e))


_NEXT_MATTERS = frozenset({"ur", "your"})
_MODALS = frozenset({"should", "would", "could", "must", "might"})

# After "your", words that make it a typo of "you're" ("your so brave", "your not alone").
_YOURE_NEXT = frozenset(
    "so not very really too such always never just still gonna allowed welcome right wrong absolutely "
    "totally definitely clearly obviously probably actually already only a an the in on at with here "
    "there both all brave strong amazing stronger braver doing going being trying getting".split()
)
# "-ing" words that follow "your" as nouns ("your feeling", "your wedding").
_ING_NOUNS = frozenset("feeling thing wedding building morning evening upbringing darling sibling "
                       "earring housing funding training ceiling ring king spring string offspring "
                       "something nothing anything everything".split())


def _is_youre(nxt: str) -> bool:
    return nxt in _YOURE_NEXT or (len(nxt) > 4 and nxt.endswith("ing") and nxt not in _ING_NOUNS)


_CONTRAST = frozenset({"but", "though", "although", "however", "tho", "yet"})


def _finish(original: str, tokens: list[Token]) -> Normalised:
    """Number sentences and clauses; a contrast word ("but", "though") opens a new clause."""
    sent = clause = 0
    parts: list[str] = []
    starts: list[int] = []
    word_at: list[int] = []
    pos = 0
    prev_break = True
    for k, t in enumerate(tokens):
        if t.text in _CONTRAST and not prev_break:
            clause += 1
        t.sent, t.clause = sent, clause
        starts.append(pos)
        parts.append(t.text)
        pos += len(t.text) + 1
        if t.text[0].isalnum():
            word_at.append(k)
            prev_break = False
        elif t.text in _SENT_END:
            sent += 1
            clause += 1
            prev_break = True
        elif t.text == ",":
            clause += 1
            prev_break = True
        else:
            prev_break = False
    n_sents = (sent + (0 if tokens[-1].text in _SENT_END else 1)) if tokens else 0
    return Normalised(original, tokens, " ".join(parts), starts, n_sents, parts, word_at)


def normalise_phrase(norm: Normaliser, phrase: str) -> str:
    """A cue phrase in the same normal form as replies (without typo correction)."""
    out: list[str] = []
    raw = [m.group() for m in _TOKEN.finditer(phrase)]
    for i, tok in enumerate(raw):
        c = tok[0]
        if c == "\n":
            continue
        if not (c.isalnum() or c == "_"):
            p = _PUNCT_MAP.get(c, ",") if c != "-" else ","
            if out and out[-1] in _CLAUSE_BREAK:
                continue
            out.append(p)
            continue
        low = tok.lower().replace("’", "'").replace("‘", "'")
        nxt = raw[i + 1].lower() if i + 1 < len(raw) else ""
        if "'" in low:
            out.extend(norm._contraction(low, nxt))
        elif low == "ur":
            out.extend(["your"] if nxt in norm.possessive_nouns else ["you", "are"])
        elif low in norm.textspeak:
            out.extend(norm.textspeak[low])
        else:
            out.append(low)
    return " ".join(out)


_span = re.Match.span


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem for matching a client's words in a reply ("scared"/"scary" stay apart)."""
    w = word
    if len(w) == 5 and w.endswith("ying"):
        return w[:-4] + "ie"  # lying, dying, tying
    if len(w) > 5 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]  # "feelings" and "feeling" meet
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 5 and w.endswith("ly"):
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w
