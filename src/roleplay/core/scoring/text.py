"""Sentence structure of a normalised reply: where sentences start and end, which are questions."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

from roleplay.core.scoring.textnorm import Normalised

SENT_END = frozenset({".", "!", "?"})


def lexicon(rubric, name: str) -> frozenset[str]:
    """A word list of the rubric; a rubric written before the list existed gets the built-in one."""
    if name in rubric.lexicons:
        return rubric.words(name)
    from roleplay.core.scoring.rubric import load_default_rubric

    return load_default_rubric().words(name)


@dataclass(slots=True, unsafe_hash=True)  # made per reply: a plain init is cheaper than a frozen one
class Sentence:
    a: int  # first token
    b: int  # last token
    words: tuple[int, ...]  # indices of word tokens
    first: int  # first word after fillers ("so", "well", "um")
    question: str  # "" | "open" | "closed" | "why"


@dataclass(frozen=True)
class Lexicon:
    """The rubric word lists the structure needs, as frozensets (built once per rubric)."""

    fillers: frozenset[str]
    closed: frozenset[str]
    quantity: frozenset[str]
    second: frozenset[str]
    first_person: frozenset[str]
    stop: frozenset[str]
    wh: frozenset[str]
    aux: frozenset[str]
    subj: frozenset[str]

    @classmethod
    def of(cls, rubric) -> "Lexicon":
        w = rubric.words
        return cls(w("fillers"), w("closed_question_starters"), w("quantity_words"), w("second_person"),
                   w("first_person"), w("stopwords"), lexicon(rubric, "question_words"),
                   lexicon(rubric, "auxiliaries"), lexicon(rubric, "subject_words"))


def sentences(norm: Normalised, lex: Lexicon) -> list[Sentence]:
    toks = norm.tokens
    word_at = norm.word_at
    out: list[Sentence] = []
    start = 0
    n = len(toks)
    wi = 0  # word_at[wi:] are the words not yet in a sentence
    # Where sentences end: each end mark, and the last token.
    ends = list(compress(range(n), map(SENT_END.__contains__, norm.texts)))
    if n and (not ends or ends[-1] != n - 1):
        ends.append(n - 1)
    for k in ends:
        t = toks[k].text
        w0 = wi
        while wi < len(word_at) and word_at[wi] <= k:
            wi += 1
        words = tuple(word_at[w0:wi])
        f = 0
        while f < len(words) - 1 and toks[words[f]].text in lex.fillers:
            f += 1
        first = words[f] if words else start
        end = t if t in SENT_END else ""
        out.append(Sentence(start, k, words, first, _question(toks, words, first, end, lex)))
        start = k + 1
    return out


def _question(toks, words: tuple[int, ...], first: int, end: str, lex: Lexicon) -> str:
    w = [toks[k].text for k in words if k >= first]
    if not w:
        return ""
    asked = end == "?"
    if not asked and end in (".", "!"):
        return ""
    head = w[0]
    if head in lex.wh and len(w) > 1:
        if asked or w[1] in lex.aux or w[1] in lex.quantity or (len(w) > 2 and w[2] in lex.aux):
            return "why" if head == "why" else "open"
        return ""
    if head in lex.closed and len(w) > 1 and (asked or w[1] in lex.subj):
        return "closed"
    if asked:
        # "tell me more?" / "and then?" / "you ok?": a question without a question word
        return "closed" if len(w) <= 6 else "open"
    return ""
