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


# --- round 3: structural mechanisms ------------------------------------------------------------

CLIENT3 = "Our neighbour has been shouting at my kids over the fence for months and now he's reported us to the council."


@pytest.mark.parametrize("reply", [
    "It sounds so draining, bracing yourself every time you open the back door.",
    "That must be really unnerving, not knowing what he'll say next.",
    "It seems bewildering, being reported when you're the ones being shouted at.",
    "It sounds soul-destroying.",
    "It must be grating, hearing him through the fence every evening.",
])
def test_a_tentative_frame_with_an_adjective_outside_the_lexicon_is_a_reflection(reply):
    a = assess(reply, CLIENT3)
    assert a.label == "empathic"
    assert "rule:adjective-frame" in {e.source for e in a.evidence}


@pytest.mark.parametrize("reply", [
    "It seems to be booked for the 14th.",
    "It must be nearby, the council office.",
    "It seems fine to me.",
    "The office must be closed on Fridays.",
    "It seems to be closed until Monday.",
])
def test_factual_uses_of_a_tentative_frame_stay_neutral(reply):
    assert "rule:adjective-frame" not in sources(reply, CLIENT3)
    assert label(reply, CLIENT3) == "neutral"


@pytest.mark.parametrize("reply", [
    "There must have been a reason he started shouting.",
    "You must have said something to set him off.",
    "Something must have gone wrong on your end for the council to get involved.",
])
def test_speculating_that_the_client_caused_it_is_judgmental(reply):
    assert label(reply, CLIENT3) == "judgmental"


def test_must_have_been_a_feeling_is_not_blame():
    assert label("You must have been so rattled when the letter came.", CLIENT3) == "empathic"


@pytest.mark.parametrize("reply", [
    "You should always keep a diary of every incident.",
    "You must never shout back at a neighbour, whatever he does.",
    "With councils every day counts, so you should reply this week.",
])
def test_generalised_rules_pressed_on_the_client_are_judgmental(reply):
    assert label(reply, CLIENT3) == "judgmental"


@pytest.mark.parametrize("reply", [
    "Which of it weighs on you most?",
    "which bit keeps you up at night?",
    "Which moment was the hardest?",
])
def test_open_which_questions_about_experience_explore(reply):
    assert label(reply, CLIENT3) == "empathic"


@pytest.mark.parametrize("reply", ["Which council is it?", "Which day suits you for a visit?",
                                   "Which school are the kids at?"])
def test_factual_which_questions_stay_neutral(reply):
    assert label(reply, CLIENT3) == "neutral"


@pytest.mark.parametrize("reply", [
    "Like whatever you do, he finds something new to complain about.",
    "As if your own garden isn't yours any more.",
    "No matter how polite you are, it never gets better.",
    "Like you're not allowed to be annoyed in your own home.",
])
def test_like_as_if_no_matter_clauses_reflect(reply):
    assert label(reply, CLIENT3) == "empathic"


@pytest.mark.parametrize("reply", [
    "Going to the council offices at two.",
    "Bringing the witness statements on Wednesday.",
    "Checking in about Friday's visit.",
    "Dropping off the noise diary sheets tomorrow.",
    "Calling back after lunch.",
    "Printing the letter for you now.",
    "Nice to see you again.",
    "Good to hear from you.",
    "Just you and me today, then.",
])
def test_errands_and_small_talk_are_not_reflection_fragments(reply):
    assert "rule:fragment" not in sources(reply, CLIENT3)
    assert label(reply, CLIENT3) == "neutral"


def test_an_everyday_ordeal_told_as_a_fragment_still_reflects():
    assert label("Checking the fence line three times every night.", CLIENT3) == "empathic"


BURGLED = "Someone got into the flat while I was at work and took my dad's watch."


@pytest.mark.parametrize("reply", [
    "Did you lock the front door before you left?",
    "Was the window left open?",
])
def test_closed_questions_presupposing_a_lapse_are_judgmental(reply):
    assert label(reply, BURGLED) == "judgmental"


@pytest.mark.parametrize("reply", ["Did the police give you a reference number?",
                                   "Was anything else taken?", "Are you staying there tonight?"])
