"""What a finished (or stopped) session says about the student's responding: pure derivations.

Everything here works on a typed session record (Session.to_record() or records.load()), so the
app, the CLI and the tests derive the same numbers. No I/O, no UI.

The client's ratings are modelled on CARE-measure-style items ("how good was the practitioner
at really listening / fully understanding your concerns ..."). They are not a validated measure:
each one is a transparent count over the turns, and the count is shown with the rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from roleplay.core.labels import EMPATHIC, JUDGMENTAL, LABELS, NEUTRAL, SYMPATHETIC
from roleplay.core.scenario.model import Scenario
from roleplay.core.session.record_types import SessionRecord, Turn, label_counts as _counts

Record = SessionRecord


def turns(record: Record) -> Sequence[Turn]:
    return record.turns


def turn_label(turn: Turn) -> str:
    return turn.label


def turn_kind(turn: Turn) -> str:
    return turn.kind


def label_counts(record: Record) -> dict[str, int]:
    """How many replies carried each label, in the fixed label order (zeros included)."""
    return _counts(record.turns)


def share_of(counts: Mapping[str, int], total: int) -> float | None:
    """The share of `total` replies that were empathic, or None when there were none."""
    return counts.get(EMPATHIC, 0) / total if total else None


def empathic_share(record: Record) -> float | None:
    """The share of replies that were empathic, or None when there were no replies."""
    return share_of(label_counts(record), len(record.turns))


def _trust(state: Mapping[str, int | bool]) -> int | None:
    v = state.get("trust")
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def trust_series(record: Record, start: int | None = None) -> list[int]:
    """Trust before the first reply, then after each reply."""
    ts = record.turns
    first = _trust(ts[0].state_before) if ts else None
    if first is None:
        first = start if start is not None else _trust(record.state)
    out = [] if first is None else [first]
    for t in ts:
        v = _trust(t.state_after)
        if v is not None:
            out.append(v)
    return out


# --- the client's ratings ------------------------------------------------------------------

@dataclass(frozen=True)
class CareItem:
    """One rating as the client might give it: a score out of 5 and how it was derived."""

    name: str
    score: int | None  # 1..5, None when there were no replies
    count: int
    total: int
    because: str  # "3 of 6 replies empathic"

    out_of: int = 5

    def describe(self) -> str:
        if self.score is None:
            return f"{self.name}: not rated — {self.because}"
        return f"{self.name}: {self.score}/{self.out_of} — {self.because}"


def score_from_share(count: int, total: int) -> int | None:
    """1 when none of the replies did it, 5 when all did; linear in between, halves rounded up."""
    if total <= 0:
        return None
    return 1 + int(4 * count / total + 0.5)


def _item(name: str, count: int, total: int, what: str) -> CareItem:
    if total == 0:
        return CareItem(name, None, 0, 0, "no replies yet")
    return CareItem(name, score_from_share(count, total), count, total, f"{count} of {total} replies {what}")


def care_items(record: Record) -> list[CareItem]:
    """How the client would rate the conversation, each item derived from the turns."""
    ts = turns(record)
    n = len(ts)
    labels = [turn_label(t) for t in ts]
    responded = sum(1 for x in labels if x in (EMPATHIC, SYMPATHETIC))
    understood = sum(1 for x in labels if x == EMPATHIC)
    not_judged = sum(1 for x in labels if x != JUDGMENTAL)
    rose = 0
    for t in ts:
        before, after = _trust(t.state_before), _trust(t.state_after)
        if before is not None and after is not None and after > before:
            rose += 1
    return [
        _item("Felt listened to", responded, n, "empathic or sympathetic"),
        _item("Felt understood", understood, n, "empathic"),
        _item("Felt not judged", not_judged, n, "free of judgment"),
        _item("Felt at ease with you", rose, n, "raised trust"),
    ]


# --- strengths and next steps --------------------------------------------------------------

STRENGTHS: dict[str, str] = {
    "reflection": "You reflected back what you heard, so the client could hear themselves.",
    "validation": "You validated the client's feelings as making sense.",
    "exploration": "You invited the client to say more with open questions.",
    "presence": "You stayed with the client's pain without rushing to fix it.",
}
EMPATHIC_DEFAULT = "You made empathic replies that named the client's experience."

PRACTICE: dict[str, str] = {
    "pity": "Pity puts you above the client. Try naming their feeling instead: "
            "\"It sounds like this has been frightening.\"",
    "reassurance": "Before reassuring, name what you hear: \"You're worried she won't come home.\"",
    "minimising": "Avoid shrinking the problem (\"at least...\"). Reflect its size as the client sees it.",
    "platitude": "Swap stock phrases (\"everything happens for a reason\") for the client's own words.",
    "self-focus": "Keep the focus on the client; bring the story back to them, not you.",
    "how-not-to-feel": "Don't tell the client how not to feel; validate the feeling first.",
    "blaming": "Set aside blame for now; reflect the pressure behind what the client did.",
    "moralising": "Replace \"you should\" with curiosity: \"What has made this so hard?\"",
    "ordering": "Instead of telling the client what to do, reflect where they are right now.",
    "interrogating": "Ask one open question at a time, and reflect the answer before the next.",
    "dismissing": "Take the client's feeling seriously before moving on; name it first.",
    "directive-advice": "Hold advice until the client feels understood; reflect first, then ask what would help.",
    "information": "Facts can wait a moment: acknowledge the feeling, then give the information.",
    "closed-question": "Turn closed questions into open ones: \"How has this been for you?\"",
    "suggestion": "Before suggesting, check you've understood: reflect what the client said.",
    "logistics": "Logistics matter, but first show you've heard what this means to the client.",
}
LABEL_PRACTICE: dict[str, str] = {
    SYMPATHETIC: "Move from feeling sorry for the client to feeling with them: name their emotion.",
    JUDGMENTAL: "Notice judging words (should, why didn't you); reflect the feeling behind the behaviour.",
    NEUTRAL: "Add a feeling word to factual replies: what might the client be feeling right now?",
}


def _first_turn(ts: Sequence[Turn], pred) -> int | None:
    for t in ts:
        if pred(t):
            return t.index
    return None


def strengths(record: Record, limit: int = 3) -> list[str]:
    """What went well, from the empathic sub-kinds found and the biggest rise in trust."""
    ts = turns(record)
    out: list[str] = []
    seen: list[str] = []
    for t in ts:
        if turn_label(t) == EMPATHIC:
            k = turn_kind(t)
            key = k if k in STRENGTHS else ""
            if key not in seen:
                seen.append(key)
    for key in seen:
        first = _first_turn(ts, lambda t: turn_label(t) == EMPATHIC and
                            (turn_kind(t) == key or (key == "" and turn_kind(t) not in STRENGTHS)))
        text = STRENGTHS.get(key, EMPATHIC_DEFAULT)
        out.append(f"{text} (turn {first})" if first else text)
    best, best_turn = 0, None
    for t in ts:
        before, after = _trust(t.state_before), _trust(t.state_after)
        if before is not None and after is not None and after - before > best:
            best, best_turn = after - before, t
    if best_turn is not None and len(out) < limit + 1:
        reasons = [c.reason for c in best_turn.changes if c.var == "trust" and c.reason]
        why = f": {reasons[0]}" if reasons else ""
        out.append(f"Trust rose most at turn {best_turn.index} (+{best}{why}).")
    if not out and ts:
        out.append("You stayed in the conversation and kept responding to the client.")
    return out[:limit]


def next_steps(record: Record, limit: int = 2) -> list[str]:
    """One or two things to practise next, from the most frequent non-empathic sub-kinds."""
    ts = turns(record)
    freq: dict[str, int] = {}
    order: list[str] = []
    for t in ts:
        label = turn_label(t)
        if label == EMPATHIC:
            continue
        kind = turn_kind(t)
        key = kind if kind in PRACTICE else f"label:{label}"
        if key not in freq:
            order.append(key)
        freq[key] = freq.get(key, 0) + 1
    ranked = sorted(order, key=lambda k: (-freq[k], order.index(k)))
    out: list[str] = []
    for key in ranked:
        if key.startswith("label:"):
            text = LABEL_PRACTICE.get(key[6:])
        else:
            text = PRACTICE[key]
        if not text or text in out:
            continue
        n = freq[key]
        name = key[6:] if key.startswith("label:") else key
        out.append(f"{text} ({name}: {n} {'reply' if n == 1 else 'replies'})")
        if len(out) >= limit:
            break
    if not out and ts:
        out.append("Vary your empathic replies: mix reflections, validation and open questions.")
    return out


# --- the client's inner thoughts -----------------------------------------------------------

def thoughts(record: Record, scenario: Scenario | None) -> list[tuple[int, str]]:
    """(turn number, what the client was thinking at that turn), for each turn with a thought."""
    if scenario is None:
        return []
    out = []
    for t in record.turns:
        node = scenario.nodes.get(t.node_id)
        if node is not None and node.thought:
            out.append((t.index, node.thought.strip()))
    return out


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    care: list[CareItem]
    strengths: list[str]
    next_steps: list[str]
    trust: list[int]
    thoughts: list[tuple[int, str]]
    total: int


def summarise(record: Record, scenario: Scenario | None = None) -> Summary:
    start = None
    if scenario is not None and "trust" in scenario.variables:
        start = int(scenario.variables["trust"].start)
    return Summary(
        counts=label_counts(record), care=care_items(record), strengths=strengths(record),
        next_steps=next_steps(record), trust=trust_series(record, start), thoughts=thoughts(record, scenario),
        total=len(turns(record)))


def share_text(counts: Mapping[str, int], total: int) -> str:
    if not total:
        return "no replies"
    e = counts.get(EMPATHIC, 0)
    return f"{e}/{total} empathic ({round(100 * e / total)}%)"


def iter_label_lines(counts: Mapping[str, int]) -> Iterable[str]:
    for label in LABELS:
        yield f"{label}: {counts.get(label, 0)}"
