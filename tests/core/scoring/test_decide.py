"""The scorer's decisions as a student meets them: labels, asymmetric costs, exemplars, feedback."""

from __future__ import annotations

import pytest

from roleplay.core.assessment import Context
from roleplay.core.labels import LABELS
from roleplay.core.scoring import default_scorer
from roleplay.core.scoring.decide import UNREADABLE, choose

# Written for these tests (none is in the corpus or near a development-set reply).
MUST = [
    ("your doing really well tho", "sympathetic"),
    ("ur doing great", "sympathetic"),
    ("I'm sure tomorrow will go fine", "sympathetic"),
    ("That sounds like a horrible position to be in. You need a back up plan.", "judgmental"),
    ("Take those headphones off when I'm talking to you", "judgmental"),
    ("You don't have to talk about anything you don't want to. It's your choice", "empathic"),
    ("No wonder you're angry, I'd be furious too", "empathic"),
    ("I have to record anything that's a safeguarding concern", "neutral"),
]


@pytest.fixture(scope="module")
def scorer():
    return default_scorer()


@pytest.mark.parametrize("reply,label", MUST)
def test_replies_that_must_come_out_right(scorer, reply, label):
    assert scorer.assess(reply).label == label


def test_a_repair_apology_is_not_blame(scorer):
    assert scorer.assess("I got that wrong, I was pushing you and that's not ok").label != "judgmental"


# The helper owning their own mistake, said as students say it: written for these tests (the last one
# as typed in the app), none in the corpus or near a development-set reply.
REPAIRS = [
    ("You're just like the rest of them.",
     "sorry, i jumped in with the paperwork before asking how you are. that was wrong of me"),
    ("Why did you write that down?", "You're right to ask. I should have explained what I was writing first."),
    ("You keep cutting me off.", "i do, dont i. my fault. go on, i'm listening"),
    ("You were forty minutes late.", "I was, and that's on me, not you. I'm sorry you were left waiting."),
    ("Yeah, I know who you are, you've got the lanyard.",
     "sorry, i came in w the clipboard before even saying hi properly. thats on me. hows ur morning been?"),
]


@pytest.mark.parametrize("client,reply", REPAIRS)
def test_the_helpers_own_mistake_owned_is_not_blame(scorer, client, reply):
    assert scorer.assess(reply, Context(client=client)).label != "judgmental"


@pytest.mark.parametrize("client,reply", [
    ("Why did you write that down?", "You should have told me the truth the first time."),
    ("Are you going to tell them?", "I have to report it because you left them on their own."),
    ("You were forty minutes late.", "my bad? ur the one who missed the last 2 appointments"),
])
def test_the_same_words_aimed_at_the_client_are_blame(scorer, client, reply):
    assert scorer.assess(reply, Context(client=client)).label == "judgmental"


def test_a_duty_said_plainly_is_information(scorer):
    a = scorer.assess("I can't promise that. If a child is at risk I'm required to share it.",
                      Context(client="Can you keep this between us?"))
    assert a.label == "neutral"


@pytest.mark.parametrize("reply", ["ok", "Right.", "k", "hmm"])
def test_a_bare_acknowledgement_is_neutral(scorer, reply):
    assert scorer.assess(reply).label == "neutral"


@pytest.mark.parametrize("reply", ["日本語のテキストです", "asdkjh qwpoe zxmnv"])
def test_a_reply_the_model_cannot_read_is_neutral_and_says_why(scorer, reply):
    a = scorer.assess(reply)
    assert a.label == "neutral" and a.feedback == UNREADABLE


def test_the_same_reply_always_gets_the_same_assessment(scorer):
    reply, ctx = "ur so brave hun, it'll all work out x", Context(client="They took the kids into care.")
    assert scorer.assess(reply, ctx) == scorer.assess(reply, ctx)


# -- asymmetric costs ------------------------------------------------------------------------------

def test_choose_prefers_anything_to_praising_harm():
    e, s, j, n = (LABELS.index(x) for x in ("empathic", "sympathetic", "judgmental", "neutral"))
    probs = [0.0] * 4
    probs[e], probs[j], probs[n] = 0.5, 0.45, 0.05
    assert choose(probs, 1.0, 1.0) == e  # equal costs: the likeliest label
    assert choose(probs, 2.0, 1.2) == j  # praising a judgment costs double: it is not praised
    probs[e], probs[j], probs[n] = 0.8, 0.15, 0.05
    assert choose(probs, 2.0, 1.2) == e  # clear empathy is still praised


def test_unsure_between_empathy_and_an_order_it_says_so_and_names_both(scorer):
    reply = "That sounds like a horrible position to be in. You need a back up plan."
    a = scorer.assess(reply)
    assert a.label == "judgmental"
    assert a.feedback.startswith(("Partly a reflection", "Partly validation")) and "reads as an order" in a.feedback
    quoted = a.feedback.split('"')[1::2]
    assert len(quoted) == 2 and all(q in reply for q in quoted)
    assert "back up plan" in quoted[1] and "horrible" in quoted[0]


# -- the author's exemplars -----------------------------------------------------------------------

