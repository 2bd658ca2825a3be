"""What `roleplay play` prints about the student's replies: the feedback on each, a disagreement
with a label (/disagree), and the debrief at the end (the app's debrief, derived the same way)."""

from __future__ import annotations


def feedback_lines(turn, scenario) -> list[str]:
    a = turn.assessment
    kinds = ", ".join(a.kinds) if a.kinds else "no clear sub-kind"
    out = [f"  -> {a.label.upper()} ({kinds}), confidence {a.confidence:.0%}"]
    from roleplay.core.assessment import shown_words

    words, more = shown_words(a, turn.reply)
    if words:
        out.append("     because of: " + ", ".join(f'"{w}"' for w, _ in words) + (f", and {more} more" if more else ""))
    if a.feedback:
        out.append(f"     {a.feedback}")
    for note in a.notes:
        out.append(f"     Note: {note}")
    for c in turn.changes:
        var = scenario.variables.get(c.var)
        if var is not None and var.type == "int":
            out.append(f"     {var.display}: {c.before} -> {c.after}" + (f" ({c.reason})" if c.reason else ""))
    if a.model_reply and a.label != "empathic":
        out.append(f"     A model reply: {a.model_reply}")
    return out


def disagree(practice, text: str) -> str:
    """`/disagree LABEL because ...`: keep the student's view of the last reply's label (the story
    does not change); the answer says what was kept, or what was wrong with the command."""
    import re

    from roleplay.core.labels import LABELS

    m = re.match(r"\s*/disagree\s*(\S*)\s*(.*)$", text, re.S | re.I)
    label, note = (m.group(1), m.group(2)) if m else ("", "")
    note = re.sub(r"^(because|as|since)\b[\s,:]*", "", note.strip(), flags=re.I)
    if not label:
        return f"  Usage: /disagree LABEL because ... (LABEL is one of {', '.join(LABELS)})"
    try:
        turn = practice.dispute(label.strip(".,:;"), note)
    except ValueError as exc:
        return f"  {exc}"
    kept = "noted for your instructor" if practice.saver is not None else "noted (not saved: --no-save)"
    return (f"  You think turn {turn.index} was {turn.dispute.label}, not {turn.label}"
            + (f", because {turn.dispute.note}" if turn.dispute.note else "") + f": {kept}. The story goes on as it was.")


def debrief_lines(session) -> list[str]:
    """The debrief's ratings, what went well and what to practise next, each naming its turn."""
    from roleplay.core.reporting.debrief import summarise, summary_lines

    if not session.turns:
        return []
    return ["", "Debrief"] + summary_lines(summarise(session.to_record(), session.scenario))
