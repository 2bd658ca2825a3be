"""A small, explainable word model: the scorer's statistical fallback.

Naive Bayes over the words of labelled example replies (rubrics/examples/<rubric id>.jsonl). It is
trained from that file when it is first needed, in pure Python, deterministically. The scorer asks
it only when the rubric's own cues are weak (docs/scoring.md, "The word-model fallback"), and it
explains itself with the few reply words that pushed hardest towards its label.

Features are read from the NORMALISED reply (lower case, text-speak expanded, like the cues):
words, adjacent word pairs, the last two words of every sentence, and "?" for a question. A word
after a negator ("not", "never", "nobody"...) in the same clause is marked as negated ("not_judge"),
so "I'm not judging you" does not look like "judging you".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .evaluation import read_jsonl
from .labels import LABELS, NEUTRAL
from .textnorm import Normalised, Normaliser

_ALPHA = 0.5  # additive smoothing
_MIN_COUNT = 2  # a feature must occur in this many examples to be kept


@dataclass(frozen=True)
class Feature:
    name: str
    i: int  # first token
    j: int  # last token


@dataclass(frozen=True)
class Example:
    reply: str
    client: str
    label: str
    kind: str = ""


def read_examples(path: str | Path) -> list[Example]:
    """The labelled examples of a JSONL file (the same format `roleplay eval` reads); lines that
    are not a valid example are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [Example(row.reply, row.client, row.label, str(row.extra.get("kind", "") or ""))
            for _, row, _ in read_jsonl(lines, need_label=True) if row is not None]


def features(norm: Normalised, negators: frozenset[str], not_negation: frozenset[tuple[str, ...]],
             breakers: frozenset[str] = frozenset()) -> list[Feature]:
    """The features of a normalised reply, each with the tokens it comes from."""
    toks = norm.tokens
    words: list[tuple[str, int]] = []  # (feature word, token index)
    neg_clause = -1
    question = False
    out: list[Feature] = []
    for k, t in enumerate(toks):
        w = t.text
        if not w[0].isalnum():
            if w == "?":
                question = True
            words.append(("</s>", k) if w in (".", "!", "?") else (",", k))
            continue
        if t.clause != neg_clause:
            neg_clause = -1
        if w in breakers:
            neg_clause = -1
        if w in negators:
            nxt = toks[k + 1].text if k + 1 < len(toks) else ""
            if (w, nxt) not in not_negation:
                neg_clause = t.clause
                words.append((w, k))
                continue
        words.append((("not_" + w) if neg_clause == t.clause else w, k))
    if words and words[-1][0] != "</s>":
        words.append(("</s>", words[-1][1]))
    prev: tuple[str, int] | None = None
    last_two: list[tuple[str, int]] = []
    for w, k in words:
        if w == "</s>":
            if len(last_two) == 2:
                out.append(Feature("end:" + last_two[0][0] + "_" + last_two[1][0], last_two[0][1], last_two[1][1]))
            last_two = []
            prev = None
            continue
        if w == ",":
            prev = None
            continue
        out.append(Feature(w, k, k))
        if prev is not None:
            out.append(Feature(prev[0] + "_" + w, prev[1], k))
        prev = (w, k)
        last_two = (last_two + [(w, k)])[-2:]
    if question:
        q = max(k for k, t in enumerate(toks) if t.text == "?")
        out.append(Feature("?", q, q))
    return out


class WordModel:
    """Naive Bayes over binary features; `scores` gives label probabilities and the features used."""

    def __init__(self, loglik: dict[str, tuple[float, ...]], unseen: tuple[float, ...],
                 logprior: tuple[float, ...], n_examples: int) -> None:
        self.loglik = loglik
        self.unseen = unseen
        self.logprior = logprior
        self.n_examples = n_examples

    @classmethod
    def train(cls, docs: Iterable[tuple[list[str], str]]) -> "WordModel":
        counts: dict[str, list[int]] = {}
        per_label = [0] * len(LABELS)
        n = 0
        for feats, label in docs:
            li = LABELS.index(label)
            per_label[li] += 1
            n += 1
            for f in set(feats):
                c = counts.get(f)
                if c is None:
                    c = counts[f] = [0] * len(LABELS)
                c[li] += 1
        vocab = sorted(f for f, c in counts.items() if sum(c) >= _MIN_COUNT)
        # Bernoulli-style presence likelihood, smoothed: P(f | label) = (n_f,label + a) / (n_label + 2a).
        # Only features present in a reply are scored (absent ones carry no evidence), which keeps
        # long and short replies comparable and every step explainable as "this word was there".
        loglik = {f: tuple(math.log((counts[f][li] + _ALPHA) / (per_label[li] + 2 * _ALPHA))
                           for li in range(len(LABELS))) for f in vocab}
        unseen = tuple(math.log(_ALPHA / (per_label[li] + 2 * _ALPHA)) for li in range(len(LABELS)))
        logprior = tuple(math.log(1.0 / len(LABELS)) for _ in LABELS)  # uniform: no label favoured
        return cls(loglik, unseen, logprior, n)

    def scores(self, feats: list[Feature]) -> tuple[dict[str, float], list[tuple[Feature, tuple[float, ...]]]]:
        """Label probabilities and, per known feature present, its log-likelihoods by label."""
        used: list[tuple[Feature, tuple[float, ...]]] = []
        seen: set[str] = set()
        for f in feats:
            ll = self.loglik.get(f.name)
            if ll is None or f.name in seen:
                continue
            seen.add(f.name)
            used.append((f, ll))
        if not used:
            return {lab: (1.0 if lab == NEUTRAL else 0.0) for lab in LABELS}, []
        # Each feature's log-likelihood relative to its mean over labels: presence evidence only.
        logits = list(self.logprior)
        for _, ll in used:
            mean = sum(ll) / len(ll)
            for li in range(len(LABELS)):
                logits[li] += ll[li] - mean
        # Naive Bayes is overconfident on correlated features (a word and its bigram): temper it.
        temper = 1.0 / math.sqrt(max(1.0, len(used) / 4.0))
        top = max(logits)
        exps = [math.exp((x - top) * temper) for x in logits]
        z = sum(exps)
        return {lab: exps[li] / z for li, lab in enumerate(LABELS)}, used

    @staticmethod
    def push(ll: tuple[float, ...], label: str) -> float:
        """How hard a feature pushes towards `label` against the strongest other label."""
        li = LABELS.index(label)
        return ll[li] - max(v for k, v in enumerate(ll) if k != li)


def train_from_examples(examples: list[Example], normaliser: Normaliser, negators: frozenset[str],
                        not_negation: frozenset[tuple[str, ...]], breakers: frozenset[str]) -> WordModel:
    docs = []
    for ex in examples:
        norm = normaliser.normalise(ex.reply)
        docs.append(([f.name for f in features(norm, negators, not_negation, breakers)], ex.label))
    return WordModel.train(docs)


def explanation(label: str) -> str:
    """A feedback-friendly line for evidence that comes from the word model."""
    return f"words that often come with {label} replies in the rubric's labelled examples"
