"""The rubric's cues matched on a normalised reply.

A cue is a phrase or regex for one label and sub-kind. Here it only says *that* it fired and
where; how much it counts is learned (features.py). Three mechanisms change what a match means:
a negator shortly before it in the same clause ("I'm not judging you") cancels it or turns it
into the cue's `negated:` kind; a reporting frame ("you keep telling yourself you should have")
makes a judgment the client's, not the student's; a cue wholly inside quotation marks is the
student quoting someone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable

from roleplay.core.labels import JUDGMENTAL, NEUTRAL, SYMPATHETIC
from roleplay.core.scoring.rubric import Cue, Rubric
from roleplay.core.scoring.textnorm import Normalised
from .budget import REPLY_BUDGET, HardDeadline, Overrun
from .pattern_facts import facts
from .text import Sentence, lexicon


@dataclass(slots=True, unsafe_hash=True)  # made per reply: a plain init is cheaper than a frozen one
class CueMatch:
    i: int  # first token
    j: int  # last token
    label: str
    kind: str
    cue: str  # the cue id
    sent: int
    negated: bool = False


class CueMatches(list):
    """The matches of one reply; `skipped` counts the cues not (fully) tried when the time
    budget ran out, `tried` those that were candidates at all."""

    skipped: int = 0
    tried: int = 0


def cut_short(m: CueMatches) -> str:
    """What to tell the student when the budget ran out, so a label is never silently partial."""
    return (f"Scoring was cut short: the rubric's patterns took longer than {REPLY_BUDGET:g} s on this reply, "
            f"so {m.skipped} of its {m.tried} cue(s) were skipped. The label rests on the words found "
            "before then; the rubric's author should simplify its slowest pattern.")


class CueMatcher:
    """Matches one rubric's cues. Build once per rubric; `match` is called per reply."""

    def __init__(self, rubric: Rubric) -> None:
        w = rubric.words
        self.cues: tuple[Cue, ...] = rubric.cues
        self.window = rubric.settings.negation_window
        self.negators = frozenset(x for x in w("negators") if " " not in x)
        self.bridges = w("negation_bridges")
        self.breakers = w("scope_breakers")
        self.not_negation = frozenset(tuple(x.split()) for x in w("not_negation"))
        frames = w("report_frames")
        self.frames1 = frozenset(x for x in frames if " " not in x)
        self.frames2 = frozenset(tuple(x.split()) for x in frames if x.count(" ") == 1)
        self.first = w("first_person")
        self.subject_pronouns = lexicon(rubric, "subject_pronouns")
        self.adverbs = lexicon(rubric, "opinion_adverbs")
        frag_cues: dict[str, list[int]] = {}
        always: list[int] = []
        for ci, cue in enumerate(self.cues):
            if cue.needs is None:
                always.append(ci)
            else:
                for frag in cue.needs:
                    frag_cues.setdefault(frag, []).append(ci)
        self._always = tuple(always)
        self._frag_cues = {f: tuple(v) for f, v in frag_cues.items()}
        self._frag_heads = _heads(frag_cues)
        self._also = {ci: frozenset(c.needs_also) for ci, c in enumerate(self.cues) if c.needs_also}
        self._also_keys = frozenset(self._also)
        self._also_set = frozenset().union(*self._also.values()) if self._also else frozenset()
        self._also_heads = _heads(self._also_set)
        self._words: dict[str, tuple[frozenset[int], frozenset[str]]] = {}  # word -> (its cues, its second needs)
        # Where a cue can start: a cue whose first word is known is tried only at words that
        # begin that way (pattern.match at the word) instead of scanning the whole reply.
        # Where the second word is known too ("you need "), only at a "you" followed by "need".
        by_prefix: dict[str, list[int]] = {}
        exact: dict[str, dict[str, list[int]]] = {}  # first word -> whole second word -> cues
        starts: dict[str, list[tuple[str, int]]] = {}  # first word -> (what the second word starts with, cue)
        scan: list[int] = []
        for ci, cue in enumerate(self.cues):
            f = facts(_inner(cue.pattern.pattern))
            if f.lead is not None:
                for lead in f.lead:
                    word, _, second = lead.partition(" ")  # a lead ends at its second space, if it has one
                    if second.endswith(" "):
                        exact.setdefault(word, {}).setdefault(second[:-1], []).append(ci)
                    else:
                        starts.setdefault(word, []).append((second, ci))
            elif f.first is None:
                scan.append(ci)
            else:
                for p in f.first:
                    by_prefix.setdefault(p, []).append(ci)
        self._by_prefix = {p: tuple(v) for p, v in by_prefix.items()}
        partial: dict[str, dict[str, list[int]]] = {}  # first word -> start of the second -> cues
        for w, pairs in starts.items():
            for second, ci in pairs:
                partial.setdefault(w, {}).setdefault(second, []).append(ci)
        self._by_pair = {w: ({k: tuple(v) for k, v in exact.get(w, {}).items()},
                             {k: tuple(v) for k, v in partial.get(w, {}).items()})
                         for w in exact.keys() | starts.keys()}
        self._pairs: dict[tuple[str, str], frozenset[int]] = {}  # (word, next word) -> cues that can start there
        self._match = [c.pattern.match for c in self.cues]  # looked up once: tried hundreds of times a reply
        self._scan = frozenset(scan)
        self._starts: dict[str, frozenset[int]] = {}  # word -> cues that can start at it

    def _starting(self, token: str) -> frozenset[int]:
        """Cues that can start at this word: those whose first word is this one ("you "), and
        those whose first word is only known to begin some way ("sorr") that this one does.
        Kept per word in a plain dict, as `_word` is: it is asked for every word of every reply."""
        hit = self._starts.get(token)
        if hit is None:
            if len(self._starts) > 65536:  # bound the memory a stream of nonsense words can take
                self._starts.clear()
            hit = self._starts[token] = self._cues_starting(token)
        return hit

    def _pair_starting(self, key: tuple[str, str]) -> frozenset[int]:
        """Cues that can start at a word followed by this next word ("" at the end): the word's
        own (`_starting`) and those whose first two words fit."""
        word, nxt = key
        exact, partial = self._by_pair[word]
        more = list(exact.get(nxt, ()))
        # The second-word beginnings that fit are the next word's own beginnings (up to ~10
        # look-ups, where testing every beginning a word like "how" has took hundreds).
        get = partial.get
        for k in range(len(nxt) + 1):
            hit_k = get(nxt[:k])
            if hit_k:
                more.extend(hit_k)
        own = self._starting(word)
        hit = own if own.issuperset(more) else own.union(more)
        if len(self._pairs) > 65536:  # bound the memory, as for single words
            self._pairs.clear()
        self._pairs[key] = hit
        return hit

    def _cues_starting(self, token: str) -> frozenset[int]:
        out: set[int] = set(self._by_prefix.get(token + " ", ()))
        get = self._by_prefix.get
        for k in range(1, len(token) + 1):
            hit = get(token[:k])
            if hit:
                out.update(hit)
        return frozenset(out)

    def _raw(self, norm: Normalised, run: Iterable[int], budget: float | None = None) -> tuple[list[tuple[int, int, int]], int]:
        """(cue index, start, end) of every match, as finditer would give them per cue, and how
        many cues were left untried when `budget` seconds ran out. A cue whose first word is known
        is tried only at the words that start that way (a failed match at a word costs far less
        than a scan); on a very long reply every cue scans instead."""
        text, starts, cues = norm.text, norm.starts, self.cues
        wanted = set(run)
        found: list[tuple[int, int, int]] = []
        scan = wanted & self._scan
        done: set[int] = set()
        try:
            with HardDeadline(budget) as hard:
                # Where a timer signal stops matching, there is no need to look at the clock.
                deadline = time.perf_counter() + budget if budget is not None and not hard.signalled else None
                if len(norm.tokens) > _DISPATCH_MAX_TOKENS:
                    scan = wanted
                else:
                    last: dict[int, int] = {}
                    starts_at, starting, match = self._starts.get, self._starting, self._match
                    pairs, pair_at, by_pair = self._pair_starting, self._pairs.get, self._by_pair
                    words = norm.texts + [""]  # "" after the last word: no next word
                    for t in range(len(norm.tokens)):
                        word = words[t]
                        if word in by_pair:
                            key = (word, words[t + 1])
                            first = pair_at(key)
                            if first is None:
                                first = pairs(key)
                        else:
                            first = starts_at(word)
                            if first is None:
                                first = starting(word)
                        if not first:
                            continue
                        pos = starts[t]
                        for ci in wanted.intersection(first):
                            if not last or pos >= last.get(ci, -1):
                                m = match[ci](text, pos)
                                if m is not None and m.end() > m.start():
                                    found.append((ci, m.start(), m.end()))
                                    last[ci] = m.end()
                        if deadline is not None and time.perf_counter() > deadline:
                            raise Overrun()
                    done = wanted - scan
                for ci in scan:
                    for m in cues[ci].pattern.finditer(text):
                        if m.end() > m.start():
                            found.append((ci, m.start(), m.end()))
                    done.add(ci)
                    if deadline is not None and time.perf_counter() > deadline:
                        raise Overrun()
        except Overrun:
            pass
        found.sort()
        return found, len(wanted - done)

    def _word(self, token: str) -> tuple[frozenset[int], frozenset[str]]:
        """The cues one of whose needed strings occurs in this word, and the second needed strings
        that occur in it; kept per word (a plain dict: this is looked up for every word of every reply)."""
        entry = self._words.get(token)
        if entry is None:
            cues: set[int] = set()
            for frag in _substrings(token, self._frag_cues, self._frag_heads):
                cues.update(self._frag_cues[frag])
            entry = (frozenset(cues), frozenset(_substrings(token, self._also_set, self._also_heads)))
            if len(self._words) > 65536:  # bound the memory a stream of nonsense words can take
                self._words.clear()
            self._words[token] = entry
        return entry

    def candidates(self, norm: Normalised) -> set[int]:
        """Cues worth running: those whose needed literal strings occur in the reply."""
        run = set(self._always)
        present: set[str] = set()
        get = self._words.get
        for w in set(norm.texts):
            entry = get(w) or self._word(w)
            if entry[0]:
                run.update(entry[0])
            if entry[1]:
                present.update(entry[1])
        if self._also:
            also = self._also
            run.difference_update([ci for ci in run.intersection(self._also_keys) if also[ci].isdisjoint(present)])
        return run

    def match(self, norm: Normalised, sents: list[Sentence], budget: float | None = None) -> CueMatches:
        """The cues that fire in a reply. With a `budget` (seconds), matching stops when it runs
        out; the result says how many cues were skipped, so the caller can tell the student."""
        toks = norm.tokens
        n_s = len(sents)
        out: list[CueMatch] = []
        run = self.candidates(norm)
        raw, skipped = self._raw(norm, run, budget)
        for ci, a, b in raw:
            cue = self.cues[ci]
            i, j = norm.token_range(a, b)
            sent = min(toks[i].sent, n_s - 1) if n_s else 0
            if cue.where != "anywhere" and not _where_ok(cue.where, sents, sent):
                continue
            quoted = [toks[k].quoted for k in range(i, j + 1) if toks[k].text[0].isalnum()]
            if not cue.quoted and quoted and all(quoted):
                continue
            label, kind, negated = cue.label, cue.kind, False
            if label == JUDGMENTAL and not cue.quoted and any(quoted):
                continue  # scare quotes report, they do not judge
            if cue.negated != "keep" and label != NEUTRAL and self.negated(toks, i):
                if cue.negated == "cancel":
                    continue
                label, _, kind = cue.negated.partition("/")
                negated = True
            elif label in (JUDGMENTAL, SYMPATHETIC) and self.reported(toks, i):
                continue
            out.append(CueMatch(i, j, label, kind, cue.id, sent, negated))
        result = CueMatches(_longest(out))
        result.skipped, result.tried = skipped, len(run)
        return result

    def _looking_back(self, toks, i: int):
        if toks[i].text in self.breakers:
            return
        clause = toks[i].clause
        for k in range(i - 1, max(-1, i - 1 - self.window), -1):
            if toks[k].clause != clause or toks[k].text in self.breakers:
                return
            yield k

    def negated(self, toks, i: int) -> bool:
        """A negator shortly before token i, in its clause and before any new subject."""
        for k in self._looking_back(toks, i):
            t = toks[k]
            if toks[k + 1].text in self.subject_pronouns and t.text not in self.bridges:
                return False  # "don't worry, you're doing great": a new subject ends its reach
            if t.text in self.negators:
                nxt = toks[k + 1].text if k + 1 < len(toks) else ""
                prev = toks[k - 1].text if k > 0 else ""
                if (t.text, nxt) in self.not_negation or (prev, t.text) in self.not_negation:
                    continue
                return True
        return False

    def reported(self, toks, i: int) -> bool:
        """After "you keep telling yourself", "they say", "as if": someone else's judgment."""
        for k in self._looking_back(toks, i):
            t = toks[k]
            pair = (toks[k - 1].text, t.text) if k > 0 else None
            if t.text in self.frames1 and k + 2 < len(toks) and toks[k + 1].text == "like" \
                    and toks[k + 2].text in ("that", "this", "these", "those"):
                continue  # "thoughts like that" is a noun phrase
            if t.text in self.frames1 or (pair is not None and pair in self.frames2):
                first = k - (2 if pair in self.frames2 else 1)
                while first >= 0 and toks[first].text in self.adverbs:
                    first -= 1
                # "I think you need to..." is the student's own opinion, not a report.
                return not (first >= 0 and toks[first].text in self.first)
        return False


