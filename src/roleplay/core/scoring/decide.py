"""The scorer: a label, its sub-kind, the words that earned it and a line of feedback.

1. A scenario turn's own exemplars are the author's labels: a reply that is one of them, or a
   near paraphrase, takes the author's label.
2. Otherwise the learned model gives a probability for each label, and the label chosen is the
   one with the lowest expected cost. Errors do not cost the same: calling a judgmental or
   sympathetic reply "empathic" praises harm, so it costs most; missing a judgment costs more
   than other slips.
3. When empathy was in the running but did not win, the feedback says so and names the words
   pulling each way. It never praises.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from roleplay.core.assessment import Assessment, Context, Evidence
from roleplay.core.labels import EMPATHIC, JUDGMENTAL, KINDS, LABELS, NEUTRAL, SYMPATHETIC
from roleplay.core.io.diagnostics import ERROR, Diagnostic
from roleplay.core.scoring.rubric import Rubric
from .budget import REPLY_BUDGET
from .cues import cut_short
from .explain import phrases, placed, token_pull
from .features import WORDS, Analysis, Featuriser, WordIndex, char_grams
from .model import LinearModel, ModelError, softmax

if TYPE_CHECKING:  # only named in annotations; batch scoring never loads the scenario model
    from roleplay.core.scenario.model import Scenario

MAX_REPLY_CHARS = 5000  # a longer reply is read by its first and last parts (textnorm does the cut)
NEAR_EXEMPLAR = 88
UNREADABLE = ("The trainer could not read this reply (none of its words are ones it has learned), so it "
              "gives no label. Write to the client in English, in your own words.")  # rapidfuzz ratio at which a reply is a near paraphrase of an exemplar

# How each sub-kind reads, for the "partly ..., but ..." line.
READS_AS = {
    "reflection": "a reflection", "validation": "validation", "exploration": "an open question",
    "presence": "staying with them",
    "pity": "pity", "reassurance": "reassurance that closes the subject", "minimising": "minimising",
    "platitude": "a platitude", "self-focus": "turning to your own story",
    "how-not-to-feel": "telling them how not to feel",
    "blaming": "blame", "moralising": "a lecture", "ordering": "an order",
    "interrogating": "an accusing question", "dismissing": "dismissing what they feel",
    "directive-advice": "advice that implies they are at fault",
    "information": "information", "closed-question": "a closed question", "suggestion": "a suggestion",
    "logistics": "logistics",
}
_E, _S, _J, _N = (LABELS.index(x) for x in (EMPATHIC, SYMPATHETIC, JUDGMENTAL, NEUTRAL))


def choose(probs: list[float], praise_cost: float, miss_judgment_cost: float) -> int:
    """The label with the lowest expected cost under the asymmetric costs."""
    best, best_cost = 0, float("inf")
    for pred in range(len(probs)):
        cost = 0.0
        for true, p in enumerate(probs):
            if true == pred:
                continue
            w = 1.0
            if pred == _E and true in (_S, _J):
                w = praise_cost
            elif true == _J:
                w = miss_judgment_cost
            cost += p * w
        if cost < best_cost:
            best, best_cost = pred, cost
    return best


class LearnedScorer:
    """Scores replies with one rubric and its model. Build once, call `assess` many times."""

    def __init__(self, rubric: Rubric, model: LinearModel) -> None:
        self.rubric = rubric
        self.model = model
        self.fz = Featuriser(rubric)
        self.function_words = rubric.words("function_words")
        self.praise_cost = float(model.meta.get("praise_cost", 3.0))
        self.miss_judgment_cost = float(model.meta.get("miss_judgment_cost", 1.5))
        self._kind_idx = {lab: [model.kinds.index(f"{lab}/{k}") for k in KINDS[lab] if f"{lab}/{k}" in model.kinds]
                          for lab in LABELS}
        self._norm_ex = lru_cache(maxsize=4096)(lambda t: self.fz.normaliser.normalise(t).text)

    @cached_property
    def index(self) -> WordIndex:
        """Built on first use (about 30 ms), so loading the scorer costs no more than it did."""
        return WordIndex(self.model.vocab)

    def preload(self) -> bool:
        """Build the word index and fill the per-word caches for every word the model knows from
        the tables `roleplay train` keeps in the model file (wordtables); False when it has none
        for this rubric's cues (the index is built all the same)."""
        from roleplay.core.io.gc_pause import gc_paused
        from .wordtables import BLOCK, preload

        # Tens of thousands of small, acyclic, long-lived containers: a collection pass over the
        # whole loaded scorer, which making them would set off, costs more than making them.
        with gc_paused():
            self.index
            blob = self.model.extra.get(BLOCK)
            return blob is not None and preload(self.fz.matcher, self.model, blob)

    def probabilities(self, reply: str, client: str = "") -> list[float]:
        return softmax(self.model.scores(self.encode(self.fz.analyse(reply, client, index=self.index))))

    def encode(self, a: Analysis):
        return self.encode_placed(a)[0]

    def encode_placed(self, a: Analysis):
        """(the reply encoded, (feature index, first token, last token) of each feature the model
        knows that sits on tokens, in feature order: what the explanation shares pulls over)."""
        get = self.model.vocab.get
        if a.hits is None:  # an Analysis with every feature named
            hits = [(k, i, j) for n, g, i, j in a.feats if g == WORDS and (k := get(n)) is not None]
            rule_feats = [f for f in a.feats if f[1] != WORDS]
        else:
            hits, rule_feats = a.hits, a.feats
        located = list(hits)
        rules: dict[int, None] = {}
        for k, f in zip(map(get, map(itemgetter(0), rule_feats)), rule_feats):
            if k is not None:
                rules[k] = None
                if f[2] >= 0:
                    located.append((k, f[2], f[3]))
        words = tuple(dict.fromkeys(map(itemgetter(0), hits)))
        return self.model.encode_indices(words, tuple(rules), a.words(), char_grams), located

    def assess(self, reply: str, context: Context | None = None, *, feedback: bool = True) -> Assessment:
        """`feedback=False`: the rubric's plain line for the label, without naming the words that
        pulled towards empathy (batch scoring prints no feedback, so it does not compose it)."""
        context = context or Context()
        if not isinstance(reply, str):
            reply = str(reply)
        a = self.fz.analyse(reply, context.client or "", budget=REPLY_BUDGET, index=self.index)
        if getattr(a.cues, "skipped", 0):
            return replace(self._assess(reply, context, a, feedback), notes=(cut_short(a.cues),))
        return self._assess(reply, context, a, feedback)

    def _assess(self, reply: str, context: Context, a: Analysis, with_feedback: bool = True) -> Assessment:
        model_reply = context.model_reply
        if not a.norm.word_at:
            return self._neutral(self.rubric.feedback_for(NEUTRAL, None), model_reply)
        m = self.model
        x, located = self.encode_placed(a)
        if not x.words and not x.rules_known:
            # Nothing here the model has seen (another language, a code, a keyboard mash): it
            # says neutral rather than guess, and says why.
            return self._neutral(UNREADABLE, model_reply)
        probs = softmax(m.scores(x))
        label_i = choose(probs, self.praise_cost, self.miss_judgment_cost)
        source = "model"
        author = self._exemplar(a.norm.text, context)
        if author is not None:
            label_i, source = LABELS.index(author), "exemplar:" + author
        label = LABELS[label_i]
        kinds = self._kinds(x, label)
        kind = kinds[0] if kinds else None
        runner = max((c for c in range(len(LABELS)) if c != label_i), key=lambda c: probs[c])
        client_words = self.fz.client_words(context.client or "")
        evidence: list[Evidence] = []
        known = placed(x, located) if label != NEUTRAL or source != "model" else []
        if label != NEUTRAL or source != "model":
            others = {c: probs[c] for c in range(len(LABELS)) if c != label_i}
            found = phrases(a, token_pull(m, x, a, label_i, others, known), label, client_words, self.function_words)
            if not found and runner != _N:  # chosen over a likelier label: what sets it apart from neutral
                found = phrases(a, token_pull(m, x, a, label_i, {_N: 1.0}, known), label, client_words, self.function_words)
            for p in found:
                src = ("cue:" + p.cue) if p.cue else "model"
                evidence.append(Evidence(p.start, p.end, p.text, label, kind or "", src, p.weight))
        if source != "model":  # the author's own label for this turn: say so, over the whole reply
            evidence.append(Evidence(0, len(reply), reply, label, kind or "", source, 0.0))
        feedback = self.rubric.feedback_for(label, kind)
        # Empathy in the running but not chosen: say so, and name the words pulling each way.
        if with_feedback and label != EMPATHIC and probs[_E] >= 0.05 and label in (JUDGMENTAL, SYMPATHETIC):
            e_words = phrases(a, token_pull(m, x, a, _E, {label_i: 1.0}, known), EMPATHIC, client_words,
                              self.function_words, 1)
            e_words = [p for p in e_words if len(p.text.split()) > 1 or len(p.text) > 5]
            if e_words and evidence:
                e_kind = (self._kinds(x, EMPATHIC) or ("reflection",))[0]
                feedback = (f"Partly {READS_AS.get(e_kind, e_kind)} (\"{e_words[0].text}\"), but "
                            f"\"{evidence[-1].text}\" reads as {READS_AS.get(kind or '', label)}. " + feedback)
        scores = {lab: round(probs[i], 4) for i, lab in enumerate(LABELS)}
        conf = 0.97 if source != "model" else probs[label_i]
        return Assessment(label, round(conf, 4), scores, kinds, tuple(evidence), feedback.strip(), model_reply)

    @staticmethod
    def _neutral(feedback: str, model_reply: str | None) -> Assessment:
        """Neutral with no evidence: nothing to read, or nothing the model has learned."""
        return Assessment(NEUTRAL, 0.5, {lab: (1.0 if lab == NEUTRAL else 0.0) for lab in LABELS}, (), (),
                          feedback, model_reply)

    def _kinds(self, x, label: str) -> tuple[str, ...]:
        idx = self._kind_idx.get(label) or []
        if not idx:
            return ()
        ks = self.model.kind_scores(x, idx)
        order = sorted(idx, key=lambda c: -ks[c])
        return tuple(self.model.kinds[c].split("/", 1)[1] for c in order[:2])

    def _exemplar(self, norm_text: str, context: Context) -> str | None:
        """The author's label when the reply is one of the turn's exemplars or a near paraphrase."""
        if not (context.exemplars or context.model_reply) or len(norm_text) < 8:
            return None
        best, best_label = 0.0, None
        sources = list(context.exemplars.items())
        if context.model_reply:  # the turn's model reply is the author's empathic example too
            sources.append((EMPATHIC, [context.model_reply]))
        for lab, texts in sources:
            if lab not in LABELS:
                continue
            for t in texts:
                en = self._norm_ex(t)
                s = fuzz.ratio(norm_text, en, score_cutoff=NEAR_EXEMPLAR)
                if s > best:
                    best, best_label = s, lab
        return best_label