def test_plain_closed_questions_stay_neutral(reply):
    assert label(reply, BURGLED) == "neutral"


# Round 4: sympathy without stock phrases, judgment without "should", presence offers.
ALLOTMENT = "The council took my allotment back after twelve years. My husband and I dug it together before he died."


@pytest.mark.parametrize("reply", [
    "You could always get a plot somewhere else.",
    "Honestly you're better off out of that committee.",
    "Their loss, not yours.",
    "You'll feel so much calmer once the letters stop.",
    "Well done for lasting twelve years there!",
    "oh dear",
    "Sending you hugs and prayers tonight.",
    "You're stronger than you know.",
])
def test_silver_linings_promises_and_bare_sympathy_are_sympathetic(reply):
    assert label(reply, ALLOTMENT) == "sympathetic"


@pytest.mark.parametrize("reply", [
    "You'll just end up bitter if you keep going on about it.",
    "Dwelling on it is only hurting yourself.",
    "Maybe you weren't keeping it tidy enough.",
    "Other people cope with losing a plot.",
    "Stop making such a fuss about a vegetable patch.",
    "If you really cared about it you'd have appealed.",
    "You got far too attached to a bit of land.",
])
def test_judgment_without_should_is_judgmental(reply):
    assert label(reply, ALLOTMENT) == "judgmental"


@pytest.mark.parametrize("reply", [
    "Would you like me to stay here with you for a while?",
    "I can sit with you for as long as you need.",
    "I'm guessing it feels like losing a piece of him as well.",
    "I wonder if the plot was one of the last places that still felt like both of you.",
    "Correct me if I'm wrong, but it sounds like this is about more than the soil.",
    "It really matters to you to keep something you built together.",
    "So it's like he's being taken away a second time?",
    "Would it help to talk about what those twelve years were like?",
])
def test_presence_offers_and_tentative_reflections_are_empathic(reply):
    assert label(reply, ALLOTMENT) == "empathic"


def test_a_long_post_that_ends_in_the_helpers_own_story_is_sympathetic():
    reply = ("That sounds so painful, losing the place you shared with him. "
             "When my wife died I kept her greenhouse going for years. "
             "In the end I gave it to my neighbour's kids and it really helped me to see it used.")
    assert label(reply, ALLOTMENT) == "sympathetic"


@pytest.mark.parametrize("reply", [
    "There's a community garden on Ferry Road with plots free from April.",
    "Did the council put it in writing?",
    "The appeals form is on their website.",
    "Lovely weather for it today.",
])
def test_information_and_small_talk_stay_neutral_round4(reply):
    assert label(reply, ALLOTMENT) == "neutral"


def test_lying_awake_is_not_an_accusation_of_lying():
    assert label("So you're lying awake going over it all?", ALLOTMENT) == "empathic"


@pytest.mark.parametrize("reply", [
    "Look at it this way, you'll have your weekends back.",
    "You're lucky they gave you any notice at all.",
    "The ache will fade once spring comes round.",
    "You'll get used to it, give it time.",
])
def test_upsides_and_promises_that_feelings_pass_are_sympathetic(reply):
    assert label(reply, ALLOTMENT) == "sympathetic"


@pytest.mark.parametrize("reply", [
    "People who ignore council letters only have themselves to blame.",
    "You're a grown adult, it's only a garden.",
    "If you don't let it go now you never will.",
])
def test_general_condemnations_and_belittling_are_judgmental(reply):
    assert label(reply, ALLOTMENT) == "judgmental"


def test_a_noun_feeling_fragment_reflects():
    assert label("The shed feeling empty, like he's gone from there too.", ALLOTMENT) == "empathic"


@pytest.mark.parametrize("reply", [
    "That will only upset the neighbours more.",
    "You're setting a poor example to the other plot holders.",
    "If you'd kept up with the rent you'd still have it.",
])
def test_consequences_examples_and_counterfactual_blame_are_judgmental(reply):
    assert label(reply, ALLOTMENT) == "judgmental"


