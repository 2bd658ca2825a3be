"""The words that pushed a label: phrases of the reply exactly as typed, from learned weights.

Each feature's pull towards the label (its weight for the label minus its weight for the label
it beat, times its value) is shared out over the tokens it came from. Tokens that pull clearly
are grown into phrases with their neighbours, trimmed of function words at the edges, and a
phrase that is only the client's own nouns given back is dropped: echoing a word is not what
earned the label. A phrase that overlaps one of the rubric's cues for the label is named by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul

from roleplay.core.scoring.textnorm import stem
from .features import Analysis, ClientWords
from .model import CHARS, Encoded, LinearModel


MAX_WORDS = 12  # a phrase longer than this is a sentence, not evidence


@dataclass(slots=True, unsafe_hash=True)  # made per reply: a plain init is cheaper than a frozen one
class Phrase:
    start: int  # span in the reply as typed
    end: int
    text: str
    weight: float
    cue: str | None  # a rubric cue id for the label, when one overlaps


def placed(x: Encoded, located: list[tuple[int, int, int]]) -> list[tuple[int, int, int, float]]:
    """(row of the feature in x, first token, last token, each token's share of its pull) of each
    feature in `located` (feature index, first token, last token: see LearnedScorer.encode_placed);
    a repeated feature (a word said twice) shares its pull. Only worked out when a label needs
    explaining, once however many pulls are asked for."""
    keys = x.words + x.rules
    row = dict(zip(keys, range(len(keys))))  # feature -> its row (built in C: made per reply)
    out = []
    seen: set[int] = set()
    for k, i, j in located:
        out.append((row[k], i, j, (0.5 if k in seen else 1.0) / (j - i + 1)))
        seen.add(k)
    return out


def token_pull(model: LinearModel, x: Encoded, a: Analysis, label: int, against: dict[int, float],
               known: list[tuple[int, int, int, float]]) -> list[float]:
    """Each token's share of the pull towards `label` and away from the other labels, each other
    label counted by its share in `against` (their probabilities): the token's part in the label's
    log-odds. `known` is placed(x, ...)."""
    pull = [0.0] * len(a.norm.tokens)
    total = sum(against.values()) or 1.0
    coef = [0.0] * len(model.cols)
    coef[label] = 1.0
    for c, w in [(c, w) for c, w in against.items() if w > 0][:3]:
        coef[c] -= w / total
    pulls = x.pulls(coef)
    for r, i, j, share in known:
        d = pulls[r] * share
        if i == j:
            pull[i] += d
        else:
            for t in range(i, j + 1):
                pull[t] += d
    # Characters: each word's share, kept by the model per word.
    cm = x.mult[CHARS]
    if cm:
        for k, cw in zip(a.norm.word_at, x.chars):  # one CharWord per word token, in order
            pull[k] += cm * sum(map(mul, cw.sums, coef))
    return pull


def phrases(a: Analysis, pull: list[float], label: str, client: ClientWords, function_words: frozenset[str],
            limit: int = 3) -> list[Phrase]:
    """The stretches of the reply that pull hardest towards the label: in each clause of the
    sentences that carry the decision, the run of words with the largest total pull."""
    toks = a.norm.tokens
    words = a.norm.word_at
    if not words:
        return []
    cue_tokens = {t: m.cue for m in a.cues if m.label == label for t in range(m.i, m.j + 1)}

    def noise(k: int) -> bool:
        w = toks[k].text
        return k not in cue_tokens and (w in function_words or stem(w) in client.stems)

    # Only the sentences that carry the decision: a reflection before an order is not why a reply
    # is judgmental. A sentence's pull is the sum of its tokens' (the model is linear).
    by_sent: dict[int, float] = {}
    clauses: dict[int, tuple[int, list[int]]] = {}  # clause -> (its sentence, its words)
    for k in words:
        t = toks[k]
        by_sent[t.sent] = by_sent.get(t.sent, 0.0) + pull[k]
        c = clauses.get(t.clause)
        if c is None:
            clauses[t.clause] = (t.sent, [k])
        else:
            c[1].append(k)
    best = max(by_sent.values())
    if best <= 0:
        return []
    decisive = {si for si, v in by_sent.items() if v >= 0.5 * best}
    runs: list[tuple[float, list[int]]] = []
    for si, ks in clauses.values():
        if si in decisive:
            run = _best_run(ks, pull)
            if run is not None:
                runs.append(run)
    if not runs:
        return []
    top = max(r[0] for r in runs)
    out: list[Phrase] = []
    for total, span in sorted(runs, key=lambda r: -r[0]):
        if total < 0.3 * top:
            break
        while len(span) > 1 and (noise(span[0]) or pull[span[0]] <= 0):
            span.pop(0)
        while len(span) > 1 and (noise(span[-1]) or pull[span[-1]] <= 0):
            span.pop()
        while len(span) > MAX_WORDS:  # too long to point at: drop the weaker end
            span.pop(0 if pull[span[0]] < pull[span[-1]] else -1)
        if all(noise(k) for k in span):
            continue
        # A rubric cue for the label that the run touches is shown whole: the cue names the move.
        for m in a.cues:
            if m.label == label and m.i <= span[-1] and span[0] <= m.j and m.j - m.i < MAX_WORDS:
                span = sorted(set(span) | {k for k in words if m.i <= k <= m.j})
        a0, b0 = toks[span[0]].start, toks[span[-1]].end
        if b0 <= a0:
            continue
        cue = next((cue_tokens[k] for k in span if k in cue_tokens), None)
        out.append(Phrase(a0, b0, a.norm.original[a0:b0], round(sum(pull[k] for k in span), 4), cue))
        if len(out) >= limit:
            break
    # Tokens from one expansion ("ur" -> "you are") share a span: merge phrases that touch.
    out.sort(key=lambda p: p.start)
    merged: list[Phrase] = []
    for p in out:
        if merged and p.start <= merged[-1].end:
            q = merged[-1]
            e = max(q.end, p.end)
            merged[-1] = Phrase(q.start, e, a.norm.original[q.start:e], q.weight + p.weight, q.cue or p.cue)
        else:
            merged.append(p)
    return merged


def _best_run(ks: list[int], pull: list[float]) -> tuple[float, list[int]] | None:
    """The contiguous run of tokens (from ks, in order) with the largest total pull (Kadane), and
    the run itself (a clause's words are contiguous, so the run is a slice of them)."""
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    for p, k in enumerate(ks):
        if total <= 0:
            total, start = 0.0, p
        total += pull[k]
        if total > 0 and (best is None or total > best[0]):
            best = (total, start, p)
    return None if best is None else (best[0], ks[best[1]:best[2] + 1])
