"""The rubric scorer, one test per mechanism, with sentences written for these tests."""

from __future__ import annotations

import time

import pytest

from roleplay.core.assessment import Assessment, Context
from roleplay.core.labels import LABELS
from roleplay.core.rubric import load_default_rubric, parse_rubric
from roleplay.core.scorer import RubricScorer, default_scorer

CLIENT = "My husband drinks every night and I lie awake waiting for the front door."


def assess(reply: str, client: str = CLIENT, **kw) -> Assessment:
    a = default_scorer().assess(reply, Context(client=client, **kw))
    assert a.label in LABELS and 0 <= a.confidence <= 1 and set(a.scores) == set(LABELS)
    for e in a.evidence:
        assert reply[e.start:e.end] == e.text
    return a


def label(reply: str, client: str = CLIENT, **kw) -> str:
    return assess(reply, client, **kw).label


# --- the four labels and their feedback ------------------------------------------------------

@pytest.mark.parametrize("reply,expected", [
    ("It sounds like you're exhausted from waiting up for him.", "empathic"),
    ("Of course you're on edge at night, anyone would be.", "empathic"),
    ("What are those nights like for you?", "empathic"),
    ("We can take this at whatever pace suits you.", "empathic"),
    ("Oh you poor thing, that's just awful.", "sympathetic"),
    ("Don't worry, I'm sure he'll cut down soon.", "sympathetic"),
    ("At least he comes home in the end.", "sympathetic"),
    ("Everything happens for a reason.", "sympathetic"),
    ("I know exactly how you feel, my dad was the same.", "sympathetic"),
    ("You should have left him years ago.", "judgmental"),
    ("A good wife would have got him help by now.", "judgmental"),
    ("You need to stop making excuses for him.", "judgmental"),
    ("You're overreacting, lots of men have a drink after work.", "judgmental"),
    ("The family support service is open on Tuesdays from 10am.", "neutral"),
    ("Is he registered with a GP?", "neutral"),
])
def test_labels(reply, expected):
    assert label(reply) == expected


def test_feedback_is_the_main_kinds_line_and_the_model_reply_passes_through():
    a = assess("At least he comes home in the end.", model_reply="A model reply.")
    assert a.kinds[0] == "minimising"
    assert a.feedback == load_default_rubric().feedback_for("sympathetic", "minimising")
    assert a.model_reply == "A model reply."


# --- typing: lower case, text-speak, typos ---------------------------------------------------------

def test_text_speak_and_typos():
    assert label("sounds like ur so frustated rn bc nobody listens to u") == "empathic"
    assert label("im so sorry thats awful") == "sympathetic"
    assert label("dont stress u will b fine") == "sympathetic"
    assert label("u need to grow up and deal with it") == "judgmental"
    assert label("WHY WOULD YOU EVEN STAY WITH HIM") == "judgmental"


# --- negation -------------------------------------------------------------------------------

def test_negated_judgment_is_not_judgmental():
    assert label("I'm not judging you for staying.") != "judgmental"
    assert label("Nobody here thinks you're weak for staying.") != "judgmental"
    assert label("I won't tell you what to do.") != "judgmental"


def test_telling_the_client_how_not_to_feel_is_sympathetic():
    for reply in ("Don't feel bad about it.", "You shouldn't blame yourself for his drinking.",
                  "Please don't be so hard on yourself.", "try not to get upset about it"):
        a = assess(reply)
        assert (a.label, a.kind) == ("sympathetic", "how-not-to-feel"), reply


def test_negation_stops_at_a_new_subject():
    # "don't worry" must not negate "you're doing great" in a run-on sentence
    a = assess("dont worry ur doing great")
    assert a.label == "sympathetic" and "reassurance" in a.kinds


# --- mixing rules ---------------------------------------------------------------------------

def test_any_judgment_dominates():
    assert label("I'm sorry you're hurting, but you brought this on yourself.") == "judgmental"
    assert label("I get it, honestly I do, but you chose to stay with him.") == "judgmental"
    assert label("That sounds so lonely. Still, you knew what he was like when you married him.") == "judgmental"


def test_a_conventional_opener_before_real_empathy_stays_empathic():
    assert label("I'm so sorry. It sounds like you've been carrying this completely alone.") == "empathic"
    assert label("Thank you for telling me. What's the hardest part of those nights?") == "empathic"


def test_a_reflection_that_ends_in_reassurance_is_sympathetic():
    a = assess("That sounds really frightening, but I'm sure everything will be fine.")
    assert a.label == "sympathetic"
    assert any(e.source == "rule:closing" for e in a.evidence)
    assert label("It must be exhausting. At least you have your job to keep you busy.") == "sympathetic"


