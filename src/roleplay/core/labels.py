"""The four labels a reply can carry, and the sub-kinds of each."""

EMPATHIC = "empathic"
SYMPATHETIC = "sympathetic"
JUDGMENTAL = "judgmental"
NEUTRAL = "neutral"

LABELS: tuple[str, ...] = (EMPATHIC, SYMPATHETIC, JUDGMENTAL, NEUTRAL)

KINDS: dict[str, tuple[str, ...]] = {
    EMPATHIC: ("reflection", "validation", "exploration", "presence"),
    SYMPATHETIC: ("pity", "reassurance", "minimising", "platitude", "self-focus", "how-not-to-feel"),
    JUDGMENTAL: ("blaming", "moralising", "ordering", "interrogating", "dismissing", "directive-advice"),
    NEUTRAL: ("information", "closed-question", "suggestion", "logistics"),
}

# When a session shows its labels: after every reply, only at the debrief, or when revealed (F4).
FEEDBACK_MODES: tuple[str, ...] = ("immediate", "end", "reveal")
