"""What a drill shows: the setting and its content note, the feedback on a reply, the corpus's
empathic example, and the summary at the end."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from roleplay.core.content_notes import area_name, content_note

from .common import label_word
from .conversation import assessment_lines, evidence_line

if TYPE_CHECKING:
    from roleplay.core.session.drill import Drill, DrillAttempt
    from roleplay.core.session.drill_corpus import DrillItem


class SettingNote(Static):
    """Where we are, in one sentence, with the content note when the situation has one."""

    def __init__(self, item: "DrillItem") -> None:
        lines = [Content.assemble(Content.styled(area_name(item.area).capitalize(), "bold $text-secondary"),
                                  Content.styled("  ·  the setting", "$text-muted")),
                 Content(item.setting)]
        note = content_note(item.content)
        if note:
            lines.append(Content.assemble(Content.styled("Content note: ", "bold $text-warning"), note))
        super().__init__(Content("\n").join(lines), classes="note setting")


class DrillFeedback(Static):
    """Label (colour and words), sub-kind, the words behind it and the teaching line."""

    def __init__(self, attempt: "DrillAttempt") -> None:
        a = attempt.assessment
        lines = assessment_lines(a, evidence_line(attempt), "Retry: " if attempt.attempt > 1 else "")
        super().__init__(Content("\n").join(lines), classes=f"feedback -{a.label}")
        self.label = a.label


class Example(Static):
    """One empathic reply from the corpus for this situation: a worked example, not a script."""

    def __init__(self, item: "DrillItem") -> None:
        super().__init__(Content.assemble(Content.styled("An empathic reply from the corpus: ", "bold $text-success"),
                                          Content(item.example)), classes="note example")


def keys_note(drill: "Drill", hidden: str | None) -> Content:
    """What the student can do now, in words."""
    last = drill.position + 1 >= drill.total
    parts = [Content.styled("Enter", "bold reverse"), " " + ("the summary" if last else "next line")]
    if drill.can_retry:
        parts += ["   ", Content.styled("Ctrl+R", "bold reverse"), " try this line again (once)"]
    if hidden:
        parts += ["   ", Content.styled(hidden, "$text-muted")]
    return Content.assemble(*parts)


def summary(drill: "Drill", practice_tip: dict[str, str]) -> list[Content]:
    """The end of a drill: the counts, each line's label(s), and the habit to work on."""
    from roleplay.core.labels import EMPATHIC

    s = drill.summary()
    out = [Content.styled("Drill over", "bold $text-success"),
           Content(f"{s['answered']} of {s['lines']} lines answered · empathic at the first try: "
                   f"{s['empathic_first']} of {s['answered']} · retries: {s['retries']} "
                   f"({s['improved']} became empathic)")]
    for i, item in enumerate(drill.items):
        tries = drill.attempts_at(i)
        line = [Content.styled(f"{i + 1:>2}. ", "$text-muted")]
        if not tries:
            line.append(Content.styled("skipped", "italic $text-muted"))
        for j, t in enumerate(tries):
            if j:
                line.append(Content.styled(" → ", "bold"))
            line.append(label_word(t.label))
            if t.kind:
                line.append(Content.styled(f" ({t.kind})", "$text-muted"))
        client = " ".join(item.client.split())
        line.append(Content.styled(f"  “{client[:60]}{'…' if len(client) > 60 else ''}”", "$text-muted"))
        out.append(Content.assemble(*line))
    habits = Counter(a.kind for a in drill.first_tries() if a.label != EMPATHIC and a.kind)
    if habits:
        kind, n = habits.most_common(1)[0]
        out.append(Content.assemble(Content.styled("Most frequent in this drill: ", "bold $text-warning"),
                                    f"{kind} ({n} {'reply' if n == 1 else 'replies'}). {practice_tip.get(kind, '')}"))
    out.append(Content.styled("Your habit profile over all your sessions and drills is on the history screen (h "
                              "in the scenario list).", "$text-muted"))
    return out


__all__ = ["SettingNote", "DrillFeedback", "Example", "keys_note", "summary"]
