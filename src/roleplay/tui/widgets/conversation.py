"""The conversation: what the client says (cues set apart), the student's replies with the evidence
highlighted inside them, and the feedback on each reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from .common import badge, label_colour, label_word

if TYPE_CHECKING:
    from roleplay.core.session.engine import Turn
    from roleplay.core.scenario.model import Scenario

MAX_SHOWN = 2_000  # a reply longer than this is kept in the record, but only this much is shown


def _highlightable(e, reply_len: int) -> bool:
    # A whole-reply likeness to an exemplar is named in words, not underlined: it would drown the cues.
    return not (e.source.startswith("exemplar:") or (e.end - e.start) >= 0.8 * reply_len > 20)


def reply_content(reply: str, evidence=(), highlight: bool = True) -> Content:
    """The reply as typed, with each evidence span styled in its label's colour, bold and underlined."""
    shown = reply[:MAX_SHOWN]
    content = Content(shown)
    if highlight:
        for e in sorted(evidence, key=lambda e: (e.start, e.end)):
            if 0 <= e.start < e.end <= len(shown) and _highlightable(e, len(reply)):
                content = content.stylize(f"bold underline $text-{label_colour(e.label)}", e.start, e.end)
    if len(reply) > MAX_SHOWN:
        content = content + Content.styled(
            f" … ({len(reply) - MAX_SHOWN:,} more characters not shown)", "italic $text-muted")
    return content


class ClientSays(Static):
    """A client line, with the nonverbal cue on its own line, italic and dim. A reaction (what the
    client says straight back to a reply) is set a little apart from the turn's line."""

    def __init__(self, name: str, text: str, cue: str = "", *, current: bool = False,
                 reaction: bool = False) -> None:
        parts: list = [Content.styled(name, "bold $text-accent")]
        if text:
            parts += ["\n", Content(text)]
        if cue:
            parts += ["\n", Content.styled(cue, "italic $text-muted")]
        classes = "client" + (" current" if current else "") + (" reaction" if reaction else "")
        super().__init__(Content.assemble(*parts), classes=classes)


class TrapNote(Static):
    """A scenario's teaching moment the reply sprang, under the reply."""

    def __init__(self, when: str, note: str) -> None:
        super().__init__(Content.assemble(Content.styled(f"Teaching moment — {when}: ", "bold $text-warning"),
                                          Content(note)), classes="note trap")


class StudentSays(Static):
    def __init__(self, turn: "Turn", *, highlight: bool) -> None:
        from roleplay.core.assessment import shown_evidence

        # The words underlined are the words named below it, in the CLI and in the exports.
        body = reply_content(turn.reply, shown_evidence(turn.assessment, turn.reply), highlight)
        super().__init__(Content.assemble(Content.styled("You", "bold $text-primary"), "\n", body),
                         classes="student")


def evidence_line(turn: "Turn") -> Content | None:
    """The words that shaped the label, named in words too (not only highlighted): the same
    phrases the CLI and exports name (assessment.shown_words)."""
    from roleplay.core.assessment import shown_words

    seen, more = shown_words(turn.assessment, turn.reply)
    whole = sorted({e.label for e in turn.assessment.evidence
                    if e.source.startswith("exemplar:") and e.label == turn.assessment.label})
    if not seen and not whole:
        return None
    parts: list = [Content.styled("Words that shaped it: ", "$text-muted")]
    for i, (text, label) in enumerate(seen):
        if i:
            parts.append(", ")
        parts.append(Content.styled(f"“{text}”", f"bold underline $text-{label_colour(label)}"))
        parts.append(Content.styled(f" ({label})", "$text-muted"))
    if more:
        parts.append(Content.styled(f", and {more} more", "$text-muted"))
    for label in whole:
        parts.append(Content.styled("; " if seen or label != whole[0] else "", "$text-muted"))
        article = "an" if label[:1] in "aeiou" else "a"
        parts.append(Content.styled(f"the whole reply is close to {article} {label} example",
                                    f"$text-{label_colour(label)}"))
    return Content.assemble(*parts)


