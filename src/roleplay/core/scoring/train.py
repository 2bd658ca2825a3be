"""Fitting the scorer's model from labelled replies (needs the `train` extra: scikit-learn).

The model is two multinomial logistic regressions over the same features: one for the label and
one for the sub-kind. Vocabulary and idf come from the training replies only, so a
cross-validation fold never sees its test situations' words. Everything is deterministic: the
same corpus and settings give the same file.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from roleplay.core.labels import KINDS, LABELS
from .corpus import Item
from .features import CHARS, RULES, WORDS, Featuriser, char_grams
from . import wordtables
from .model import LinearModel

KIND_NAMES = tuple(f"{lab}/{k}" for lab in LABELS for k in KINDS[lab])


@dataclass(frozen=True)
class Params:
    c: float = 8.0  # inverse regularisation of the label model
    kind_c: float = 4.0
    min_df: tuple[int, int, int] = (3, 3, 2)  # per group: words, chars, rules
    scales: tuple[float, float, float] = (1.0, 1.0, 0.6)
    # Decision costs (decide.py): calling harm "empathic" costs most.
    praise_cost: float = 2.0
    miss_judgment_cost: float = 1.2
    max_iter: int = 2000
    tol: float = 1e-4  # the optimiser's stopping tolerance (label model)
    kind_tol: float = 1e-3  # sub-kinds need less precision than labels


@dataclass(frozen=True)
class Doc:
    """What training keeps of one analysed reply."""

    words: tuple[str, ...]  # word feature names
    rules: tuple[str, ...]
    tokens: tuple[str, ...]  # word tokens, for the character features


def featurise(fz: Featuriser, items: Sequence[Item]) -> list[Doc]:
    docs: list[Doc] = []
    for it in items:
        a = fz.analyse(it.reply, it.client)
        w, r = a.names()
        docs.append(Doc(tuple(w), tuple(r), tuple(a.words())))
    return docs


def encode_doc(model: LinearModel, d: Doc):
    return model.encode(d.words, d.rules, ((t, char_grams(t)) for t in d.tokens))


def _vocab(docs: Sequence[Doc], min_df: Sequence[int]) -> tuple[list[str], bytes, array]:
    # Document frequencies per group (the groups' names never overlap: each has its own prefixes).
    counts: list[Counter[str]] = [Counter(), Counter(), Counter()]  # WORDS, CHARS, RULES
    for d in docs:
        counts[WORDS].update(set(d.words))
        counts[RULES].update(set(d.rules))
        counts[CHARS].update({n for t in set(d.tokens) for n in char_grams(t)})
    n = len(docs)
    kept = {f: (g, c) for g, cnt in enumerate(counts) for f, c in cnt.items() if c >= min_df[g]}
    names = sorted(kept)
    idf = array("f", (math.log((1 + n) / (1 + kept[f][1])) + 1.0 for f in names))
    return names, bytes(kept[f][0] for f in names), idf


def _matrix(model: LinearModel, docs: Sequence[Doc]):
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        for k, v in encode_doc(model, d).values(model).items():
            rows.append(r)
            cols.append(k)
            vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(docs), len(model.vocab)), dtype="float64")


def _lr(c: float, max_iter: int, tol: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=max_iter, tol=tol, solver="lbfgs")


def _columns(lr, n_classes: int, idf: array) -> tuple[list[array], tuple[float, ...]]:
    """Per class: coefficient x idf as float32 (classes absent from training get a very low bias)."""
    import numpy as np

    idf_np = np.frombuffer(idf.tobytes(), dtype="<f4").astype("float64")
    cols = [array("f", bytes(4 * len(idf))) for _ in range(n_classes)]
    b = [-30.0] * n_classes
    classes = [int(c) for c in lr.classes_]
    coef = lr.coef_ if len(classes) > 2 else np.vstack([-lr.coef_[0], lr.coef_[0]])
    icpt = lr.intercept_ if len(classes) > 2 else np.array([-lr.intercept_[0], lr.intercept_[0]])
    for row, ic, cls in zip(coef, icpt, classes):
        col = array("f")
        col.frombytes((row * idf_np).astype("<f4").tobytes())
        cols[cls] = col
        b[cls] = float(ic)
    return cols, tuple(b)


def fit(items: Sequence[Item], docs: Sequence[Doc], params: Params = Params(), kinds: bool = True,
        meta: dict | None = None) -> LinearModel:
    # One BLAS thread: the order of floating-point sums then does not depend on the machine's
    # thread count, so the same corpus gives the same file (threadpoolctl comes with sklearn).
    import sklearn.linear_model  # noqa: F401  (load BLAS first: threadpoolctl limits loaded libraries)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _fit(items, docs, params, kinds, meta)


def _fit(items: Sequence[Item], docs: Sequence[Doc], params: Params, kinds: bool, meta: dict | None) -> LinearModel:
    names, groups, idf = _vocab(docs, params.min_df)
    n = len(names)
    model = LinearModel(LABELS, KIND_NAMES, dict(zip(names, range(n))), groups, idf, [], (0.0,) * len(LABELS),
                        [], (), params.scales, dict(meta or {}))
    x = _matrix(model, docs)
    y = [LABELS.index(it.label) for it in items]
    model.cols, model.b = _columns(_lr(params.c, params.max_iter, params.tol).fit(x, y), len(LABELS), idf)
    # Sub-kinds: one small model per label, since a kind is only ever chosen within its label.
    model.kcols = [array("f", bytes(4 * n)) for _ in KIND_NAMES]
    bk = [-30.0] * len(KIND_NAMES)
    if kinds:
        for lab in LABELS:
            rows = [i for i, it in enumerate(items) if it.label == lab and it.kind]
            ys = [KIND_NAMES.index(f"{lab}/{items[i].kind}") for i in rows]
            if len(set(ys)) < 2:
                for k in set(ys):
                    bk[k] = 0.0
                continue
            klr = _lr(params.kind_c, params.max_iter, params.kind_tol).fit(x[rows], ys)
            cols, b = _columns(klr, len(KIND_NAMES), idf)
            for k in set(ys):
                model.kcols[k], bk[k] = cols[k], b[k]
    model.bk = tuple(bk)
    model.reset_cache()  # the per-word character sums were taken before the weights existed
    model.meta.update({"praise_cost": params.praise_cost, "miss_judgment_cost": params.miss_judgment_cost,
                       "params": {"c": params.c, "kind_c": params.kind_c, "min_df": list(params.min_df),
                                  "scales": list(params.scales)},
                       "n_items": len(items), "n_features": n})
    return model


def corpus_digest(items: Sequence[Item]) -> str:
    h = hashlib.sha256()
    for it in items:
        h.update(f"{it.situation}\t{it.client}\t{it.reply}\t{it.label}\t{it.kind}\n".encode("utf-8"))
    return h.hexdigest()[:16]


@dataclass
class CVResult:
    probs: list[list[float]]  # out-of-fold label probabilities, one row per item
    folds: list[int] = field(default_factory=list)


def cross_validate(items: Sequence[Item], docs: Sequence[Doc], params: Params = Params(), k: int = 5) -> CVResult:
    """Out-of-fold probabilities with folds grouped by situation (no situation in train and test)."""
    from sklearn.model_selection import GroupKFold

    from .model import softmax

    groups = [it.situation for it in items]
    probs: list[list[float]] = [[] for _ in items]
    folds = [0] * len(items)
    splitter = GroupKFold(n_splits=k)
    for f, (tr, te) in enumerate(splitter.split(list(range(len(items))), groups=groups)):
        m = fit([items[i] for i in tr], [docs[i] for i in tr], params, kinds=False)
        for i in te:
            probs[i] = softmax(m.scores(encode_doc(m, docs[i])))
            folds[i] = f
    return CVResult(probs, folds)


# -- the corpus and the model file the project ships ----------------------------------------------

def corpus_path():
    from roleplay.core.io.paths import builtin_dir

    return builtin_dir("rubrics") / "corpus" / "replies.jsonl"


def training_items(extra: Sequence[str] = (), builtin: bool = True) -> list[Item]:
    """The built-in corpus (unless `builtin` is False) followed by each extra file's items."""
    from .corpus import read_items

    items: list[Item] = list(read_items(corpus_path())) if builtin else []
    for path in extra:
        items += read_items(path)
    return items


