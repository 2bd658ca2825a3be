"""The rubric scorer: labels a student's reply empathic, sympathetic, judgmental or neutral.

How a label is reached (docs/scoring.md says it for students and instructors):

1. The reply is normalised (textnorm): lower case, contractions and text-speak expanded, typos
   of rubric words corrected with rapidfuzz, every token keeping its span in the original text.
2. Every rubric cue (a phrase or regex, precompiled at load) is matched on the normalised text.
   A cue inside quotation marks (the student quoting the client) does not count; a cue after a
   negator in the same clause ("I'm not judging you") is cancelled or counts for another kind
   (`negated:`); a judgment after a reporting frame ("you keep telling yourself you should have
   known") is the client's thought being reflected, not the student's. When two cues overlap,
   the longer one wins ("you shouldn't blame yourself" is how-not-to-feel, not "you shouldn't").
3. Rules add evidence no cue list can: open questions (exploration), closed questions (neutral),
   feeling words said about the client, the client's own words given back in a statement about
   them (a reflection with no stock phrase), and fuzzy similarity to the rubric's exemplars and
   to the scenario turn's exemplars (a near-duplicate is decisive).
4. Mixing rules (LABELS.md): judgmental evidence over its threshold makes the reply judgmental;
   a short pity opener before real empathy is discounted; a reflection that ends in reassurance,
   minimising, a platitude or "don't feel..." is sympathetic.
5. The label with the most evidence wins, unless nothing beats the neutral threshold: then the
   reply is neutral. The scorer does not guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from rapidfuzz import fuzz, process

from .assessment import Assessment, Context, Evidence
from .labels import EMPATHIC, JUDGMENTAL, LABELS, NEUTRAL, SYMPATHETIC
from .rubric import Cue, Rubric, load_default_rubric
from .textnorm import Normalised, stem
from . import wordmodel

_CLOSING_KINDS = frozenset({"reassurance", "minimising", "platitude", "how-not-to-feel", "self-focus"})
_SENT_END = frozenset({".", "!", "?"})
_OPEN_WH = frozenset({"what", "how", "where", "when", "which", "who"})
_WH = frozenset({"what", "how", "why", "where", "when", "who", "which"})
_AUX = frozenset(
    "is was are were do does did has have had can could would will should shall am may might must "
    "happens happened comes came goes went makes made kind sort else exactly about would's".split()
)
_SUBJ_PRON = frozenset({"you", "i", "he", "she", "they", "we"})
_SUBJ = frozenset("you he she they it there we i that this your his her their the".split())
_EXPERIENCE = frozenset("like feel feeling felt mean means meant happen happens happened happening going "
                        "been experience hardest worst matter matters need want hope fear notice notices "
                        "noticed remember remembers different changed change miss misses wish wishes worry "
                        "worries".split())
# Gerunds that are the helper's own act ("Sending hugs", "Thinking of you"), not a reflection.
_HELPER_GERUNDS = frozenset("sending praying wishing hoping nothing something anything "
                            "everything morning evening during bring thing string spring darling wedding "
                            "building king sibling ceiling pudding".split())
# Present-tense verbs that make a leading gerund the subject ("Listening to music helps").
_MAIN_VERBS = frozenset("helps help works matters makes means gets keeps takes hurts goes gives stops feels "
                        "seems sounds changes solves fixes causes leads brings puts needs won't".split())
# Words that frame an "order" as the student's reading of the client's need ("it sounds like
# you need to know where you stand").
_TENTATIVE_FRAME = frozenset("sounds seems sound seem guessing imagine wonder wondering sense".split())
_PAST = frozenset("got went said did made left lost felt told took gave came knew thought saw kept let put ran "
                  "sat stood heard found".split())
# Frames of an order that a platitude can fill ("you just have to stay positive").
_FRAME_CUES = frozenset({"cue:just-need", "cue:you-need-to", "cue:will-have-to"})
# Apologies that are a pity cue when they stand alone.
_SORRY_CUES = ("cue:so-sorry", "cue:im-sorry", "cue:bare-sorry")
_NARRATIVE_SOURCES = ("rule:feeling-word", "rule:client-words", "rule:you-statement", "cue:that-is-x",
                      "cue:must-be", "cue:sounds-adj", "cue:must-hurt")
# Words that frame a statement as the student's reading of the client's experience.
_TENTATIVE = frozenset("sounds seems must feels seem sound imagine guess wonder".split())
_FINITE = frozenset("is are was were am has have had will would can could do does did should shall may "
                    "might must".split())
_ADVERBS = frozenset("just really do honestly kind of also truly totally genuinely definitely strongly "
                     "personally still always actually sort".split())
_ADJ_FRAMES = frozenset("sounds seems sound seem feels feel must would is was".split())
_ADJ_SUBJ = frozenset("it that this which everything all".split())
_INTENSIFIERS = frozenset("so really very pretty quite incredibly kind sort of a bit little such truly genuinely "
                          "bloody seriously utterly absolutely totally completely just also rather an".split())
_LOGISTIC_PREP = frozenset("for on at until till by from in into with to up off out back soon".split())
_SMALL_TALK = frozenset("nice good great lovely glad welcome thanks thank pleased happy see catch talk speak "
                        "cheers morning afternoon evening hello hi hiya".split())
_ERRANDS = frozenset("checking following dropping calling popping picking sending coming swinging ringing phoning "
                     "looping touching getting heading running printing bringing booking emailing posting "
                     "texting going meeting chasing forwarding filling signing".split())
_ERRAND_PARTICLES = frozenset("in up off back round by".split())
_HABITUAL = frozenset("every again always never still alone constantly all anymore nobody everyone".split())
_VOICE_FRAMES = frozenset({"cue:like-clause", "cue:as-if-fragment", "cue:as-if-voice"})
_WHICH_EXPERIENCE = frozenset("hurts hurt stays stay weighs weigh scares scare worries worry bothers bother "
                               "haunts haunt matters matter feels feel frightens stings sting keeps most "
                               "comes hits hit".split())
_WHICH_FACTS = frozenset("ward hospital school council day days time date room bus train floor number form "
                         "office team doctor gp clinic bank address way week month year prison one's".split())
_CLOCK = frozenset("one two three four five six seven eight nine ten eleven twelve noon midday midnight half "
                    "quarter lunch lunchtime".split())
_DECISIVE = 5.0
_EXEMPLAR_CHARS = 600  # replies longer than this are compared to exemplars by their start


@dataclass
class _Match:
    i: int  # first token
    j: int  # last token
    a: int  # normalised-text span
    b: int
    label: str
    kind: str
    weight: float
    source: str
    sent: int


@dataclass(frozen=True)
class _Client:
    stems: frozenset[str]
    families: frozenset[str]


class RubricScorer:
    """Scores replies with one rubric. Build once (it precompiles), call `assess` many times."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.s = rubric.settings
        words = rubric.words
        self.negators = frozenset(w for w in words("negators") if " " not in w)
        self.bridges = words("negation_bridges")
        self.openers = frozenset(tuple(w.split()) for w in words("conventional_openers"))
        self.breakers = words("scope_breakers")
        self.not_negation = frozenset(tuple(w.split()) for w in words("not_negation"))
        frames = words("report_frames")
        self.frames1 = frozenset(w for w in frames if " " not in w)
        self.frames2 = frozenset(tuple(w.split()) for w in frames if w.count(" ") == 1)
        self.stop = words("stopwords")
        self.second = words("second_person")
        self.first = words("first_person")
        self.fillers = words("fillers")
        self.closed = words("closed_question_starters")
        self.quantity = words("quantity_words")
        self.third = words("third_party")
        self.open_starters = sorted((tuple(w.split()) for w in words("open_question_starters")),
                                    key=len, reverse=True)
        feelings = sorted(rubric.feeling_family, key=len, reverse=True)
        self.feeling_re = re.compile(
            r"(?<!\S)(?:" + "|".join(re.escape(f) for f in feelings) + r")(?!\S)") if feelings else None
        self.cues: tuple[Cue, ...] = rubric.cues
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
        self._frags = tuple(sorted(frag_cues, key=lambda f: -len(frag_cues[f])))
        self._token_cues = lru_cache(maxsize=65536)(self._cues_for_token)
        # A second, independent need per cue ("you" ... "should"): a candidate runs only if the
        # reply also holds one of those strings.
        self._also = {ci: frozenset(c.needs_also) for ci, c in enumerate(self.cues) if c.needs_also}
        self._also_frags = tuple(sorted(set().union(*self._also.values()))) if self._also else ()
        self._token_also = lru_cache(maxsize=65536)(self._also_for_token)
        self.ex_norms = [e.norm for e in rubric.exemplars]
        self._client = lru_cache(maxsize=256)(self._analyse_client)
        self._norm_ex = lru_cache(maxsize=4096)(self._normalise_exemplar)
        self.adj_suffixes = tuple(sorted(words("adjective_suffixes"), key=len, reverse=True))
        self.not_adj = words("not_adjectives") | frozenset(
            w for w in words("act_judgments") | words("client_labels") if " " not in w)
        self._wm: wordmodel.WordModel | None = None
        self._wm_ready = False

    def word_model(self) -> wordmodel.WordModel | None:
        """The word-model fallback, trained from the rubric's examples file when first needed."""
        if not self._wm_ready:
            self._wm_ready = True
            path = examples_path(self.rubric)
            if path is not None:
                self._wm = _trained_model(self.rubric, str(path), path.stat().st_mtime_ns)
        return self._wm

    def _also_for_token(self, token: str) -> frozenset[str]:
        return frozenset(f for f in self._also_frags if f in token)

    def _cues_for_token(self, token: str) -> frozenset[int]:
        """Cues one of whose needed strings occurs in this token (needed strings have no spaces)."""
        out: set[int] = set()
        for frag in self._frags:
            if frag in token:
                out.update(self._frag_cues[frag])
        return frozenset(out)

    # --- public -------------------------------------------------------------------------

    def assess(self, reply: str, context: Context | None = None) -> Assessment:
        context = context or Context()
        if not isinstance(reply, str):
            reply = str(reply)
        norm = self.rubric.normaliser.normalise(reply)
        model = context.model_reply
        if not any(t.text[0].isalnum() for t in norm.tokens):
            return Assessment(NEUTRAL, 0.5, {lab: (self.s.neutral_threshold if lab == NEUTRAL else 0.0)
                                             for lab in LABELS}, (), (),
                              self.rubric.feedback_for(NEUTRAL, None), model)
        sents = self._sentences(norm)
        matches = self._cue_matches(norm, sents)
        matches = self._resolve_overlaps(matches)
        matches += self._question_rules(norm, sents, matches)
        matches += self._feeling_rule(norm, sents, matches)
        matches += self._adjective_frame_rule(norm, sents, matches)
        matches += self._client_rule(norm, sents, matches, context.client or "")
        matches += self._exemplar_rule(norm, context)
        matches += self._fragment_rule(norm, sents, matches)
        self._framed_platitudes(matches)
        self._info_in_reflection(matches)
        self._subordinate_pity(norm, matches)
        self._helper_narrative(norm, sents, matches)
        self._voiced_judgments(matches)
        return self._decide(reply, norm, sents, matches, model)

    # --- structure ----------------------------------------------------------------------

    def _sentences(self, norm: Normalised) -> list[dict]:
        """Per sentence: token range, word count, first word index, question or not."""
        out: list[dict] = []
        toks = norm.tokens
        start = 0
        for k, t in enumerate(toks):
            last = k == len(toks) - 1
            if t.text in _SENT_END or last:
                out.append({"a": start, "b": k, "end": t.text if t.text in _SENT_END else ""})
                start = k + 1
        for s in out:
            words = [k for k in range(s["a"], s["b"] + 1) if toks[k].text[0].isalnum()]
            s["words"] = words
            s["n"] = len(words)
            first = 0
            while first < len(words) - 1 and toks[words[first]].text in self.fillers:
                first += 1
            s["first"] = words[first] if words else s["a"]
            s["q"] = self._is_question(norm, s)
        return out

    def _is_question(self, norm: Normalised, s: dict) -> bool:
        if s["end"] == "?":
            return True
        if s["end"] in (".", "!") or not s["words"]:
            return False
        toks = norm.tokens
        w = [toks[k].text for k in s["words"] if k >= s["first"]]
        if len(w) < 2:
            return False
        if w[0] in _WH:
            if w[1] in _AUX or w[1] in self.quantity or (len(w) > 2 and w[2] in _AUX):
                return True
            # "what scares you most", "how comes": a verb straight after the wh-word
            return w[0] in ("what", "how", "who") and w[1].endswith(("s", "ed")) and w[1] not in self.stop \
                and len(w) > 2 and w[2] in self.second
        if w[0] in self.closed:
            return w[1] in _SUBJ
        return False

    # --- cues ---------------------------------------------------------------------------

    def _cue_matches(self, norm: Normalised, sents: list[dict]) -> list[_Match]:
        text = norm.text
        toks = norm.tokens
        out: list[_Match] = []
        n_s = len(sents)
        window = self.s.negation_window
        # Only cues one of whose needed strings occurs in the reply are run (see literal_needs).
        run = set(self._always)
        words = {t.text for t in toks}
        for w in words:
            run.update(self._token_cues(w))
        if self._also:
            present = frozenset().union(*(self._token_also(w) for w in words))
            run = {ci for ci in run if ci not in self._also or not self._also[ci].isdisjoint(present)}
        for ci in sorted(run):
            cue = self.cues[ci]
            for m in cue.pattern.finditer(text):
                if m.end() <= m.start():
                    continue
                i, j = norm.token_range(m.start(), m.end())
                sent = toks[i].sent
                if cue.where != "anywhere":
                    si = min(sent, n_s - 1)
                    if cue.where == "question" and not sents[si]["q"]:
                        continue
                    if cue.where == "statement" and sents[si]["q"]:
                        continue
                    if cue.where == "opener" and sent != 0:
                        continue
                    if cue.where == "closing" and sent != n_s - 1:
                        continue
                quoted = [toks[k].quoted for k in range(i, j + 1) if toks[k].text[0].isalnum()]
                if not cue.quoted and quoted and all(quoted):
                    continue
                label, kind, weight = cue.label, cue.kind, cue.weight
                if label == JUDGMENTAL and not cue.quoted and any(quoted):
                    continue  # scare quotes: "what you're 'supposed' to do" reports, not judges
                if label == JUDGMENTAL and kind in ("ordering", "directive-advice"):
                    sd = sents[min(sent, n_s - 1)]
                    if sd["q"] and toks[sd["first"]].text in _OPEN_WH:
                        continue  # "what would you need to see from me?" is not an order
                    if any(toks[k].text in _TENTATIVE_FRAME and toks[k].clause == toks[i].clause
                           and not any(toks[q].text in ("but", "however", "though") for q in range(k, i))
                           for k in range(sd["a"], i)):
                        continue  # "it sounds like you need to know where you stand": a reflection
                if cue.negated != "keep" and label != NEUTRAL and self._negated(toks, i, window):
                    if cue.negated == "cancel":
                        continue
                    label, _, kind = cue.negated.partition("/")
                    weight = abs(weight) * self.s.negated_flip_factor
                elif label in (JUDGMENTAL, SYMPATHETIC) and self._reported(toks, i, window):
                    continue
                out.append(_Match(i, j, m.start(), m.end(), label, kind, weight, "cue:" + cue.id, sent))
        return out

    def _looking_back(self, toks, i: int, window: int):
        """Positions before token i, nearest first, within its clause and up to a scope breaker."""
        if toks[i].text in self.breakers:
            return
        clause = toks[i].clause
        for k in range(i - 1, max(-1, i - 1 - window), -1):
            if toks[k].clause != clause or toks[k].text in self.breakers:
                return
            yield k

    def _negated(self, toks, i: int, window: int) -> bool:
        """A negator shortly before token i, in the same clause and before any new subject."""
        for k in self._looking_back(toks, i, window):
            t = toks[k]
            # "don't worry ur doing great": a new subject ends the negation's reach, unless a
            # verb of saying or thinking carries it over ("nobody thinks you're weak").
            if toks[k + 1].text in _SUBJ_PRON and t.text not in self.bridges:
                return False
            if t.text in self.negators:
                nxt = toks[k + 1].text if k + 1 < len(toks) else ""
                prev = toks[k - 1].text if k > 0 else ""
                if (t.text, nxt) in self.not_negation or (prev, t.text) in self.not_negation:
                    continue
                return True
        return False

    def _reported(self, toks, i: int, window: int) -> bool:
        """A judgment after "you keep telling yourself", "they say", "as if": someone else's."""
        for k in self._looking_back(toks, i, window):
            t = toks[k]
            pair = (toks[k - 1].text, t.text) if k > 0 else None
            if t.text in self.frames1 and k + 2 < len(toks) and toks[k + 1].text == "like" \
                    and toks[k + 2].text in ("that", "this", "these", "those"):
                continue  # "thoughts like that": a noun phrase, not a reporting frame
            if t.text in self.frames1 or (pair is not None and pair in self.frames2):
                first = k - (2 if pair in self.frames2 else 1)
                # "I think you need to..." is the student's own opinion, not a report.
                while first >= 0 and toks[first].text in _ADVERBS:
                    first -= 1
                if first >= 0 and toks[first].text in self.first:
                    return False
                return True
        return False

    @staticmethod
    def _resolve_overlaps(matches: list[_Match]) -> list[_Match]:
        """A match inside a longer (or equally long and stronger) one is dropped."""
        if len(matches) < 2:
            return matches
        order = sorted(range(len(matches)), key=lambda k: (-(matches[k].b - matches[k].a), -matches[k].weight, k))
        kept: list[_Match] = []
        for k in order:
            m = matches[k]
            outer = next((o for o in kept if o.a <= m.a and m.b <= o.b), None)
            if outer is not None:
                if outer.label == m.label and m.weight > outer.weight:
                    outer.weight = m.weight  # same label: the stronger cue's weight stands
                continue
            kept.append(m)
        kept.sort(key=lambda m: (m.a, m.b))
        return kept

    # --- rules --------------------------------------------------------------------------

    def _question_rules(self, norm: Normalised, sents: list[dict], matches: list[_Match]) -> list[_Match]:
        toks = norm.tokens
        out: list[_Match] = []
        for si, s in enumerate(sents):
            if not s["q"] or not s["words"]:
                continue
            if any(m.sent == si and m.label == JUDGMENTAL for m in matches):
                continue
            f = s["first"]
            w = [toks[k].text for k in s["words"] if k >= f]
            idx = [k for k in s["words"] if k >= f]
            starter = None
            for st in self.open_starters:
                if tuple(w[:len(st)]) == st:
                    starter = st
                    break
            if starter is None and w and w[0] == "which" and self._which_experience(w):
                starter = ("which",)  # "which of it hurts most?", "which one stays with you?"
            after = w[len(starter):len(starter) + 4] if starter is not None else []
            factual = starter is not None and starter[0] in ("what", "how", "where") and (
                (after and after[0] in self.quantity)
                or (any(x in self.quantity for x in after) and not set(w) & _EXPERIENCE))
            # "Where are you staying tonight?", "When is it?": place and time, unless about experience.
            if starter in (("where",), ("when",)) and not set(w) & _EXPERIENCE:
                factual = True
            if starter is not None and not factual:
                rest = set(w)
                about_client = bool(rest & self.second) or bool(rest & _EXPERIENCE) or starter == ("which",)
                third = len(w) > len(starter) + 1 and w[len(starter)] in _AUX and w[len(starter) + 1] in self.third \
                    and not about_client
                weight = self.s.open_question_weight * (1.0 if about_client else 0.5)
                if third:
                    weight *= 0.5
                end = idx[min(len(starter), len(idx)) - 1]
                out.append(self._rule(norm, f, end, EMPATHIC, "exploration", weight, "rule:open-question", si))
            elif w and (w[0] in self.closed or w[0] in ("why", "when", "where", "which", "who") or factual):
                end = idx[min(1, len(idx) - 1)]
                out.append(self._rule(norm, f, end, NEUTRAL, "closed-question",
                                      self.s.closed_question_weight, "rule:closed-question", si))
        return out

    def _which_experience(self, w: list[str]) -> bool:
        """A "which" question about the client's experience: an experience verb or a superlative
        of weight ("which of it hurts most", "which bit is heaviest"), and no fact noun straight
        after "which" ("which ward is she on?" stays closed)."""
        if len(w) < 3 or w[1] in _WHICH_FACTS or w[1] in self.third:
            return False
        rest = set(w[1:])
        return bool(rest & _WHICH_EXPERIENCE) or any(t.endswith("est") and len(t) > 5 and t not in ("nearest", "closest",
                                                                                                  "cheapest", "quickest",
                                                                                                  "latest", "earliest",
                                                                                                  "fastest", "biggest")
                                                       for t in rest)

    def _rule(self, norm: Normalised, i: int, j: int, label: str, kind: str, weight: float,
              source: str, sent: int) -> _Match:
        a = norm.starts[i]
        b = norm.starts[j] + len(norm.tokens[j].text)
        return _Match(i, j, a, b, label, kind, weight, source, sent)

    def _covered(self, k: int, matches: list[_Match], labels: tuple[str, ...] = LABELS) -> bool:
        return any(m.i <= k <= m.j and m.label in labels for m in matches)

    def _helper_frame(self, toks, k: int) -> bool:
        """Is the feeling at k the student's own ("I'm so sad", "makes me angry")?"""
        clause = toks[k].clause
        for q in range(k - 1, max(-1, k - 5), -1):
            t = toks[q]
            if t.clause != clause or t.text in self.second:
                return False
            if t.text in self.first:
                return True
        return False

    def _feeling_rule(self, norm: Normalised, sents: list[dict], matches: list[_Match]) -> list[_Match]:
        if self.feeling_re is None or self.s.feeling_word_weight <= 0:
            return []
        toks = norm.tokens
        out: list[_Match] = []
        seen: set[str] = set()
        for m in self.feeling_re.finditer(norm.text):
            i, j = norm.token_range(m.start(), m.end())
            if self._covered(i, matches):
                continue
            si = toks[i].sent
            s = sents[min(si, len(sents) - 1)]
            if s["q"] and toks[s["first"]].text in self.closed:
                continue
            if self._negated(toks, i, 3) or self._helper_frame(toks, i):
                continue
            fam = self.rubric.feeling_family.get(m.group(), m.group())
            if fam in seen or len(seen) >= 2:
                continue
            seen.add(fam)
            out.append(_Match(i, j, m.start(), m.end(), EMPATHIC, "reflection",
                              self.s.feeling_word_weight, "rule:feeling-word", si))
        return out

    def _is_adjective(self, toks, k: int) -> bool:
        t = toks[k].text
        if not t.isalpha() or t in self.not_adj:
            return False
        if t in self.rubric.feeling_family:
            return True
        if len(t) < 5:
            return False
        for suf in self.adj_suffixes:
            if t.endswith(suf) and len(t) - len(suf) >= 3:
                if suf == "y" and t.endswith(("ly", "ay", "ey", "ity", "ery", "ory", "ary")):
                    return False
                if suf in ("ed", "ing") and k + 1 < len(toks) and toks[k + 1].text in _LOGISTIC_PREP:
                    return False  # "it seems booked for the 14th", "it must be coming up soon"
                return True
        return False

    def _adjective_frame_rule(self, norm: Normalised, sents: list[dict], matches: list[_Match]) -> list[_Match]:
        """A tentative frame about the situation, then an adjective: "It sounds disorienting",
        "That must be so gruelling", "you must be drained". The adjective is recognised by its
        ending (or as a feeling word), so words outside the feeling lexicon count too; facts and
        plans ("it seems to be booked", "it must be nearby") do not: "to"/"nearby" are not
        adjectives, and participles of logistics are listed in `not_adjectives`."""
        w = self.s.adjective_frame_weight
        if w <= 0:
            return []
        toks = norm.tokens
        n = len(toks)
        out: list[_Match] = []
        for k in range(n):
            t = toks[k].text
            if t not in _ADJ_FRAMES:
                continue
            si = toks[k].sent
            s = sents[min(si, len(sents) - 1)]
            if s["q"]:
                continue
            prev = toks[k - 1].text if k > 0 and toks[k - 1].sent == si else ""
            j = k + 1
            if t in ("must", "would"):
                nxt = [toks[q].text for q in range(k + 1, min(n, k + 3))]
                if nxt[:2] == ["have", "been"]:
                    j = k + 3
                elif nxt[:1] in (["be"], ["feel"]):
                    j = k + 2
                else:
                    continue
                if prev not in _ADJ_SUBJ and not (t == "must" and prev in ("you", "u")):
                    continue
            elif t in ("is", "was"):
                if prev not in _ADJ_SUBJ or k + 1 >= n or toks[k + 1].text not in ("so", "really", "incredibly",
                                                                                    "truly", "such"):
                    continue
            elif t in ("feels", "feel"):
                if prev not in _ADJ_SUBJ:
                    continue
            elif prev not in _ADJ_SUBJ and k != s["first"]:
                continue  # sounds / seems: "it sounds", or "Sounds..." at the start
            while j < n and toks[j].sent == si and toks[j].text in _INTENSIFIERS:
                j += 1
            if j >= n or toks[j].sent != si:
                continue
            if not self._is_adjective(toks, j):
                # "nerve-wracking", "soul-destroying": a compound whose second half is the adjective
                if not (j + 1 < n and toks[j + 1].sent == si and toks[j + 1].text.endswith(("ing", "ed"))
                        and toks[j].text.isalpha() and self._is_adjective(toks, j + 1)
                        and (j + 2 >= n or not toks[j + 2].text[0].isalnum())):
                    continue
                j += 1
            if self._negated(toks, k, 3) or self._helper_frame(toks, k):
                continue
            if j + 2 < n and toks[j + 1].text == "for" and toks[j + 2].text in self.third | self.first:
                continue  # "it must be frustrating for the staff": someone else's experience
            cover = [m for m in matches if m.i <= j <= m.j]
            if any(m.label != EMPATHIC or m.weight >= w for m in cover):
                continue
            for m in cover:
                matches.remove(m)
            # "that's so X" is the loosest frame (an exclamation as often as a reflection): a little less
            out.append(self._rule(norm, max(k - 1, s["a"]) if prev in _ADJ_SUBJ else k, j, EMPATHIC,
                                  "reflection", w - 0.2 if t in ("is", "was") else w, "rule:adjective-frame", si))
        return out

    def _logistics_fragment(self, toks, words: list[int], si: int, matches: list[_Match]) -> bool:
        """A gerund fragment about the helper's errands, not the client's experience: a
        day/time/service word or an errand verb with its particle ("dropping off", "checking in"),
        and nothing about the client's inner life (no feeling word, no "you" except in
        "for you" / "with you")."""
        texts = [toks[k].text for k in words]
        if texts[0] not in _ERRANDS:
            return False
        particle = len(texts) > 1 and texts[1] in _ERRAND_PARTICLES
        info = any(m.sent == si and m.label == NEUTRAL for m in matches) or any(
            a in ("at", "by", "on", "until", "before") and (b in _CLOCK or b[:1].isdigit())
            for a, b in zip(texts, texts[1:]))
        if not (particle or info):
            return False
        for n, t in enumerate(texts):
            if t in self.rubric.feeling_family or t in _HABITUAL:
                return False  # "Checking the locks three times every night" is a life, not an errand
            if t in self.second and (n == 0 or texts[n - 1] not in ("for", "with", "to", "see", "meet", "call",
                                                                   "ring", "email", "text", "send")):
                return False
        return True

    def _fragment_rule(self, norm: Normalised, sents: list[dict], matches: list[_Match]) -> list[_Match]:
        """A verbless fragment that starts with a gerund voices the client's experience.

        "Coming home and feeling like a stranger in your own house." / "Dreading every call."
        A finite verb straight after a noun makes the gerund a subject ("Going to the GP would
        help"), which is advice, not a fragment; a finite verb after a pronoun ("something he
        can't control") is inside a subordinate clause and keeps the fragment.
        """
        w = self.s.fragment_weight
        if w <= 0:
            return []
        toks = norm.tokens
        out: list[_Match] = []
        for si, s in enumerate(sents):
            if s["q"] or s["n"] < 2:
                continue
            words = [k for k in s["words"] if k >= s["first"]]
            while words and toks[words[0]].text in ("and", "just", "still", "now", "also", "not", "never",
                                                    "always", "maybe", "even", "quite", "really", "barely", "only"):
                words = words[1:]
            if len(words) < 2:
                continue
            g = toks[words[0]].text
            texts = [toks[k].text for k in words]
            gerund = g.endswith("ing") and len(g) >= 5 and g.isalpha() and g not in _HELPER_GERUNDS
            # "Everyone in it, and you on the outside, knowing they're talking about you."
            you_fragment = not gerund and len(texts) >= 4 and bool(set(texts) & self.second) \
                and g not in self.second and g not in _WH and g not in self.closed and not g.endswith("ing")
            if not (gerund or you_fragment):
                continue
            if set(texts) & self.first:
                continue
            main_verb = False
            for n in range(1, len(texts)):
                if (texts[n] in _FINITE or texts[n] in _MAIN_VERBS) and texts[n - 1] not in _SUBJ_PRON \
                        and texts[n - 1] not in _FINITE \
                        and texts[n - 1] not in ("who", "which", "that", "it", "there", "what", "how", "to", "not"):
                    main_verb = True
                    break
            if main_verb:
                continue
            if you_fragment and any(texts[n - 1] in self.second and (texts[n] in _FINITE or texts[n] in _MAIN_VERBS
                                                                   or texts[n] in _PAST or texts[n].endswith("ed"))
                                    for n in range(1, len(texts))):
                continue  # "you went...", "you are...": a full statement, for the other rules
            if you_fragment:
                head = []
                for n, t in enumerate(texts):
                    if n and t in (",", "and", "but", "while", "when", "because", "who", "which", "that", "if"):
                        break
                    head.append(t)
                if any(t in _FINITE or t in _MAIN_VERBS or t in _PAST for t in head):
                    continue  # "There's a line you can call": a main verb before any clause break
            if any(m.sent == si and (m.label in (SYMPATHETIC, JUDGMENTAL) or (you_fragment and m.label == NEUTRAL))
                   for m in matches):
                continue
            if you_fragment and g in _SMALL_TALK:
                continue  # "Nice to see you again.", "Good to hear from you."
            if gerund and self._logistics_fragment(toks, words, si, matches):
                continue  # "Going to the clinic at three.", "Checking in about Tuesday."
            k = words[0]
            out.append(_Match(k, k, norm.starts[k], norm.starts[k] + len(g), EMPATHIC, "reflection", w,
                              "rule:fragment", si))
            break
        return out

    @staticmethod
    def _voiced_judgments(matches: list[_Match]) -> None:
        """"Like you're not allowed to miss him": a judgment inside a sentence that a like / as-if
        clause opens voices the client's experience of being judged; it is not the helper's."""
        frames = {m.sent: m.i for m in matches if m.source in _VOICE_FRAMES}
        if not frames:
            return
        matches[:] = [m for m in matches
                      if not (m.label == JUDGMENTAL and m.sent in frames and m.i >= frames[m.sent])]

    @staticmethod
    def _framed_platitudes(matches: list[_Match]) -> None:
        """"You just have to take it one day at a time": the frame carries a platitude, not an order."""
        plats = [m for m in matches if m.label == SYMPATHETIC and m.kind in ("platitude", "reassurance")]
        if not plats:
            return
        for m in matches:
            if m.label != JUDGMENTAL or m.source not in _FRAME_CUES:
                continue
            if any(m.i < p.i <= m.j + 3 and p.sent == m.sent for p in plats):
                m.weight = 0.0

    @staticmethod
    def _info_in_reflection(matches: list[_Match]) -> None:
        """"Monday must feel like walking into a room...": a day or a service word inside a sentence
        that reflects a feeling is not information."""
        refl = {m.sent for m in matches if m.label == EMPATHIC and m.source.startswith("cue:") and m.weight >= 1.0
                and m.kind == "reflection"}
        if not refl:
            return
        for m in matches:
            if m.label == NEUTRAL and m.kind == "information" and m.sent in refl:
                m.weight *= 0.3

    def _helper_narrative(self, norm: Normalised, sents: list[dict], matches: list[_Match]) -> None:
        """In a reply that tells the helper's own story ("I went through something similar..."),
        feeling words in first-person sentences are the helper's feelings, not a reflection."""
        own = [m for m in matches if m.label == SYMPATHETIC and m.kind == "self-focus"]
        if not own:
            return
        toks = norm.tokens
        words = [{toks[k].text for k in s["words"]} for s in sents]
        # A forum-style reply that is the helper's story from start to finish ("My dad was exactly
        # the same. Took three falls before he'd discuss it. We got there in the end..."): no
        # sentence speaks to the client and most speak about the helper. Its third-person
        # sentences belong to the story too, and the self-disclosure is the main message.
        story = len(sents) >= 2 and not any(w & self.second for w in words) \
            and any(w & self.first for w in words)
        for m in matches:
            if m.label != EMPATHIC or not m.source.startswith(_NARRATIVE_SOURCES):
                continue
            texts = words[min(m.sent, len(sents) - 1)]
            if (texts & self.first or story) and not texts & self.second:
                m.weight *= 0.3
        if story:
            m0 = own[0]
            matches.append(_Match(m0.i, m0.j, m0.a, m0.b, SYMPATHETIC, "self-focus", self.s.story_weight,
                                  "rule:helper-story", m0.sent))

    def _analyse_client(self, client: str) -> _Client:
        n = self.rubric.normaliser.normalise(client[:3000])
        stems: set[str] = set()
        for t in n.tokens:
            w = t.text
            if w[0].isalnum() and len(w) >= 3 and w not in self.stop and not w.isdigit():
                stems.add(stem(w))
        fams: set[str] = set()
        if self.feeling_re is not None:
            fams = {self.rubric.feeling_family.get(m.group(), "") for m in self.feeling_re.finditer(n.text)}
            fams.discard("")
        return _Client(frozenset(stems), frozenset(fams))

    def _client_rule(self, norm: Normalised, sents: list[dict], matches: list[_Match], client: str) -> list[_Match]:
        w = self.s.client_word_weight
        if not client.strip() or w <= 0:
            return []
        cl = self._client(client)
        toks = norm.tokens
        words = {t.text for t in toks}
        has_you = bool(words & self.second)
        has_feeling = any(m.label == EMPATHIC and m.kind == "reflection" for m in matches) \
            or bool(words & _TENTATIVE)
        out: list[_Match] = []
        total = 0.0
        seen: set[str] = set()
        for si, s in enumerate(sents):
            closed_q = s["q"] and s["words"] and toks[s["first"]].text in self.closed
            if closed_q:
                continue
            # "Numb. Like everything's on pause." / "Lying awake every night, listening for the door."
            sw = {toks[k].text for k in s["words"]}
            fragment = s["n"] <= 6 or not (sw & _FINITE or sw & self.first)
            if not (has_you or has_feeling or fragment):
                continue
            for k in s["words"]:
                t = toks[k].text
                if len(t) < 3 or t in self.stop or t.isdigit():
                    continue
                st = stem(t)
                fam = self.rubric.feeling_family.get(t)
                echo = st in cl.stems or (fam is not None and fam in cl.families)
                if not echo or st in seen or self._covered(k, matches, (SYMPATHETIC, JUDGMENTAL, NEUTRAL)):
                    continue
                seen.add(st)
                add = min(w, self.s.client_word_cap - total)
                if add <= 0:
                    break
                total += add
                out.append(_Match(k, k, norm.starts[k], norm.starts[k] + len(t), EMPATHIC, "reflection",
                                  add, "rule:client-words", si))
        # One echoed word is common in any reply; the evidence is in several, or in a statement
        # about the client ("You've lost something you loved").
        about_you = [m for m in out if self._about_client(toks, sents[m.sent], matches)]
        if len(out) == 1 and not about_you:
            out[0].weight *= 0.5
        if about_you and self.s.client_word_weight > 0:
            m = about_you[0]
            out.append(_Match(m.i, m.j, m.a, m.b, EMPATHIC, "reflection", min(0.3, w), "rule:you-statement", m.sent))
        return out

    def _about_client(self, toks, s: dict, matches: list[_Match]) -> bool:
        """A statement about the client: second person, not a question, no neutral evidence."""
        if s["q"]:
            return False
        if not any(toks[k].text in self.second for k in s["words"]):
            return False
        return not any(m.label == NEUTRAL and s["a"] <= m.i <= s["b"] for m in matches)

    def _normalise_exemplar(self, text: str) -> str:
        return self.rubric.normaliser.normalise(text[:_EXEMPLAR_CHARS * 2]).text

    def _exemplar_rule(self, norm: Normalised, context: Context) -> list[_Match]:
        s = self.s
        text = norm.text[:_EXEMPLAR_CHARS]
        if len(text) < 4:
            return []
        last = len(norm.tokens) - 1
        out: list[_Match] = []
        span_b = norm.starts[last] + len(norm.tokens[last].text)

        def strength(sim: float, top: float) -> float:
            if sim >= s.exemplar_near:
                return _DECISIVE
            return top * (sim - s.exemplar_floor) / max(1.0, s.exemplar_near - s.exemplar_floor)

        if self.ex_norms and s.rubric_exemplar_weight > 0:
            hit = process.extractOne(text, self.ex_norms, scorer=fuzz.ratio, score_cutoff=s.exemplar_floor)
            if hit is not None:
                ex = self.rubric.exemplars[hit[2]]
                out.append(_Match(0, last, 0, span_b, ex.label, ex.kind,
                                  strength(hit[1], s.rubric_exemplar_weight), "exemplar:rubric", 0))
        exemplars: Mapping[str, Sequence[str]] = context.exemplars or {}
        if exemplars and s.exemplar_weight > 0:
            best: tuple[float, str] | None = None
            for label, items in exemplars.items():
                if label not in LABELS or isinstance(items, str):
                    items = [items] if isinstance(items, str) and label in LABELS else []
                cands = [self._norm_ex(x) for x in items if isinstance(x, str) and x.strip()]
                if not cands:
                    continue
                hit = process.extractOne(text, cands, scorer=fuzz.ratio, score_cutoff=s.exemplar_floor)
                if hit is not None and (best is None or hit[1] > best[0]):
                    best = (hit[1], label)
            if best is not None:
                label = best[1]
                kind = "" if label == NEUTRAL else ""
                out.append(_Match(0, last, 0, span_b, label, kind, strength(best[0], s.exemplar_weight),
                                  f"exemplar:{label}", 0))
        return out

    def _subordinate_pity(self, norm: Normalised, matches: list[_Match]) -> None:
        """'I'm so sad that you're hurting': the client's feeling is subordinate to the pity."""
        toks = norm.tokens
        pity = [m for m in matches if m.label == SYMPATHETIC and m.kind == "pity"]
        if not pity:
            return
        for m in matches:
            if m.label != EMPATHIC or not m.source.startswith(("cue:", "rule:feeling", "rule:client")):
                continue
            for p in pity:
                if p.j < m.i and toks[p.j].clause == toks[m.i].clause:
                    m.weight *= 0.3
                    break

    # --- the word-model fallback ----------------------------------------------------------

    def _model_matches(self, norm: Normalised, sents: list[dict]) -> list[_Match]:
        """Evidence from the word model for its label, as the 1-3 features that pushed hardest.

        Only a non-neutral label the model gives at least `model_min_confidence` is returned; its
        total weight is `model_weight` times the model's probability.
        """
        model = self.word_model()
        if model is None:
            return []
        feats = wordmodel.features(norm, self.negators, self.not_negation, self.breakers)
        probs, used = model.scores(feats)
        label = max(LABELS, key=lambda lab: (probs[lab], -LABELS.index(lab)))
        if label == NEUTRAL or probs[label] < self.s.model_min_confidence:
            return []
        pushes = sorted(((model.push(ll, label), f.i, f.j, f.name) for f, ll in used),
                        key=lambda x: (-x[0], x[1], x[3]))
        positive = [x for x in pushes if x[0] > 0]
        # Explain with content: "that", "of" may tip the sum but say little to a student.
        content = [x for x in positive if not all(w.removeprefix("not_") in self.stop or not w[0].isalnum()
                                                  for w in x[3].removeprefix("end:").split("_"))]
        # A guess it cannot explain with a content word of the reply ("you're", "for", "it seems")
        # is not shown to a student as a reason, so it is not acted on either.
        best = content[:3]
        if not best:
            return []
        total = self.s.model_weight * probs[label]
        share = sum(x[0] for x in best)
        toks = norm.tokens
        out = []
        for push, i, j, _ in best:
            if not toks[i].text[0].isalnum():  # "?": the whole sentence
                sd = next((sd for sd in sents if sd["a"] <= i <= sd["b"]), None)
                if sd is not None:
                    i = sd["a"]
            out.append(self._rule(norm, i, j, label, "", total * push / share, "model:" + label, toks[i].sent))
        return out

    # --- decision -----------------------------------------------------------------------

    def _decide(self, reply: str, norm: Normalised, sents: list[dict], matches: list[_Match],
                model: str | None) -> Assessment:
        s = self.s
        toks = norm.tokens
        # Repeats of one cue count less and less.
        counts: dict[str, int] = {}
        for m in matches:
            n = counts.get(m.source, 0)
            if n and m.source.startswith("cue:"):
                m.weight *= s.repeat_decay ** n
            counts[m.source] = n + 1
        extra: list[_Match] = []

        def total(label: str, ms: list[_Match]) -> float:
            return max(0.0, sum(m.weight for m in ms if m.label == label))

        emp = total(EMPATHIC, matches)
        sym = total(SYMPATHETIC, matches)
        jud = total(JUDGMENTAL, matches)

        # Mixing rule 2: a brief conventional opener ("I'm so sorry.") before real empathy.
        if sym > 0 and emp > 0:
            opener = self._opener(norm, sents)
            if opener is not None and self._conventional(toks, *opener):
                a, b = opener
                s_in = [m for m in matches if m.label == SYMPATHETIC]
                e_after = sum(m.weight for m in matches if m.label == EMPATHIC and m.i > b)
                if s_in and all(a <= m.i and m.j <= b and m.kind == "pity" for m in s_in) \
                        and e_after >= s.neutral_threshold:
                    for m in s_in:
                        m.weight *= s.opener_discount
                    sym = total(SYMPATHETIC, matches)
            # A short "been there too" opener that hands the floor back to the client ("I had a
            # plot for years too. How are you doing since the letter?") is not the main message.
            elif opener is not None:
                a, b = opener
                s_in = [m for m in matches if m.label == SYMPATHETIC]
                e_after = sum(m.weight for m in matches if m.label == EMPATHIC and m.i > b
                              and not m.source.startswith(("exemplar:", "model:")))
                if s_in and all(a <= m.i and m.j <= b and m.kind == "self-focus" for m in s_in) \
                        and e_after >= s.neutral_threshold:
                    for m in s_in:
                        m.weight *= s.opener_discount
                    sym = total(SYMPATHETIC, matches)

        # A bare apology anywhere ("... That must be so hard. I'm sorry.") after real empathy, or
        # an apology that goes with the worker owning a mistake ("That came out as a threat, and
        # I'm sorry"), is presence, not pity as the main message.
        if sym > 0 and emp >= s.neutral_threshold:
            repair = any(m.source.startswith(("cue:repair", "cue:worker-limit")) for m in matches)
            for m in matches:
                if m.label != SYMPATHETIC or m.kind != "pity" or not m.source.startswith(_SORRY_CUES):
                    continue
                sd = sents[min(m.sent, len(sents) - 1)]
                bare = sd["n"] <= 4 and self._conventional(toks, sd["a"], sd["b"])
                e_else = sum(x.weight for x in matches if x.label == EMPATHIC and x.sent != m.sent)
                if repair or (bare and e_else >= s.neutral_threshold):
                    m.weight *= s.opener_discount
            sym = total(SYMPATHETIC, matches)

        # Mixing rule 3: the reply ends in reassurance, minimising, a platitude, "don't feel...".
        closing = False
        if sym > 0 and emp > 0:
            last_sent = max((m.sent for m in matches if m.label in (EMPATHIC, SYMPATHETIC)
                             and not m.source.startswith("exemplar:")), default=-1)
            closing_ms = [m for m in matches if m.label == SYMPATHETIC and m.sent == last_sent
                          and m.kind in _CLOSING_KINDS]
            first_e = min((m.i for m in matches if m.label == EMPATHIC and not m.source.startswith("exemplar:")),
                          default=None)
            closing_w = sum(m.weight for m in closing_ms)
            if closing_ms and closing_w >= s.closing_threshold and first_e is not None \
                    and first_e < min(m.i for m in closing_ms):
                closing = True
                m0 = closing_ms[0]
                extra.append(_Match(m0.i, m0.j, m0.a, m0.b, SYMPATHETIC, m0.kind, 0.0, "rule:closing", m0.sent))

        neu_ev = total(NEUTRAL, matches)
        neu = max(s.neutral_threshold, neu_ev)

        def choose() -> str:
            best = max((emp, EMPATHIC), (sym, SYMPATHETIC), (jud, JUDGMENTAL))
            # Reaching the neutral threshold is enough; neutral evidence above it must be beaten.
            return best[1] if (best[0] > neu or (neu_ev < s.neutral_threshold and best[0] >= neu)) else NEUTRAL

        from_model = False
        if jud < s.judgmental_threshold and not closing and s.model_weight > 0 and neu_ev <= 0:
            # The rules are weak: the reply would be neutral, or their top label barely leads.
            label = choose()
            ranked = sorted((emp, sym, jud), reverse=True)
            if label == NEUTRAL or ranked[0] - ranked[1] < s.model_margin:
                added = self._model_matches(norm, sents)
                if added:
                    before = (emp, sym, jud)
                    emp, sym, jud = (total(EMPATHIC, matches + added), total(SYMPATHETIC, matches + added),
                                     total(JUDGMENTAL, matches + added))
                    if choose() == added[0].label:  # the model's label wins: keep its evidence
                        matches = matches + added
                        from_model = added[0].label != label
                    else:  # it does not: the rules' result stands untouched
                        emp, sym, jud = before
        scores = {EMPATHIC: emp, SYMPATHETIC: sym, JUDGMENTAL: jud, NEUTRAL: neu}
        if jud >= s.judgmental_threshold:
            label = JUDGMENTAL
        elif closing:
            label = SYMPATHETIC
            scores[SYMPATHETIC] = max(sym, emp + 0.01)
        else:
            label = choose()
        top = scores[label]
        second = max(v for k, v in scores.items() if k != label)
        conf = 0.5 + 0.5 * (top - second) / (top + second + 0.5)
        if label == JUDGMENTAL and second > top:
            conf = 0.5 + 0.25 * min(1.0, top / (second + 0.01))
        conf = min(0.99, max(0.05, conf))

        by_kind: dict[str, float] = {}
        for m in matches:
            if m.label == label and m.kind and m.weight > 0:
                by_kind[m.kind] = by_kind.get(m.kind, 0.0) + m.weight
        kinds = tuple(k for k, _ in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])))
        if label == SYMPATHETIC and closing and extra:
            ck = extra[0].kind
            kinds = (ck,) + tuple(k for k in kinds if k != ck)

        evidence: list[Evidence] = []
        for m in sorted(matches + extra, key=lambda m: (m.a, m.b, m.source)):
            a, b = norm.span(m.a, m.b)
            if b <= a:
                continue
            evidence.append(Evidence(a, b, reply[a:b], m.label, m.kind or "", m.source, round(m.weight, 4)))
        feedback = self.rubric.feedback_for(label, kinds[0] if kinds else None)
        if from_model and label != NEUTRAL:
            words = ", ".join(f'"{e.text}"' for e in evidence if e.source == "model:" + label)
            feedback = (feedback + f" (Read from {words}: " + wordmodel.explanation(label) + ".)").strip()
        return Assessment(label, round(conf, 4), {k: round(v, 4) for k, v in scores.items()}, kinds,
                          tuple(evidence), feedback, model)

    def _conventional(self, toks, a: int, b: int) -> bool:
        """Is the opener a conventional one ("I'm so sorry.", "Thank you for telling me.")?"""
        words = [toks[k].text for k in range(a, b + 1) if toks[k].text[0].isalnum()]
        while words and words[0] in self.fillers and len(words) > 1:
            words = words[1:]
        for n in range(len(words), 0, -1):
            if tuple(words[:n]) in self.openers:
                return len(words) - n <= 3  # "I'm so sorry to hear that"
        return False

    def _opener(self, norm: Normalised, sents: list[dict]) -> tuple[int, int] | None:
        """Token range of a short first sentence (or first clause), if there is more after it."""
        if len(sents) > 1 and sents[0]["n"] <= self.s.opener_max_words:
            return sents[0]["a"], sents[0]["b"]
        toks = norm.tokens
        first_clause = [k for k, t in enumerate(toks) if t.clause == 0]
        if first_clause and first_clause[-1] < len(toks) - 1:
            n = sum(1 for k in first_clause if toks[k].text[0].isalnum())
            if n <= self.s.opener_max_words:
                return first_clause[0], first_clause[-1]
        return None


def examples_path(rubric: Rubric):
    """The labelled examples the word model learns from: examples/<rubric file name>.jsonl next to
    the rubric, else the built-in examples/default.jsonl; None when there are none."""
    from pathlib import Path

    from .paths import builtin_dir

    own = Path(rubric.path).parent / "examples" / (Path(rubric.path).stem + ".jsonl")
    for p in (own, builtin_dir("rubrics") / "examples" / "default.jsonl"):
        if p.is_file():
            return p
    return None


def _trained_model(rubric: Rubric, path: str, mtime: int) -> wordmodel.WordModel | None:
    examples = wordmodel.read_examples(path)
    if not examples:
        return None
    neg = frozenset(w for w in rubric.words("negators") if " " not in w)
    not_neg = frozenset(tuple(w.split()) for w in rubric.words("not_negation"))
    return wordmodel.train_from_examples(examples, rubric.normaliser, neg, not_neg, rubric.words("scope_breakers"))


@lru_cache(maxsize=1)
def default_scorer() -> RubricScorer:
    """The scorer with the built-in rubric, built once."""
    return RubricScorer(load_default_rubric())
