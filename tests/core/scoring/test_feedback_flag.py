"""Batch scoring leaves out only the composed feedback line; label, kinds and evidence are the same."""

from roleplay.core.assessment import Context
from roleplay.core.scoring import default_scorer


def test_without_feedback_everything_printed_in_a_batch_is_unchanged():
    scorer = default_scorer()
    replies = [
        ("It sounds exhausting, but you need to keep the kids safe at night.", "I'm up with him every night."),
        ("That must be so hard for you, poor thing. It'll all work out.", "She's in hospital again."),
        ("So you're worried about who reads the notes?", "Who sees what I tell you?"),
    ]
    for reply, client in replies:
        full = scorer.assess(reply, Context(client=client))
        lean = scorer.assess(reply, Context(client=client), feedback=False)
        assert (lean.label, lean.kinds, lean.evidence, lean.scores) == (full.label, full.kinds, full.evidence, full.scores)
        assert lean.feedback and not lean.feedback.startswith("Partly")