def test_an_exemplar_or_a_near_paraphrase_takes_the_authors_label(scorer):
    odd = "Right, well, let's get the forms done and then you can have a cup of tea."
    ctx = Context(client="I can't do this today.", exemplars={"sympathetic": [odd]})
    for reply in (odd, odd.lower().replace(",", ""), "Right well lets get the forms done and then you can have a cuppa."):
        a = scorer.assess(reply, ctx)
        assert a.label == "sympathetic"
        assert any(e.source == "exemplar:sympathetic" for e in a.evidence)
    # An unrelated reply is scored on its own.
    assert scorer.assess("What feels hardest about today?", ctx).label == "empathic"


# -- evidence --------------------------------------------------------------------------------------

def test_evidence_is_the_decisive_words_as_typed(scorer):
    reply = "That sounds like a horrible position to be in. You need a back up plan."
    a = scorer.assess(reply)
    assert [e.text for e in a.evidence if e.label == "judgmental"] == ["You need a back up plan"]
    for e in a.evidence:
        assert reply[e.start:e.end] == e.text


@pytest.mark.parametrize("reply", ["That's a horrible position to be in.", "that's a really hard position to be in",
                                   "what an impossible situation", "That must be really hard.", "That's really hard."])
def test_naming_how_hard_their_situation_is_is_not_judgment(scorer, reply):
    assert scorer.assess(reply).label != "judgmental"


@pytest.mark.parametrize("reply,label", [("That's terrible.", "sympathetic"), ("thats terrible", "sympathetic"),
                                         ("what a horrible thing to say to your son", "judgmental"),
                                         ("that's terrible of you", "judgmental")])
def test_a_hard_word_is_judgment_only_when_it_is_about_what_the_client_did(scorer, reply, label):
    assert scorer.assess(reply).label == label


@pytest.mark.parametrize("client,reply,label", [
    ("The clinic moved my scan again and didn't even text me.", "ugh, how annoying after all that waiting", "empathic"),
    ("I've told you three times already, I'm not filling it in.", "ur so annoying", "judgmental"),
    ("I've told you three times already, I'm not filling it in.", "you're really annoying me now", "judgmental"),
])
def test_annoying_validates_what_they_face_and_blames_when_aimed_at_them(scorer, client, reply, label):
    assert scorer.assess(reply, Context(client=client)).label == label


@pytest.mark.parametrize("reply", ["I can't imagine what you're going through", "i cant imagine how hard this is for you",
                                   "I can't imagine how you cope with all that"])
def test_saying_you_cannot_imagine_what_they_face_is_not_judgment(scorer, reply):
    assert scorer.assess(reply).label != "judgmental"


def test_not_imagining_doing_what_the_client_did_is_judgment(scorer):
    assert scorer.assess("I can't imagine leaving a baby on her own like that").label == "judgmental"


@pytest.mark.parametrize("reply,label", [("You must be exhausted.", "empathic"), ("you must be worried sick", "empathic"),
                                         ("You must tell the school today.", "judgmental"),
                                         ("you must have known what he was doing", "judgmental")])
def test_must_guessing_at_a_feeling_is_not_must_giving_an_order(scorer, reply, label):
    assert scorer.assess(reply).label == label


@pytest.mark.parametrize("reply", ["must have been hard", "no one should have to go through that"])
def test_a_short_validation_with_a_judging_word_is_still_empathic(scorer, reply):
    assert scorer.assess(reply).label == "empathic"


@pytest.mark.parametrize("reply,label", [("that's your fault really", "judgmental"), ("it is your fault", "judgmental"),
                                         ("none of this is your fault", "sympathetic"),
                                         ("it wasnt ur fault", "sympathetic")])
def test_their_fault_is_blame_and_not_their_fault_is_reassurance(scorer, reply, label):
    assert scorer.assess(reply).label == label


@pytest.mark.parametrize("reply", ["ok so what happend next", "so what happened after that"])
def test_a_casual_open_question_without_a_question_mark_is_exploration(scorer, reply):
    assert scorer.assess(reply).label == "empathic"


@pytest.mark.parametrize("reply,label", [("Put your phone away while we talk", "judgmental"),
                                         ("Look at me when I'm talking to you", "judgmental"),
                                         ("Take your time.", "empathic"), ("Tell me more about that.", "empathic")])
def test_an_imperative_is_an_order_only_when_it_takes_control(scorer, reply, label):
    assert scorer.assess(reply).label == label


def test_the_evidence_for_an_order_after_an_acknowledgement_is_the_order(scorer):
    reply = "thats a horrible position to be in. u need a back up plan tho"
    a = scorer.assess(reply)
    assert a.label == "judgmental"
    assert [e.text for e in a.evidence] == ["u need a back up plan"]


def test_the_clients_nouns_given_back_are_not_evidence(scorer):
    client = "They went through my fridge and then lectured me about the doctors. Two hours they were here."
    a = scorer.assess("oh the fridge AND the doctors, you poor love", Context(client=client))
    assert a.label == "sympathetic"
    texts = [e.text.lower() for e in a.evidence]
    assert texts and not any(t in ("fridge", "doctors", "the fridge", "the doctors") for t in texts)
    assert any("poor love" in t for t in texts)


def test_evidence_never_stands_on_function_words_alone(scorer):
    fw = default_scorer().function_words
    for reply in ("and then you just do it", "it is what it is", "you need to stop", "ok so um, well, it is"):
        for e in scorer.assess(reply).evidence:
            assert not all(w.lower() in fw for w in e.text.split())
