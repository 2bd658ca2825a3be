"""The starting point `roleplay new NAME` writes: a small, complete, commented scenario.

It passes `validate` and `lint` as written, so an instructor starts from something that runs
(`roleplay play`, `roleplay test`) and changes it a piece at a time. docs/format.md is the full
reference; the comments here say just enough to edit without it.
"""

from __future__ import annotations

import re

SCHEMA_FILE = "scenario.schema.json"


# Letters that do not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe", "Œ": "Oe",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


class BadName(ValueError):
    pass


def scenario_id(name: str) -> str:
    """`Home visit 2` -> `home_visit_2`, `Über café` -> `uber_cafe`; the id is also the file name."""
    import unicodedata

    # Accents come off (é -> e, Ü -> U) rather than the whole letter being dropped.
    plain = unicodedata.normalize("NFKD", name.translate(_LETTERS)).encode("ascii", "ignore").decode("ascii")
    ident = re.sub(r"[^a-z0-9]+", "_", plain.strip().lower()).strip("_")
    if not ident:
        raise BadName(f"{name!r} has no letters or digits to make a scenario name from")
    if not ident[0].isalpha():
        ident = f"s_{ident}"
    return ident


def title_for(ident: str) -> str:
    return ident.replace("_", " ").strip().capitalize()