# -- which scorer -------------------------------------------------------------------------------

def model_path(rubric: Rubric) -> Path:
    """The rubric's `model:` file (relative to the rubric), else the built-in model."""
    from roleplay.core.io.paths import builtin_dir

    own = getattr(rubric, "model", "") or ""
    if own:
        return Path(rubric.path).parent / own
    return builtin_dir("rubrics") / "models" / "default.rpm"


_lock = threading.Lock()
_models: dict[str, LinearModel] = {}
_by_path: dict[str, tuple[LearnedScorer | None, tuple[Diagnostic, ...]]] = {}


def load_model(path: Path) -> LinearModel:
    key = str(path)
    with _lock:
        if key not in _models:
            _models[key] = LinearModel.load(path)
        return _models[key]


def _build(rubric: Rubric | None, diags: list[Diagnostic]) -> tuple[LearnedScorer | None, tuple[Diagnostic, ...]]:
    if rubric is None:
        return None, tuple(diags)
    path = model_path(rubric)
    try:
        return LearnedScorer(rubric, load_model(path)), tuple(diags)
    except ModelError as e:
        return None, tuple(diags) + (Diagnostic(str(path), 1, 1, ERROR, "E410", str(e)),)


@lru_cache(maxsize=1)
def default_scorer() -> LearnedScorer:
    """The scorer with the built-in rubric and model, built once. A broken built-in is a bug: it raises."""
    from roleplay.core.scoring.rubric import load_default_rubric

    rubric = load_default_rubric()
    return LearnedScorer(rubric, load_model(model_path(rubric)))


def scorer_for(scenario: Scenario | None = None, rubric: str | None = None) -> tuple[LearnedScorer | None, list[Diagnostic]]:
    """(scorer, diagnostics); the scorer is None when the rubric or its model cannot be used.

    `rubric` (a name or a path relative to the working folder) wins; otherwise the scenario's
    `rubric:` (a name or a path relative to the scenario file). One scorer per rubric file, built
    on first use and kept, so every tool scores a scenario the same way.
    """
    from roleplay.core.scoring.rubric import find_rubric, load_rubric

    if rubric:
        name, base = rubric, None
    else:
        name = (scenario.rubric or "").strip() if scenario else ""
        base = Path(scenario.path).parent if scenario and scenario.path else None
    if not name or name == "default":
        return default_scorer(), []
    path = find_rubric(name, base)
    key = str(path.resolve())
    with _lock:
        cached = _by_path.get(key)
    if cached is None:
        cached = _build(*load_rubric(path))
        with _lock:
            _by_path[key] = cached
    scorer, diags = cached
    return scorer, list(diags)