_DISPATCH_MAX_TOKENS = 300  # past this, scanning each cue once is cheaper
_WRAP_HEAD, _WRAP_TAIL = r"(?<!\S)(?:", r")(?:(?<=\s)|(?!\S))"


def cue_patterns(cues) -> list[str]:
    """Each cue's own regex, as the literal analysis (pattern_facts) reads it."""
    return [_inner(c.pattern.pattern) for c in cues]


def _inner(pattern: str) -> str:
    """The cue's own regex, without the whole-word wrapper the rubric loader puts round it."""
    if pattern.startswith(_WRAP_HEAD) and pattern.endswith(_WRAP_TAIL):
        return pattern[len(_WRAP_HEAD):-len(_WRAP_TAIL)]
    return ""


def _heads(strings) -> frozenset[str]:
    """Every non-empty beginning of every string (what `_substrings` may extend)."""
    return frozenset(s[:k] for s in strings for k in range(1, len(s) + 1))


def _substrings(token: str, table, heads: frozenset[str]):
    """The substrings of `token` that are in `table`: tokens are short and the needed strings
    many, so looking up substrings beats testing every needed string. A substring is only
    extended while it is the beginning of some needed string (`heads`), so most stop at a letter."""
    n = len(token)
    for a in range(n):
        for b in range(a + 1, n + 1):
            sub = token[a:b]
            if sub not in heads:
                break
            if sub in table:
                yield sub


def _where_ok(where: str, sents: list[Sentence], sent: int) -> bool:
    if not sents:
        return True
    q = bool(sents[sent].question)
    return {"question": q, "statement": not q, "opener": sent == 0, "closing": sent == len(sents) - 1}.get(where, True)


def _longest(matches: list[CueMatch]) -> list[CueMatch]:
    """A match inside a longer one is dropped ("you shouldn't blame yourself" beats "you shouldn't")."""
    if len(matches) < 2:
        return matches
    kept: list[CueMatch] = []
    for m in sorted(matches, key=lambda m: (-(m.j - m.i), m.i, m.cue)):
        if not any(o.i <= m.i and m.j <= o.j for o in kept):
            kept.append(m)
    kept.sort(key=lambda m: (m.i, m.j, m.cue))
    return kept
