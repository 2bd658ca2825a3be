"""Mechanisms added so the scorer generalises past its dev set; sentences written for these tests
(about client situations that are in no labelled set or scenario)."""

from __future__ import annotations

import pytest

from roleplay.core.assessment import Assessment, Context
from roleplay.core.labels import LABELS
from roleplay.core.scorer import default_scorer

CLIENT = "My landlord is selling up and I have six weeks to find somewhere for me and the twins."


def assess(reply: str, client: str = CLIENT) -> Assessment:
    a = default_scorer().assess(reply, Context(client=client))
    assert a.label in LABELS
    for e in a.evidence:  # evidence spans point into the original reply
        assert reply[e.start:e.end] == e.text
    return a


def label(reply: str, client: str = CLIENT) -> str:
    return assess(reply, client).label


def sources(reply: str, client: str = CLIENT) -> set[str]:
    return {e.source for e in assess(reply, client).evidence}


# --- reflections with no stock phrase ----------------------------------------------------------

@pytest.mark.parametrize("reply", [
    "Packing boxes every evening and still not knowing where they're going.",
    "Scrolling the listings at midnight, hoping something turns up.",
    "Never quite unpacking, in case you have to move again.",
    "Not being able to promise the twins where they'll sleep next month.",
])
def test_a_verbless_gerund_fragment_is_a_reflection(reply):
    a = assess(reply, client="")
    assert a.label == "empathic"
    assert "rule:fragment" in {e.source for e in a.evidence}


@pytest.mark.parametrize("reply", [
    "Sending you strength for the move.",         # the helper's own act
    "Viewing flats on Saturday would help.",       # the gerund is the subject of a main verb
    "Asking the council helps most people.",
])
def test_a_gerund_that_is_a_subject_or_the_helpers_act_is_not_a_fragment(reply):
    assert "rule:fragment" not in sources(reply, client="")


def test_a_verbless_second_person_fragment_is_a_reflection():
    a = assess("Six weeks, the twins, and you on your own in the middle of it.", client="")
    assert a.label == "empathic"
    assert label("There's a housing line you can ring on weekdays.", client="") == "neutral"


@pytest.mark.parametrize("reply", [
    "Some part of you is already grieving the old place.",
    "You keep refreshing the page, waiting for a reply from the agent.",
    "As if a new tenancy could make up for the home they grew up in.",
    "You're being told to be grateful for a box room.",
    "The agent gets to shrug while you pack up two childhoods.",
    "Having a door you can lock matters a great deal to you.",
    "Which makes the waiting even harder.",
    "The letters seem to miss what this is costing you.",
])
def test_reflection_forms_without_a_feeling_word(reply):
    assert label(reply) == "empathic"


def test_what_does_someone_notice_is_exploration():
    a = assess("What do the twins notice when you're on the phone to agents?")
    assert a.label == "empathic"


def test_where_and_when_questions_about_logistics_are_neutral():
    assert label("Where are you viewing tomorrow?") == "neutral"
    assert label("When does the notice run out?") == "neutral"


# --- validation and presence ------------------------------------------------------------------

def test_a_rhetorical_trust_question_validates():
    a = assess("Why would you believe another landlord's promises after this?")
    assert (a.label, a.kind) == ("empathic", "validation")
    assert label("Why would you sign a lease without reading it?") == "judgmental"


def test_permission_not_to_apologise_for_a_feeling_is_validation():
    assert label("You don't need to apologise for being furious about it.") == "empathic"


def test_an_apology_for_the_workers_own_words_is_repair():
    a = assess("That sounded like a lecture, and I'm sorry. You know your situation better than me.")
    assert a.label == "empathic"
    assert "presence" in a.kinds


def test_a_trailing_bare_apology_after_real_empathy_stays_empathic():
    assert label("Six weeks to find a home for three of you, that's a frightening deadline. I'm sorry.") \
        == "empathic"
    assert label("I'm so sorry.") == "sympathetic"


def test_honest_limits_of_the_workers_role_are_not_orders():
    reply = ("I can't promise the council will find you a place, but I will tell you what I'm "
             "putting in the application before I send it.")
    a = assess(reply)
    assert a.label != "judgmental"
    assert label("There's nothing you need to sign today.") == "neutral"


def test_a_tentative_frame_turns_need_to_into_a_reflection():
    assert label("It sounds like you need to know the twins will be okay before anything else.") == "empathic"
    # after "but" it is an order again
    assert label("It sounds hard but you need to start viewing flats this week.") == "judgmental"


def test_the_one_who_gets_to_decide_is_not_blame():
    assert label("You're the one who gets to decide which areas to look in.") == "empathic"
    assert label("You were the one who didn't pay the rent.") == "judgmental"


def test_whenever_you_choose_is_not_a_choice_blamed():
    assert label("We can carry on whenever you choose, and stop whenever you want.") == "empathic"


# --- sympathetic forms --------------------------------------------------------------------------

@pytest.mark.parametrize("reply", [
    "It just wasn't meant to be, that flat.",
    "Something will come up, it always does.",
    "You deserve so much better than that landlord.",
    "Landlords like that never change.",
    "Money is just a number, your health matters more.",
    "Just be grateful you have six weeks, some get two.",
    "You're a real hero for holding it together.",
    "The right place will happen when you least expect it.",
])
def test_platitudes_and_reassurance_forms(reply):
    assert label(reply) == "sympathetic"


def test_a_helpers_own_story_does_not_count_as_reflection():
    reply = ("i went through something similar when my landlord sold, it was so stressful and "
             "i felt hopeless for weeks. in the end we found a place and you will too")
    assert label(reply) == "sympathetic"


def test_a_platitude_in_a_have_to_frame_is_sympathetic():
    assert label("You just have to take it one day at a time.") == "sympathetic"
    assert label("You just have to ring them every morning.") == "judgmental"


# --- judgmental forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("reply", [
    "You knew the lease was short when you signed up for it.",
    "Your own spending is one of the reasons you're in this position.",
    "Without any proof of the repairs it's hard for anyone to judge how bad the flat was.",
    "You can't really choose which area you get placed in.",
    "Tenancy rules are there for a reason.",
    "You must have done something for him to want you out.",
    "Try to stay with it, it's important to keep going with the search.",
    "If you're having doubts like that you really need to speak to the agent today.",
    "This is what happens when people don't read their contracts.",
    "You can't say that, he's entitled to sell his own house.",
    "Maybe he has a point about the state of the garden.",
])
def test_judgment_without_the_usual_cue_words(reply):
    assert label(reply) == "judgmental"


def test_you_deserve_it_said_kindly_is_not_a_judgment():
    assert label("Take a night off from the listings, you deserve it.") != "judgmental"
    assert label("Well, maybe you deserve this.") == "judgmental"


def test_a_day_inside_a_reflection_is_not_information():
    assert label("Friday must feel like a wall you're running towards.") == "empathic"


def test_one_word_reactions_are_neutral_or_pity():
    assert label("ok") == "neutral"
    assert label("wow") == "neutral"
    assert label("aw bless you") == "sympathetic"
