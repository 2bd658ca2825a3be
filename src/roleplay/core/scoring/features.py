"""The features one reply yields, each with the tokens it came from (for the explanation).

Three groups, each normalised on its own by the model (model.py):

- WORDS: unigrams, bigrams and trigrams of the normalised reply (sentence starts marked "^",
  punctuation kept as tokens, so "? " and ", but" count). (The final sentence's words repeated
  as features of their own added nothing in cross-validation, so they are not.);
- CHARS: character 3- to 5-grams inside each word, which carry typos, text-speak and
  second-language English that word features miss. They are counted per word occurrence
  (`char_grams`), so the model can keep each word's share of a score and score a reply in time
  proportional to its words, not its n-grams;
- RULES: the rubric's cues (by id and by label/kind, with where they sit and whether a negator
  turned them), and mechanisms: kind of question, the client's own words given back, feeling
  words said about the client, the helper talking about themselves, length.

Every feature is a string; its weight is learned. Nothing here decides a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from roleplay.core.scoring.textnorm import Normalised, stem
from .cues import CueMatch
from .text import Sentence

WORDS, CHARS, RULES = 0, 1, 2
GROUPS = ("words", "chars", "rules")

# One feature occurrence: (name, group, first token, last token); tokens -1 when it has no span.
Feat = tuple[str, int, int, int]


@dataclass(frozen=True)
class ClientWords:
    """The content words of what the client just said, as stems."""

    stems: frozenset[str]

    @classmethod
    def of(cls, norm: Normalised | None, stop: frozenset[str]) -> "ClientWords":
        if norm is None:
            return cls(frozenset())
        return cls(frozenset(stem(t.text) for t in norm.tokens
                             if t.text[0].isalpha() and len(t.text) > 2 and t.text not in stop))


@lru_cache(maxsize=65536)
def char_grams(word: str) -> tuple[str, ...]:
    """The distinct character 3- to 5-grams of one word, padded with a space each side."""
    p = " " + word + " "
    n = len(p)
    return tuple(dict.fromkeys("c:" + p[a:a + size] for size in (3, 4, 5) for a in range(0, n - size + 1)))


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def word_feats(norm: Normalised, sents: list[Sentence]) -> list[Feat]:
    """The word n-grams of a reply, by name: what training fits on (scoring uses word_hits)."""
    toks = norm.tokens
    out: list[Feat] = []
    add = out.append
    for s in sents:
        seq = [("^", -1)] + [(toks[k].text, k) for k in range(s.a, s.b + 1)]
        prev2 = prev = None
        for tok, k in seq:
            if k >= 0 and tok[0].isalnum():
                add(("w:" + tok, WORDS, k, k))
            if prev is not None:
                i0 = prev[1] if prev[1] >= 0 else k
                add(("b:" + prev[0] + " " + tok, WORDS, i0, k))
                if prev2 is not None:
                    i0 = prev2[1] if prev2[1] >= 0 else i0
                    add(("t:" + prev2[0] + " " + prev[0] + " " + tok, WORDS, i0, k))
            prev2, prev = prev, (tok, k)
    return out


class WordIndex:
    """The model's word n-gram features keyed by their tokens. Scoring looks a reply's n-grams up
    here instead of building each one's name; `word_hits` must find exactly the known features
    `word_feats` names, in the same order (a test checks this over the corpus)."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.uni: dict[str, int] = {}
        self.bi: dict[tuple[str, str], int] = {}
        self.tri: dict[tuple[str, str, str], int] = {}
        for name, k in vocab.items():
            kind = name[:2]
            if kind == "w:":
                self.uni[name[2:]] = k
            elif kind == "b:":
                self.bi[tuple(name[2:].split(" "))] = k  # type: ignore[index]
            elif kind == "t:":
                self.tri[tuple(name[2:].split(" "))] = k  # type: ignore[index]


def word_hits(norm: Normalised, sents: list[Sentence], index: WordIndex) -> list[tuple[int, int, int]]:
    """(feature index, first token, last token) of each word n-gram of the reply the model knows,
    in word_feats order."""
    tx = norm.texts
    uni, bi, tri = index.uni.get, index.bi.get, index.tri.get
    out: list[tuple[int, int, int]] = []
    add = out.append
    for s in sents:
        prev2, prev, pk, p2k = None, "^", -1, -1
        for k in range(s.a, s.b + 1):
            tok = tx[k]
            if tok[0].isalnum():
                f = uni(tok)
                if f is not None:
                    add((f, k, k))
            i0 = pk if pk >= 0 else k
            f = bi((prev, tok))
            if f is not None:
                add((f, i0, k))
            if prev2 is not None:
                f = tri((prev2, prev, tok))
                if f is not None:
                    add((f, p2k if p2k >= 0 else i0, k))
            prev2, p2k, prev, pk = prev, pk, tok, k
    return out