def train_model(rubric, items: Sequence[Item], params: Params = Params()) -> LinearModel:
    """Fit the label and sub-kind models on `items` with the rubric's features."""
    fz = Featuriser(rubric)
    docs = featurise(fz, items)
    meta = {"rubric": rubric.id, "corpus": corpus_digest(items)}
    model = fit(items, docs, params, kinds=True, meta=meta)
    model.extra[wordtables.BLOCK] = wordtables.build(fz.matcher, model)
    model.reset_cache()  # the tables were worked out through the model's own per-word cache
    return model


@dataclass
class CVReport:
    items: list[Item]
    probs: list[list[float]]
    pred: list[str]
    summary: object  # metrics.Summary
    wrong: list[tuple[float, Item, str]]  # (confidence, item, predicted), most confident first


def cv_report(rubric, items: Sequence[Item], params: Params = Params(), k: int = 5,
              docs: Sequence[Doc] | None = None) -> CVReport:
    """Grouped cross-validation figures, with the scorer's own asymmetric decision."""
    from .decide import choose
    from .metrics import summarise

    if docs is None:
        docs = featurise(Featuriser(rubric), items)
    cv = cross_validate(items, docs, params, k)
    pred = [LABELS[choose(p, params.praise_cost, params.miss_judgment_cost)] for p in cv.probs]
    summary = summarise([it.label for it in items], pred, [it.voice for it in items], [it.hard for it in items])
    wrong = sorted(((max(p), it, lab) for p, it, lab in zip(cv.probs, items, pred) if lab != it.label),
                   key=lambda w: -w[0])
    return CVReport(list(items), cv.probs, pred, summary, wrong)