# --- questions ------------------------------------------------------------------------------

def test_open_accusing_closed_and_off_topic_questions():
    assert assess("What goes through your mind while you wait?").kind == "exploration"
    assert assess("help me understand what a typical night is like").kind == "exploration"
    a = assess("Why would you let him keep drinking?")
    assert (a.label, a.kind) == ("judgmental", "interrogating")
    assert label("What were you thinking, marrying a drinker?") == "judgmental"
    assert label("Does he drink at home or at the pub?") == "neutral"
    assert label("Anyway, did you watch the match last night?") == "neutral"
    assert label("How many units does he drink a week?") == "neutral"


# --- reflections with no stock phrase ---------------------------------------------------------

def test_giving_back_the_clients_own_words_is_a_reflection():
    reply = "Lying awake every night, listening for the front door."
    a = assess(reply)
    assert a.label == "empathic"
    assert any(e.source == "rule:client-words" for e in a.evidence)
    # without the client's line, the verbless gerund fragment still voices their experience
    b = default_scorer().assess(reply, Context())
    assert b.label == "empathic"
    assert any(e.source == "rule:fragment" for e in b.evidence)
    assert default_scorer().assess("Listening to the radio helps.", Context()).label == "neutral"


def test_feeling_words_about_the_client():
    assert label("you're ashamed and angry at the same time") == "empathic"


# --- judgment wrapped in warm words, quotes and reported thoughts -----------------------------

def test_warm_words_do_not_hide_judgment():
    assert label("I hear you, and honestly, drinking every night is his choice and you're enabling it.") \
        == "judgmental"
    assert label("I totally understand, but being this anxious isn't going to help anyone.") == "judgmental"


def test_quoting_or_reporting_a_judgment_is_not_making_it():
    assert label("You keep calling yourself 'pathetic' for staying.") != "judgmental"
    assert label("You keep telling yourself you should have seen it coming.") != "judgmental"


# --- exemplars in a scenario -------------------------------------------------------------------

def test_scenario_exemplars_are_extra_evidence_and_a_near_duplicate_is_decisive():
    exemplars = {"sympathetic": ["Zorbly wibble frump, the night is a velvet spoon."],
                 "empathic": ["Nothing alike here at all."]}
    a = assess("zorbly wibble frump, the nite is a velvet spoon", exemplars=exemplars)
    assert a.label == "sympathetic"
    assert any(e.source == "exemplar:sympathetic" for e in a.evidence)
    # without the exemplars it is neutral: no cue fires on nonsense
    assert label("zorbly wibble frump, the nite is a velvet spoon") == "neutral"


def test_every_rubric_exemplar_gets_its_own_label():
    rubric = load_default_rubric()
    wrong = [(ex.label, ex.text, default_scorer().assess(ex.text, Context()).label)
             for ex in rubric.exemplars]
    wrong = [w for w in wrong if w[0] != w[2]]
    assert not wrong


# --- neutral when weak; robustness ----------------------------------------------------------

@pytest.mark.parametrize("reply", ["ok", "hmm", "I see.", "Right.", "The form is in the blue folder."])
def test_weak_evidence_is_neutral(reply):
    assert label(reply) == "neutral"


@pytest.mark.parametrize("reply", ["", "   ", "\n\t", "\u200b", "🙂🙂🙂", "…", "?!?!", "日本語のテキスト",
                                   "Ça va? Übermäßig schön", "\x00\x01\x02", "a" * 5000])
def test_odd_input_gives_a_valid_assessment(reply):
    a = assess(reply)
    assert a.label == "neutral"


def test_huge_reply_is_fast_and_offsets_stay_valid():
    reply = ("It sounds like you feel completely alone with this. " * 2000)[:100_000]
    t = time.perf_counter()
    a = assess(reply)
    assert time.perf_counter() - t < 1.0
    assert a.label == "empathic"
    assert all(e.end <= len(reply) for e in a.evidence)
    tail = "x" * 99_000 + " You should have known better."
    a = assess(tail)
    assert a.label == "judgmental" and a.evidence[-1].end <= len(tail)


def test_deterministic_and_cached():
    assert default_scorer() is default_scorer()
    r = "I'm sorry. That must be so hard, but you'll get through it."
    assert assess(r) == assess(r)