def rule_feats(norm: Normalised, sents: list[Sentence], cues: list[CueMatch], client: ClientWords,
               second: frozenset[str], first: frozenset[str], stop: frozenset[str],
               feelings: dict[str, str]) -> list[Feat]:
    toks = norm.tokens
    tx = norm.texts
    out: list[Feat] = []
    add = out.append
    n_s = len(sents)
    # -- rules: cues -------------------------------------------------------------------------
    for m in cues:
        lk = m.label + "/" + m.kind
        add(("cue:" + m.cue, RULES, m.i, m.j))
        add(("ck:" + lk, RULES, m.i, m.j))
        if m.negated:
            add(("cneg:" + lk, RULES, m.i, m.j))
        if n_s > 1:
            if m.sent == n_s - 1:
                add(("ckL:" + lk, RULES, m.i, m.j))
            elif m.sent == 0:
                add(("ckF:" + lk, RULES, m.i, m.j))
    # -- rules: mechanisms ---------------------------------------------------------------------
    n_words = 0
    echoed = 0
    for si, s in enumerate(sents):
        n_words += len(s.words)
        if s.question:
            add(("m:q:" + s.question, RULES, s.a, s.b))
            if si == n_s - 1:
                add(("m:lastq:" + s.question, RULES, s.a, s.b))
        if s.words:
            head = toks[s.first].text
            if head in second:
                add(("m:you-first", RULES, s.first, s.first))
            elif head in first:
                add(("m:i-first", RULES, s.first, s.first))
        has_you = not second.isdisjoint(map(tx.__getitem__, s.words))
        for k in s.words:
            w = toks[k].text
            fam = feelings.get(w)
            if fam is not None:
                add(("m:feel" + ("-you" if has_you else ""), RULES, k, k))
                add(("m:feel:" + fam, RULES, k, k))
            if client.stems and len(w) > 2 and w not in stop and stem(w) in client.stems:
                echoed += 1
                if has_you:
                    add(("m:echo-you", RULES, k, k))
    add(("m:echo:" + _bucket(echoed, (0, 1, 3)), RULES, -1, -1))
    add(("m:len:" + _bucket(n_words, (3, 8, 20, 40)), RULES, -1, -1))
    add(("m:sents:" + _bucket(n_s, (1, 2, 3)), RULES, -1, -1))
    n_i = sum(map(first.__contains__, tx))  # counted without a Python step per token
    n_you = sum(map(second.__contains__, tx))
    if n_i > n_you:
        add(("m:more-i-than-you", RULES, -1, -1))
    return out


@dataclass(slots=True)  # made for every reply: a plain init is cheaper than a frozen one
class Analysis:
    """One reply, read: its normalised tokens, sentences, cue matches and features."""

    norm: Normalised
    sents: list[Sentence]
    cues: list[CueMatch]
    feats: list[Feat]  # word and rule features, with their tokens; only the rule ones with `hits`
    hits: list[tuple[int, int, int]] | None = None  # scoring: the known word features (word_hits)

    def words(self) -> list[str]:
        """The word tokens, in order: what the character features are read from."""
        return self.norm.words()

    def names(self) -> tuple[list[str], list[str]]:
        """(word feature names, rule feature names)."""
        w: list[str] = []
        r: list[str] = []
        for name, g, _i, _j in self.feats:
            (w if g == WORDS else r).append(name)
        return w, r


class Featuriser:
    """Everything a rubric contributes to reading a reply, built once per rubric.

    Training and scoring both go through `analyse`, so the model always sees the features it was
    fitted on.
    """

    def __init__(self, rubric) -> None:
        from .cues import CueMatcher
        from .text import Lexicon

        self.rubric = rubric
        self.normaliser = rubric.normaliser
        self.lex = Lexicon.of(rubric)
        self.matcher = CueMatcher(rubric)
        self.feelings = dict(rubric.feeling_family)
        self.client_words = lru_cache(maxsize=8192)(self._client_words)

    def _client_words(self, client: str) -> ClientWords:
        if not client:
            return ClientWords(frozenset())
        return ClientWords.of(self.normaliser.normalise(client), self.lex.stop)

    def analyse(self, reply: str, client: str = "", budget: float | None = None,
                index: WordIndex | None = None) -> Analysis:
        """`budget`: seconds the cue matching may take (scoring sets it; training reads every
        reply whole, so the model's features never depend on the machine's speed). `index`: the
        model's word features, when scoring (word features are then looked up, not named)."""
        from .text import sentences

        norm = self.normaliser.normalise(reply)
        sents = sentences(norm, self.lex)
        cues = self.matcher.match(norm, sents, budget) if sents else []
        rules = rule_feats(norm, sents, cues, self.client_words(client or ""), self.lex.second,
                           self.lex.first_person, self.lex.stop, self.feelings)
        if index is not None:
            return Analysis(norm, sents, cues, rules, word_hits(norm, sents, index))
        return Analysis(norm, sents, cues, word_feats(norm, sents) + rules)
