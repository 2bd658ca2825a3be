"""The shape of a scenario file: every key, its type and its help text.

The validator checks files against it, and the JSON Schema editors use is generated from it.
"""

from __future__ import annotations

from roleplay.core.labels import LABELS
from roleplay.core.scenario.shape import Field
from roleplay.core.scenario.state_rules import ID_PATTERN

_TEXT = Field("str", required=True)  # present and not empty
_LINE = Field("line", doc="A line, or a variant with a condition: {text: ..., if: ...}.", fields={
    "text": Field("str", True, "What the client says."),
    "if": Field("condition", doc="Say this variant only when the condition holds (then it comes first)."),
    "requires": Field("condition", doc="What the line takes for granted; lint checks every way in (L206)."),
})
_LINES = Field("text_or_list", True, "What the client says: one or more variants.", item=_LINE, item_name="line")
_TRAP = Field("map", doc="A teaching moment: a reply that springs it gets a note.", fields={
    "when": Field("str", True, "What the reply does, e.g. a promise of confidentiality."),
    "note": Field("str", True, "Shown under the reply when sprung, and at the debrief."),
    "cues": Field("text_or_list", doc="Patterns (regular expressions, any case) that spring it.", item=_TEXT),
    "phrasings": Field("text_or_list", doc="Replies that spring it; one with most of their words does too.",
                       item=_TEXT),
})

SCENARIO_SHAPE = Field("map", doc="A roleplay scenario: one client, their turns, and the endings.", fields={
    "id": Field("str", True, "Stable identifier, lower_snake_case; the built-in name."),
    "title": Field("str", True, "Shown on the picker card."),
    "summary": Field("str", doc="One or two sentences for the picker card."),
    "difficulty": Field("str", doc="How hard the client is to reach.",
                        enum=("beginner", "intermediate", "advanced")),
    "minutes": Field("int", doc="Expected length of one practice, in minutes.", min=1, max=120),
    "rubric": Field("str", doc="A built-in rubric name or a path relative to this file."),
    "persona": Field("map", True, "Who the client is.", fields={
        "name": Field("str", True), "age": Field("int", True, min=1, max=120),
        "pronouns": Field("str", True),
        "setting": Field("str", True, "Where and why the student meets the client."),
        "briefing": Field("str", True, "What the student is told beforehand."),
        "mood": Field("str", True, "The client's opening mood."),
        "content_note": Field("str", True, "Sensitive themes, shown before the scenario starts."),
    }),
    "state": Field("dict", True, "State variables; `trust` (0-100) is required.",
                   key_pattern=ID_PATTERN, item_name="state variable", item=Field("map", fields={
                       "type": Field("str", True, enum=("int", "bool")),
                       "min": Field("int"), "max": Field("int"),
                       "start": Field("any", True, "Start value: a number for int, true/false for bool."),
                       "label": Field("str", doc="Display name."),
                   })),
    "start": Field("str", True, "Id of the first client turn."),
    "nodes": Field("list", True, "The client turns.", min_items=1, item_name="turn", item=Field("map", fields={
        "id": Field("str", True, "Unique across nodes and endings."),
        "lines": _LINES,
        "cue": Field("str", doc="A nonverbal cue, e.g. *arms crossed*."),
        "mood": Field("str", doc="The client's mood from this turn on."),
        "trap": _TRAP,
        "thought": Field("str", True, "The client's inner thought, revealed at the debrief."),
        "model_reply": Field("str", True, "A model empathic reply, offered after the turn."),
        "exemplars": Field("map", True, "Example student replies for each label.", fields={
            label: Field("text_or_list", item=_TEXT) for label in LABELS}),
        "branches": Field("list", True, "Tried in order; the first that matches is taken.", min_items=1,
                          item_name="branch", item=Field("map", fields={
                              "on": Field("text_or_list", True, "A label, a list of labels, or default."),
                              "kind": Field("text_or_list", doc="Sub-kinds of the label, e.g. exploration: "
                                            "the reply's main kind must be one of them.", item=_TEXT),
                              "if": Field("condition", doc="A condition on state, e.g. trust >= 60."),
                              "goto": Field("str", True, "A node id or an ending id."),
                              "effects": Field("dict", doc="int: +10 or -5 change it, \"= 10\" sets it; "
                                               "bool are set to true/false.", item=Field("any")),
                              "reason": Field("str", doc="Shown to the student when state changes."),
                              "reaction": Field("text_or_list", doc="The client's immediate reaction, said "
                                                "right after the reply.", item=_LINE, item_name="reaction"),
                              "trap": _TRAP,
                          })),
    })),
    "endings": Field("list", True, "How the conversation can end.", min_items=1, item_name="ending",
                     item=Field("map", fields={
                         "id": Field("str", True), "title": Field("str", True),
                         "outcome": Field("str", True, enum=("positive", "mixed", "negative")),
                         "debrief": Field("str", True, "A paragraph for the student at the debrief."),
                         "line": Field("text_or_list", doc="The client's last words: one or more variants.",
                                       item=_LINE, item_name="line"),
                         "cue": Field("str"),
                     })),
    "tests": Field("list", doc="Scenario tests run by `roleplay test`.", item_name="test", item=Field("map", fields={
        "name": Field("str", True),
        "replies": Field("list", doc="Scripted student replies, scored as usual.", item=Field("str")),
        "labels": Field("list", doc="Labels fed straight to the engine, bypassing the scorer; "
                        "label/kind (empathic/exploration) gives the sub-kind too.", item=Field("str", required=True)),
        "expect": Field("map", True, fields={
            "ending": Field("str", doc="An ending id, or null when the script runs out first.", nullable=True),
            "state": Field("dict", doc="Conditions on the final state, e.g. trust: '>= 60'.", item=Field("any")),
            "reaction": Field("str", doc="Words the client's last reaction contains."),
        }),
    })),
})