def test_a_custom_rubric_changes_the_scoring():
    from tests.core.test_rubric import GOOD

    rubric, diags = parse_rubric(GOOD, "tiny.yaml")
    assert rubric is not None, diags
    scorer = RubricScorer(rubric)
    assert scorer.assess("you need to leave", Context()).label == "judgmental"
    assert scorer.assess("It sounds like you are stuck", Context()).label == "empathic"
    assert scorer.assess("hello there", Context()).label == "neutral"


def test_the_literal_prefilter_never_changes_a_result():
    import random

    fast = default_scorer()
    slow = RubricScorer(load_default_rubric())
    every = frozenset(range(len(slow.cues)))
    slow._token_cues = lambda token: every  # run every cue on every reply
    slow._also = {}
    words = ("you are not so sorry at least why would should have it sounds like feel scared dont worry "
             "ur im overreacting need to stop what was that like the 3rd at 9:30 poor thing i know exactly "
             "how never nobody thinks weak excuse in denial 'selfish' , . ? ! but honestly").split()
    rng = random.Random(7)
    replies = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 25))) for _ in range(300)]
    replies += [ex.text for ex in load_default_rubric().exemplars]
    for r in replies:
        assert fast.assess(r, Context(client=CLIENT)) == slow.assess(r, Context(client=CLIENT)), r


@pytest.mark.parametrize("reply", [
    "you are " + "so " * 1500 + "scared", "i am " + "so " * 1400 + "sorry", "why " * 25_000,
    "being " + "really " * 900 + "selfish", "you should have " * 3000, "no " * 30_000, "a, " * 20_000,
])
def test_repetitive_input_cannot_make_the_regexes_backtrack_for_long(reply):
    t = time.perf_counter()
    assess(reply)
    assert time.perf_counter() - t < 0.25


# Fresh client situations (a teenager, a carer, a veteran, recovery, a migrant worker, a new
# mother, a widower...), written for these tests: the labels must make sense beyond the scenarios.
FRESH = [
    ("My dad says if I fail maths again he's taking my phone all summer.",
     "You put the work in and you're still stuck, and now the whole summer rides on it.", "empathic"),
    ("I love my husband but some days I want to walk out the door.",
     "Loving him and wanting to leave can both be true. That sounds exhausting.", "empathic"),
    ("Fireworks last weekend and I ended up under the kitchen table.",
     "It makes sense your body reacts that fast after what you lived through.", "empathic"),
    ("Ninety days sober and my brother still won't let me see my nephew.",
     "Stay strong! Your brother will come around, I promise.", "sympathetic"),
    ("My kids think I'm living well here. I share a room with six men.",
     "why would you choose to live like that", "judgmental"),
    ("I haven't slept in weeks and I don't feel like she's mine.",
     "Enjoy it, they grow up so fast! It gets easier, you'll see.", "sympathetic"),
    ("The house is so quiet now. I still set two cups out in the morning.",
     "Two cups, every morning. Your hands still remember her.", "empathic"),
    ("I lost the rent money on the machines again.",
     "u did it to yourself honestly, stay away from the machines", "judgmental"),
    ("My back pain never stops and the doctors think I'm exaggerating.",
     "So on top of the pain, you're not being believed. That's exhausting.", "empathic"),
    ("We lost the baby at twelve weeks.", "At least you know you can get pregnant.", "sympathetic"),
    ("I only see my kids every other weekend now.",
     "Well, maybe if you'd put them first during the marriage you'd have more time now.", "judgmental"),
    ("I got made redundant after twenty-two years.", "Have you registered with the job centre yet?", "neutral"),
    ("My girlfriend left and I keep checking her page. I feel pathetic.",
     "Dude just block her. Seriously, you're only torturing yourself and you need to move on.", "judgmental"),
    ("I relapsed after two years clean. I told no one.",
     "hey im not here to judge, thank u for telling me. how are u doing right now?", "empathic"),
    ("My son hasn't spoken to me in three years.", "He'll come around eventually, kids always do.", "sympathetic"),
    ("I feel like a burden to everyone.", "You're not a burden!! Everyone loves you, don't think like that.",
     "sympathetic"),
    ("My wife wants a divorce and I didn't see it coming.",
     "There were probably signs you missed, there usually are.", "judgmental"),
    ("My mum didn't know who I was last night.", "The memory clinic has a carers' line open until 8pm.", "neutral"),
    ("Since the accident I can't drive. I used to love driving.",
     "You've lost something you loved as well as your confidence on the road.", "empathic"),
    ("I've been self-harming again.", "Why would you do that to yourself again?", "judgmental"),
]


@pytest.mark.parametrize("client,reply,expected", FRESH)
def test_fresh_situations(client, reply, expected):
    assert label(reply, client) == expected
