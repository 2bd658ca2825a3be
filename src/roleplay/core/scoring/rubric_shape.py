"""The rubric file's shape (its keys, their types and limits, the settings table, the word lists the
scorer reads) and the types a loaded rubric is made of. The loader (rubric.py), the JSON Schema
and the docs all read these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from roleplay.core.labels import KINDS, LABELS
from roleplay.core.scenario.shape import Field
from roleplay.core.scoring.textnorm import Normaliser

FORMAT_VERSION = 1
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
_NAME = re.compile(NAME_PATTERN)
_MACRO = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
WHERE = ("anywhere", "statement", "question", "opener", "closing")
# Word lists the scorer's mechanisms read; a rubric must define them (they may be short).
REQUIRED_LEXICONS = ("negators", "not_negation", "negation_bridges", "scope_breakers", "report_frames", "conventional_openers", "stopwords", "common_words", "second_person",
                     "first_person", "possessive_nouns", "fillers", "open_question_starters",
                     "closed_question_starters", "quantity_words", "third_party")

# The one table of settings: (default, min, max, doc). The loader, the JSON Schema and the docs
# all read it. Everything else a rule scorer once had a number for is learned now (RETIRED).
SETTINGS: dict[str, tuple[float, float, float, str]] = {
    "negation_window": (5, 1, 12, "How many words before a cue a negator (not, never, nobody...) reaches."),
    "fuzzy_cutoff": (86, 50, 100, "How close (0-100) a typed word must be to a rubric word to be read as it."),
    "fuzzy_min_len": (6, 3, 12, "Words shorter than this are never typo-corrected."),
}
# Settings of the hand-weighted rule scorer: accepted with a warning, and ignored.
RETIRED_SETTINGS = (
    "neutral_threshold", "judgmental_threshold", "closing_threshold", "story_weight", "opener_max_words",
    "opener_discount", "negated_flip_factor", "repeat_decay", "client_word_weight", "client_word_cap",
    "feeling_word_weight", "fragment_weight", "adjective_frame_weight", "open_question_weight",
    "closed_question_weight", "exemplar_weight", "rubric_exemplar_weight", "exemplar_floor", "exemplar_near",
    "model_weight", "model_min_confidence", "model_margin",
)
# Word lists whose words are never corrected and never a correction target.
_PROTECTED_ONLY = frozenset({"stopwords", "common_words", "services", "days", "titles", "report_verbs",
                             "quantity_words", "third_party", "possessive_nouns", "own_people",
                             "closed_question_starters", "fillers", "negation_bridges", "scope_breakers",
                             "function_words", "question_words", "auxiliaries", "subject_words",
                             "subject_pronouns", "opinion_adverbs"})
_INT_SETTINGS = {"negation_window", "fuzzy_min_len"}


def _cue_shape() -> Field:
    return Field("map", doc="A cue: a phrase (or list of phrases) or a regex, and its weight.", fields={
        "id": Field("str", doc="A name for the cue, shown as the evidence source (default: kind.N)."),
        "phrase": Field("text_or_list", doc="Words matched in the normalised reply (lower case, "
                                            "contractions and text-speak expanded, typos corrected)."),
        "regex": Field("str", doc="A Python regex matched against whole words of the normalised reply. "
                                  "{name} inserts a word list from `lexicons` (or {feeling}, "
                                  "{feeling_<family>}); {S} is the start of a sentence."),
        "weight": Field("number", doc="Retired: a cue's weight is learned from the corpus now; ignored.",
                        min=-5, max=5),
        "negated": Field("str", doc="When a negator comes shortly before the cue: `cancel` (default), "
                                    "`keep`, or `label/kind` to count for that kind instead."),
        "where": Field("str", doc="Only in some sentences.", enum=WHERE),
        "quoted": Field("bool", doc="Also fire inside quotation marks (the student quoting the client)."),
    })


def _kind_shape(label: str, kind: str) -> Field:
    return Field("map", doc=f"The {kind} kind of {label} replies.", fields={
        "description": Field("str"),
        "feedback": Field("str", True, "One line of teaching feedback, shown when this is the main kind."),
        "cues": Field("list", item=_cue_shape()),
        "exemplars": Field("list", doc="Example replies of this kind, written for the rubric.",
                           item=Field("str")),
    })


RUBRIC_SHAPE = Field("map", doc="A rubric: how student replies are labelled and what feedback they get.", fields={
    "rubric": Field("int", True, "Format version of this file.", min=1, max=FORMAT_VERSION),
    "id": Field("str", True, "Stable identifier, lower_snake_case."),
    "title": Field("str", True),
    "description": Field("str"),
    "model": Field("str", doc="The model file this rubric's labels come from, relative to the rubric file "
                              "(`roleplay train --rubric FILE` writes it). Without it, the built-in model."),
    "settings": Field("map", doc="How the reply is read before the model sees it.", fields={
        **{name: Field("int" if name in _INT_SETTINGS else "number", doc=doc, min=lo, max=hi)
           for name, (_, lo, hi, doc) in SETTINGS.items()},
        **{name: Field("number", doc="Retired: the model learns this now; ignored.") for name in RETIRED_SETTINGS},
    }),
    "textspeak": Field("dict", doc="Text-speak and run-together words and what they stand for "
                                   "(u: you, bc: because).", item=Field("str")),
    "feelings": Field("dict", doc="Feeling words by family (anger, fear...), for reflections.",
                      key_pattern=NAME_PATTERN, item=Field("list", item=Field("str"), min_items=1)),
    "lexicons": Field("dict", doc="Named word lists; the scorer needs " + ", ".join(REQUIRED_LEXICONS) +
                                  "; any list can be used in a regex as {name}.",
                      key_pattern=NAME_PATTERN, item=Field("list", item=Field("str"))),
    "labels": Field("map", True, "The labels and their sub-kinds.", fields={
        label: Field("map", doc=f"The {label} label.", fields={
            "description": Field("str"),
            "feedback": Field("str", doc="Feedback when no sub-kind stands out."),
            "kinds": Field("map", fields={k: _kind_shape(label, k) for k in KINDS[label]}),
        }) for label in LABELS
    }),
})


@dataclass(frozen=True)
class Settings:
    # Defaults come from the one table, SETTINGS.
    negation_window: int = int(SETTINGS["negation_window"][0])
    fuzzy_cutoff: float = float(SETTINGS["fuzzy_cutoff"][0])
    fuzzy_min_len: int = int(SETTINGS["fuzzy_min_len"][0])


@dataclass(frozen=True)
class Cue:
    id: str
    label: str
    kind: str
    weight: float
    pattern: re.Pattern
    source: str  # the phrase or regex as written
    negated: str = "cancel"  # cancel | keep | "label/kind"
    where: str = "anywhere"
    quoted: bool = False
    line: int = 0
    needs: tuple[str, ...] | None = None  # one of these strings must occur for the cue to match
    needs_also: tuple[str, ...] | None = None  # ... and one of these, found elsewhere in the pattern


@dataclass(frozen=True)
class KindSpec:
    label: str
    name: str
    feedback: str
    description: str = ""
    cues: tuple[Cue, ...] = ()
    exemplars: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exemplar:
    label: str
    kind: str
    text: str
    norm: str  # normalised


@dataclass
class Rubric:
    id: str
    title: str
    path: str
    settings: Settings
    textspeak: dict[str, str]
    feelings: dict[str, tuple[str, ...]]
    lexicons: dict[str, tuple[str, ...]]
    kinds: dict[tuple[str, str], KindSpec]
    label_feedback: dict[str, str]
    cues: tuple[Cue, ...]
    exemplars: tuple[Exemplar, ...]
    normaliser: Normaliser
    description: str = ""
    feeling_family: dict[str, str] = field(default_factory=dict)  # normalised word -> family
    feeling_stems: dict[str, str] = field(default_factory=dict)  # stem -> family
    model: str = ""  # the model file, relative to the rubric; "" for the built-in model

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self.lexicons.get(name, ()))

    def feedback_for(self, label: str, kind: str | None) -> str:
        spec = self.kinds.get((label, kind or ""))
        if spec is not None and spec.feedback:
            return spec.feedback
        return self.label_feedback.get(label, "")
