"""Scoring: how a student's reply gets its label, sub-kind, evidence and feedback.

The label is learned (a linear model over word and character n-grams and the rubric's cues and
mechanisms, trained from the labelled corpus by `roleplay train`); the rubric explains it.
One module per job; each imports only from those above it (tests/test_import_rules.py):

- literals:  what a cue regex needs and where it can start, to its second word (the prefilter; refusing ReDoS)
- pattern_facts: those answers, cached between runs
- budget:    the time a reply's cue matching may take, and the timer signal that enforces it
- textnorm:  tidying a reply (lower case, contractions, text-speak, typos), keeping spans
- rubric_shape, rubric: the rubric file's shape and types, and its loader
- text:      sentences, questions and lexicon look-ups over the normalised reply
- cues:      the rubric's cues matched on a reply (negation, quotation, reported speech)
- features:  the feature strings a reply yields, each with the tokens it came from
- model:     the compact model file: read with the standard library, scored with numpy
- explain:   the words that pushed a label, as phrases of the reply as typed
- wordtables: per-word look-ups for every known word, made by training and kept in the model file
- decide:    the scorer itself: exemplars, asymmetric costs, sub-kind and feedback
- evaluation, corpus, metrics, train: the one JSON-lines reader and metrics, the corpus, training (train needs the `train` extra)
"""


def scorer_for(scenario=None, rubric=None):
    """(scorer, diagnostics) for a scenario or a rubric name; see decide.scorer_for."""
    from .decide import scorer_for as _f

    return _f(scenario, rubric)


def default_scorer():
    """The built-in rubric's scorer, built once."""
    from .decide import default_scorer as _f

    return _f()