def test_one_day_they_will_thank_you_is_reassurance():
    assert label("One day they'll understand why you fought for it.", ALLOTMENT) == "sympathetic"


# --- round 6: judgment without stock words, sympathy without stock phrases ----------------------

REMOVALS = "The removal firm lost half our furniture in the move and now they say it's my fault for not insuring it."


@pytest.mark.parametrize("reply", [
    "you kind of chose the cheapest firm though",
    "You've let it drag on this long without chasing them.",
    "You were probably rushing the packing, were you?",
    "Firms don't just refuse claims for no reason.",
    "Did you honestly never check the small print?",
    "What were you arguing with the driver for anyway?",
    "Maybe it's a lesson in reading contracts.",
    "Get yourself a solicitor and stop moaning about it.",
    "There's more to life than a sofa.",
    "Losing a few chairs isn't that much tbh",
    "Well you did sign without reading it.",
    "a tenant should always read what they sign, end of",
])
def test_judgment_without_stock_words(reply):
    assert label(reply, REMOVALS) == "judgmental"


@pytest.mark.parametrize("reply", [
    "It'll blow over once the insurance people get involved.",
    "You'll find something even nicer soon.",
    "When one door closes, another opens.",
    "Good things come to those who wait x",
    "i so get this, we had the same firm at our old flat",
    "Don't let them get to you.",
    "Try not to think about the stuff you lost.",
])
def test_sympathy_without_stock_phrases(reply):
    assert label(reply, REMOVALS) == "sympathetic"


@pytest.mark.parametrize("reply", [
    "It sounds like you feel cheated twice, first by the loss and then by being blamed for it.",
    "What was it like opening the van and seeing what was missing?",
    "Of course you're furious, anyone would be after losing so much and then getting the blame.",
])
def test_round_6_cues_leave_empathy_alone(reply):
    assert label(reply, REMOVALS) == "empathic"


@pytest.mark.parametrize("reply", [
    "Citizens Advice can check whether the firm's terms are fair.",
    "Did they give you an inventory when they collected everything?",
])
def test_round_6_cues_leave_neutral_alone(reply):
    assert label(reply, REMOVALS) == "neutral"


# Round 7: forum-style replies and judgments carried by meaning.
ALLOTMENT = ("The council took my allotment back because the weeds spread to next door's plot. "
             "I'd had it for eighteen years and my late wife planted the roses there.")


@pytest.mark.parametrize("reply", [
    "Allotments are for people who actually keep them tidy.",
    "Plot holders should always keep on top of the weeds, it's in the rules.",
    "Good neighbours don't just let weeds spread onto other plots.",
    "Cats should be kept in at night round allotments.",
    "At 70 I was still digging my plot every morning.",
    "That happens when people stop turning up for months.",
    "The council doesn't owe you anything, it's their land.",
    "Did you even read the tenancy letters?",
    "Messy. Plain and simple.",
])
def test_round_7_judgment_by_meaning(reply):
    assert label(reply, ALLOTMENT) == "judgmental"


@pytest.mark.parametrize("reply", [
    "My uncle lost his plot the same way. Took him a year to get over it. He's got a window box now and he's as happy as anything 🌹",
    "Same happened to our old shed at the club in 2015. We rebuilt it and it was better than ever lol",
    "There's always the waiting list for another plot!",
    "I wouldn't take it personally, councils are like that.",
])
def test_round_7_forum_sympathy(reply):
    assert label(reply, ALLOTMENT) == "sympathetic"


@pytest.mark.parametrize("reply", [
    "Eighteen years, and her roses there. It sounds like losing the plot is losing a bit of her too. What was it like handing the key back?",
    "You're grieving and still trying to respect what the rules say. What would help most right now?",
    "I had a plot for years too. But this is about you: how are you doing since the letter came?",
])
def test_round_7_forum_empathy_stays(reply):
    assert label(reply, ALLOTMENT) == "empathic"


@pytest.mark.parametrize("reply", [
    "Ask the council for the inspection notes and whether there's an appeal.",
    "Which site is it, the one behind the church?",
])
def test_round_7_neutral_stays(reply):
    assert label(reply, ALLOTMENT) == "neutral"