TEMPLATE = """\
# yaml-language-server: $schema=[[SCHEMA]]
# A roleplay scenario. The full reference is docs/format.md; `roleplay lint` checks this file,
# `roleplay graph [[ID]].yaml` draws its map, `roleplay test [[ID]].yaml` runs the tests at the end,
# and `roleplay play [[ID]].yaml --watch` plays it, reloading whenever you save.
id: [[ID]]                   # lower_snake_case; keep it stable once students have records
title: "[[TITLE]]"           # shown on the picker card
difficulty: beginner          # beginner | intermediate | advanced
minutes: 5                    # expected length of one practice
summary: >
  A college student who has missed three weeks of classes comes to a drop-in
  appointment, unsure whether to stay on the course.

persona:
  name: Jordan Lee
  age: 19
  pronouns: they/them
  setting: a drop-in appointment with the college's student support worker
  briefing: >
    Jordan's tutor asked them to see you after three weeks of missed classes.
    You have twenty minutes and no forms to fill in. Find out what is going on.
  mood: flat and wary            # the opening mood, shown in the persona panel
  content_note: >                # shown before the scenario starts; write "none" only if it is none
    Stress about college work and family expectations.

state:                           # `trust` (0-100) is required; add your own ints and true/false flags
  trust:
    type: int
    min: 0
    max: 100
    start: 35
    label: Trust
  named_pressure:
    type: bool
    start: false
    label: Talked about the pressure at home

start: opening                   # the first client turn

nodes:                           # the client turns; each needs a branch for every label
  - id: opening
    lines:                       # one or more variants of what the client says
      - "My tutor said I had to come. I don't really know what you want me to say."
      - "I'm only here because my tutor made me. I'm fine, honestly."
    cue: "*sits on the edge of the chair, bag still on their shoulder*"
    thought: >
      If I say I'm struggling they'll tell my parents, and then it's over.
    model_reply: >
      It sounds like coming here wasn't your idea, and you're not sure what
      this is going to be about.
    exemplars:                   # example replies for each label: the scorer and the debrief use them
      empathic:
        - "It sounds like you're not sure this meeting is on your side."
        - "It sounds like being sent here feels unfair, when you didn't ask for it."
      sympathetic:
        - "Oh, don't worry, I'm sure it's nothing serious at all."
      judgmental:
        - "You've missed three weeks, so you need to take this seriously."
      neutral:
        - "Which classes have you missed?"
    # trap:                      # optional teaching moment, noted under a reply that springs it
    #   when: a promise you cannot keep
    #   note: Say what you can honestly offer instead.
    #   cues: ['I promise']       # patterns, any case; or phrasings: ["example reply", ...]
    branches:                    # tried in order; the first that matches the label (and `if`) is taken
      - on: empathic
        kind: exploration        # optional: only replies of this sub-kind (an open question)
        goto: behind
        effects: {trust: +15}    # +N / -N change an int, "= N" sets it; true/false flags are set
        reason: asked, and waited for the answer
        reaction: "What's it like? Like everyone's moved on without me."   # said straight back
      - on: empathic
        goto: behind
        effects: {trust: +15}
        reason: felt you weren't there to tell them off
      - on: [sympathetic, neutral]
        goto: behind
        effects: {trust: +2}
        reason: polite, but it was a brush-off
      - on: judgmental
        goto: behind
        effects: {trust: -15}
        reason: felt told off before saying anything

  - id: behind
    lines:
      - "It's just... I got behind, and then it felt too late to go back. My parents think I'm going every day."
    mood: anxious
    thought: >
      Every day I don't tell them it gets worse. I don't even know if I want to do this course.
    model_reply: >
      It sounds like the longer it's gone on, the harder it has felt to walk back
      in, or to tell your parents.
    exemplars:
      empathic:
        - "It sounds like the further behind you got, the harder it felt to go back."
        - "That sounds like a lot to be carrying on your own every day."
      sympathetic:
        - "Aw, that's such a shame, you poor thing."
      judgmental:
        - "You should have told your parents straight away."
      neutral:
        - "Have you spoken to your tutor about an extension?"
    branches:
      - on: empathic
        if: "trust >= 45"        # a condition on state: VARIABLE OP VALUE, joined with `and` or `or`
        goto: opened_up
        effects: {trust: +10, named_pressure: true}
        reason: felt understood, not judged
      - on: judgmental
        goto: walked_out
        effects: {trust: -20}
        reason: felt blamed
      - on: default              # any other label, or empathic while trust is still low
        goto: kept_it_small
        effects: {trust: +1}
        reason: polite, but nothing they could open up to

endings:                         # how the conversation can end: at least one
  - id: opened_up
    title: Opened up
    outcome: positive            # positive | mixed | negative
    line: "Can I come back on Thursday? I think I want to talk about what I actually want."
    cue: "*puts the bag down*"
    debrief: >
      Reflecting how hard it had become to go back, without rushing to fix it, let
      Jordan name the pressure at home, and they chose to come back.
  - id: kept_it_small
    title: Kept it small
    outcome: mixed
    line: "Yeah. I'll try to go on Monday."
    debrief: >
      Jordan stayed polite and promised to try, but nothing about what was keeping
      them away came out. A reflection of the feeling under "I got behind" might have.
  - id: walked_out
    title: Walked out
    outcome: negative
    line: "Right. I've got to go."
    cue: "*stands up*"
    debrief: >
      Jordan heard blame and left. Judging the choice they made closes the door to
      the reasons behind it.

tests:                           # run with `roleplay test`: labels go straight to the engine
  - name: warm all the way
    labels: [empathic, empathic]
    expect: {ending: opened_up, state: {trust: ">= 60", named_pressure: true}}
  - name: empathy comes too late when trust is low
    labels: [judgmental, empathic]
    expect: {ending: kept_it_small}
  - name: blame ends it
    labels: [neutral, judgmental]
    expect: {ending: walked_out, state: {trust: "< 30"}}
  - name: the script can stop mid-way
    labels: [empathic]
    expect: {ending: null}
  # `replies:` are scored by the rubric, as in play (the path in a failure shows each label):
  # - name: typed replies
  #   replies: ["It sounds like this meeting wasn't your idea.",
  #             "So it got harder to go back the longer it went on."]
  #   expect: {ending: opened_up}
"""


def render(name: str, schema: str = f"./{SCHEMA_FILE}") -> tuple[str, str]:
    """(scenario id, YAML text) for a new scenario called `name`."""
    ident = scenario_id(name)
    text = (TEMPLATE.replace("[[ID]]", ident).replace("[[TITLE]]", title_for(ident))
            .replace("[[SCHEMA]]", schema))
    return ident, text