def change_lines(turn: "Turn", scenario: "Scenario") -> list[Content]:
    out = []
    for c in turn.changes:
        var = scenario.variables.get(c.var)
        name = var.display if var is not None else c.var
        reason = f" — {c.reason}" if c.reason else ""
        if isinstance(c.after, bool):
            text = f"{name}: {'yes' if c.after else 'no'}{reason}"
            out.append(Content.styled(text, "$text-secondary"))
        else:
            style = "$text-success" if c.delta > 0 else "$text-error" if c.delta < 0 else "$text-muted"
            delta = f"{c.delta:+d}"
            if c.delta == 0 and var is not None and var.type == "int" and c.after in (var.min, var.max):
                delta = "already at the " + ("maximum" if c.after == var.max else "minimum")
            out.append(Content.assemble(Content.styled(f"{name} {c.before} → {c.after} ({delta})", f"bold {style}"),
                                        reason))
    if not any(not isinstance(c.after, bool) for c in turn.changes):
        out.append(Content.styled("No change in trust.", "$text-muted"))
    return out


def assessment_lines(a, evidence: Content | None, prefix: str = "", *, show_label: bool = True) -> list[Content]:
    """What every view says about a scored reply: the label (colour and words), sub-kinds,
    confidence, the words behind it, the teaching line and any note on the scoring itself.
    Without the label (the projector's stage shows it as a banner) the rest still reads."""
    head: list = [badge(a.label)] if show_label else []
    if prefix:
        head.insert(0, Content.styled(prefix, "bold"))
    if a.kinds and show_label:
        head.append(Content.styled(f"  {', '.join(a.kinds)}", "bold"))
    head.append(Content.styled(f"{'  ' if show_label else ''}confidence {a.confidence:.0%}", "$text-muted"))
    lines: list[Content] = [Content.assemble(*head)]
    if evidence is not None:
        lines.append(evidence)
    if a.feedback:
        lines.append(Content(a.feedback))
    for note in a.notes:  # the scoring was cut short: never a silently partial label
        lines.append(Content.styled(note, "italic $text-warning"))
    return lines


class TurnFeedback(Static):
    """Label (colour and words), sub-kind, evidence, teaching line, state change, model reply."""

    def __init__(self, turn: "Turn", scenario: "Scenario", *, show_model: bool, show_changes: bool = True,
                 show_label: bool = True) -> None:
        """`show_changes` False keeps the client's reaction (the trust change) for the reveal;
        `show_label` False leaves the label to a banner above (the projector's stage)."""
        a = turn.assessment
        lines = assessment_lines(a, evidence_line(turn), show_label=show_label)
        if turn.dispute is not None:
            why = f", because {turn.dispute.note}" if turn.dispute.note else ""
            lines.append(Content.styled(f"You disagreed: you think this was {turn.dispute.label}{why}.",
                                        "italic $text-warning"))
        if show_changes:
            lines += change_lines(turn, scenario)
        else:
            lines.append(Content.styled("The client's reaction (trust, mood, next line) is hidden: F4 shows it.",
                                        "italic $text-muted"))
        model = a.model_reply
        if show_model:
            lines.append(Content.assemble(Content.styled("A model reply: ", "bold $text-success"),
                                          Content(model or "none for this turn")))
        elif model:
            lines.append(Content.styled("F3 shows a model reply.", "$text-muted"))
        super().__init__(Content("\n").join(lines), classes=f"feedback -{a.label}")
        self.label = a.label
        self.index = turn.index


class HiddenFeedback(Static):
    def __init__(self, text: str) -> None:
        super().__init__(Content.styled(text, "italic"), classes="feedback hidden-label")


class Note(Static):
    """A quiet line in the conversation: a hint, the briefing, an ending."""

    def __init__(self, content: Content | str, classes: str = "note") -> None:
        super().__init__(content if isinstance(content, Content) else Content(content), classes=classes)


def model_only(turn: "Turn") -> Content:
    return Content.assemble(Content.styled("A model reply: ", "bold $text-success"),
                            Content(turn.assessment.model_reply or "none for this turn"))


__all__ = ["ClientSays", "TrapNote", "StudentSays", "TurnFeedback", "HiddenFeedback", "Note", "reply_content",
           "label_word", "model_only"]
