"""What a finished (or stopped) session says about the student's responding: pure derivations.

Everything here works on a typed session record (Session.to_record() or records.load()), so the
app, the CLI and the tests derive the same numbers. No I/O, no UI.

The client's ratings are modelled on CARE-measure-style items ("how good was the practitioner
at really listening / fully understanding your concerns ..."). They are not a validated measure:
each one is a transparent count over the turns, shown with the rating and the turns it counted.
Every claim the debrief makes names the turn it is about, and quotes the student where it helps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from roleplay.core.labels import EMPATHIC, JUDGMENTAL, LABELS, NEUTRAL, SYMPATHETIC
from roleplay.core.scenario.model import Scenario
from roleplay.core.session.record_types import SessionRecord, Turn, label_counts as _counts

Record = SessionRecord
UNDERSTOOD_KINDS = ("reflection", "validation")  # the empathic kinds that name the client's feeling
ENDING_CAP = {"negative": 2, "mixed": 3}  # the best "at ease" rating an ending of each outcome allows


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


def trust_delta(turn: Turn) -> int:
    """How much trust this reply moved (0 when the record has no trust)."""
    before, after = _trust(turn.state_before), _trust(turn.state_after)
    return after - before if before is not None and after is not None else 0


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


def turn_names(indices: Sequence[int], most: int = 8) -> str:
    """"turn 3", "turns 1, 4 and 6", "turns 1, 2, 3 … 12"."""
    ix = list(indices)
    if not ix:
        return ""
    if len(ix) == 1:
        return f"turn {ix[0]}"
    if len(ix) > most:
        return "turns " + ", ".join(map(str, ix[:most - 1])) + f" … {ix[-1]}"
    return "turns " + ", ".join(map(str, ix[:-1])) + f" and {ix[-1]}"


def quote(text: str, limit: int = 90) -> str:
    """The student's own words, on one line, cut at a word when long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = (text[:limit].rsplit(" ", 1)[0] or text[:limit]) + "…"
    return f"\u201c{text}\u201d"


def ending_title(record: Record, scenario: Scenario | None) -> str:
    """The ending's display name (its title in the scenario), or its id without one."""
    ending = scenario.endings.get(record.ending) if scenario is not None and record.ending else None
    return ending.title if ending is not None else (record.ending or "")


# --- the client's ratings ------------------------------------------------------------------

@dataclass(frozen=True)
class CareItem:
    """One rating as the client might give it: a score out of 5, how it was derived, and the turns."""

    name: str
    score: int | None  # 1..5, None when there were no replies
    count: int
    total: int
    because: str  # "3 of 6 replies empathic (turns 1, 4 and 6)"
    turns: tuple[int, ...] = ()

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


def _item(name: str, hits: Sequence[int], total: int, what: str, cap: tuple[int, str] | None = None) -> CareItem:
    if total == 0:
        return CareItem(name, None, 0, 0, "no replies yet")
    score = score_from_share(len(hits), total)
    because = f"{len(hits)} of {total} replies {what}" + (f" ({turn_names(hits)})" if hits else "")
    if cap is not None and score is not None and score > cap[0]:
        score, because = cap[0], f"{because}; at most {cap[0]}: {cap[1]}"
    return CareItem(name, score, len(hits), total, because, tuple(hits))


def care_items(record: Record, scenario: Scenario | None = None) -> list[CareItem]:
    """How the client would rate the conversation, each item derived from the labels, the trust
    path and the ending: a client who walked out does not rate their ease 4/5, and one who heard
    no empathic reply rates feeling listened to 1/5."""
    ts = turns(record)
    n = len(ts)
    empathic = [t.index for t in ts if t.label == EMPATHIC]
    understood = [t.index for t in ts if t.label == EMPATHIC and (t.kind in UNDERSTOOD_KINDS or not t.kind)]
    not_judged = [t.index for t in ts if t.label != JUDGMENTAL]
    judged = [t.index for t in ts if t.label == JUDGMENTAL]
    rose = [t.index for t in ts if trust_delta(t) > 0]
    ease_cap = None
    if ts and record.outcome in ENDING_CAP:
        last = ts[-1].index
        ease_cap = (ENDING_CAP[record.outcome],
                    f"the conversation ended {'badly' if record.outcome == 'negative' else 'with a mixed outcome'} "
                    f"(“{ending_title(record, scenario)}”, turn {last})")
    else:
        series = trust_series(record)
        if len(series) >= 2 and series[-1] < series[0]:
            ease_cap = (2, f"trust ended lower than it started ({series[0]} → {series[-1]})")
    judged_item = _item("Felt not judged", not_judged, n, "free of judgment")
    if judged and n:
        judged_item = CareItem(judged_item.name, judged_item.score, judged_item.count, n,
                               f"{len(not_judged)} of {n} replies free of judgment; judgmental at "
                               f"{turn_names(judged)}", tuple(judged))
    return [
        _item("Felt listened to", empathic, n, "empathic"),
        _item("Felt understood", understood, n, "reflected or validated the feeling"),
        judged_item,
        _item("Felt at ease with you", rose, n, "raised trust", ease_cap),
    ]


# --- strengths and next steps --------------------------------------------------------------

STRENGTHS: dict[str, str] = {
    "reflection": "you reflected back what you heard, so the client could hear themselves",
    "validation": "you validated the client's feelings as making sense",
    "exploration": "you invited the client to say more with an open question",
    "presence": "you stayed with the client's pain without rushing to fix it",
}
EMPATHIC_DEFAULT = "you named the client's experience from their side"

# Advice by sub-kind. No example sentences here: a worked example comes from the turn's own
# model reply, so it always fits the client and the moment.
PRACTICE: dict[str, str] = {
    "pity": "Pity puts you above the client. Name their feeling instead, from their side.",
    "reassurance": "Before reassuring, name the worry you hear, in the client's own words.",
    "minimising": "Avoid shrinking the problem (\"at least...\"). Reflect its size as the client sees it.",
    "platitude": "Swap stock phrases for the client's own words.",
    "self-focus": "Keep the focus on the client; bring the story back to them, not you.",
    "how-not-to-feel": "Don't tell the client how not to feel; validate the feeling first.",
    "blaming": "Set aside blame for now; reflect the pressure behind what the client did.",
    "moralising": "Replace \"you should\" with curiosity about what has made this so hard.",
    "ordering": "Instead of telling the client what to do, reflect where they are right now.",
    "interrogating": "Ask one open question at a time, and reflect the answer before the next.",
    "dismissing": "Take the client's feeling seriously before moving on; name it first.",
    "directive-advice": "Hold advice until the client feels understood; reflect first, then ask what would help.",
    "information": "Facts can wait a moment: acknowledge the feeling, then give the information.",
    "closed-question": "Turn a closed question into an open one about how this has been for the client.",
    "suggestion": "Before suggesting, check you've understood: reflect what the client said.",
    "logistics": "Logistics matter, but first show you've heard what this means to the client.",
}
LABEL_PRACTICE: dict[str, str] = {
    SYMPATHETIC: "Move from feeling sorry for the client to feeling with them: name their emotion.",
    JUDGMENTAL: "Notice judging words (should, why didn't you); reflect the feeling behind the behaviour.",
    NEUTRAL: "Add a feeling word to factual replies: what might the client be feeling right now?",
}
_SEVERITY = {JUDGMENTAL: 0, SYMPATHETIC: 1, NEUTRAL: 2}


@dataclass(frozen=True)
class Point:
    """One claim of the debrief about one turn: what happened (head), the student's words, what
    to take from it, and (for a next step) the model reply of that turn in that scenario."""

    turn: int
    head: str
    said: str
    text: str
    model: str | None = None

    def describe(self) -> str:
        stop = "" if self.said[-2:-1] in (".", "!", "?", "…") else "."  # “Stop.” needs no second one
        out = f"Turn {self.turn} — {self.head}: you said {self.said}{stop} {self.text}".rstrip()
        return out + (f" A model reply here: “{self.model}”" if self.model else "")

    def __str__(self) -> str:
        return self.describe()


def _kinds(t: Turn) -> str:
    return f"{t.label} ({t.kind})" if t.kind else t.label


def strengths(record: Record, limit: int = 3) -> list[Point]:
    """What went well: only replies that were empathic, the first of each sub-kind, then the
    empathic reply after which trust rose most. Nothing when no reply was empathic."""
    ts = [t for t in turns(record) if t.label == EMPATHIC]
    out: list[Point] = []
    seen: set[str] = set()
    for t in ts:
        key = t.kind if t.kind in STRENGTHS else ""
        if key in seen:
            continue
        seen.add(key)
        more = [u.index for u in ts if (u.kind if u.kind in STRENGTHS else "") == key and u is not t]
        also = f" (again at {turn_names(more)})" if more else ""
        out.append(Point(t.index, _kinds(t), quote(t.reply), f"Here {STRENGTHS.get(key, EMPATHIC_DEFAULT)}{also}."))
    best = max(ts, key=lambda t: (trust_delta(t), -t.index), default=None)
    if best is not None and trust_delta(best) > 0 and len(out) < limit + 1:
        reasons = [c.reason for c in best.changes if c.var == "trust" and c.reason]
        why = f" ({reasons[0]})" if reasons else ""
        out.append(Point(best.index, f"trust +{trust_delta(best)}", quote(best.reply),
                         f"Trust rose most after this empathic reply{why}."))
    return out[:limit]


def _tip(t: Turn) -> str:
    return PRACTICE.get(t.kind) or LABEL_PRACTICE.get(t.label, "")


def _model(t: Turn, scenario: Scenario | None) -> str | None:
    node = scenario.nodes.get(t.node_id) if scenario is not None else None
    if node is not None and node.model_reply:
        return " ".join(node.model_reply.split())
    if scenario is None and t.assessment.model_reply:  # recorded from that turn's node when it was played
        return " ".join(t.assessment.model_reply.split())
    return None


def next_steps(record: Record, scenario: Scenario | None = None, limit: int = 3) -> list[Point]:
    """The non-empathic turns that cost the most trust (the one that ended a conversation badly
    first), each with the student's words, what to try, and the model reply of that very turn.
    When no reply lost trust, the non-empathic ones, judgmental first."""
    ts = [t for t in turns(record) if t.label != EMPATHIC]
    bad_end = record.outcome == "negative" and bool(record.turns) and record.turns[-1].ending is not None
    last = record.turns[-1].index if record.turns else None

    def ended(t: Turn) -> bool:
        return bad_end and t.index == last

    costly = [t for t in ts if trust_delta(t) < 0 or ended(t)]
    pool = costly or ts
    pool = sorted(pool, key=lambda t: (not ended(t), trust_delta(t), _SEVERITY.get(t.label, 3), t.index))
    out: list[Point] = []
    for t in pool[:limit]:
        head = _kinds(t)
        d = trust_delta(t)
        if d < 0:
            head += f", trust {d:+d}"
        if ended(t):
            head += f", and the client ended it (“{ending_title(record, scenario)}”)"
        out.append(Point(t.index, head, quote(t.reply), _tip(t), _model(t, scenario)))
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
    strengths: list[Point]
    next_steps: list[Point]
    trust: list[int]
    thoughts: list[tuple[int, str]]
    total: int


def summarise(record: Record, scenario: Scenario | None = None) -> Summary:
    start = None
    if scenario is not None and "trust" in scenario.variables:
        start = int(scenario.variables["trust"].start)
    return Summary(
        counts=label_counts(record), care=care_items(record, scenario), strengths=strengths(record),
        next_steps=next_steps(record, scenario), trust=trust_series(record, start),
        thoughts=thoughts(record, scenario), total=len(turns(record)))


def share_text(counts: Mapping[str, int], total: int) -> str:
    if not total:
        return "no replies"
    e = counts.get(EMPATHIC, 0)
    return f"{e}/{total} empathic ({round(100 * e / total)}%)"


def iter_label_lines(counts: Mapping[str, int]) -> Iterable[str]:
    for label in LABELS:
        yield f"{label}: {counts.get(label, 0)}"


def summary_lines(summary: Summary) -> list[str]:
    """The debrief's ratings, strengths and next steps as plain lines (the CLI prints these)."""
    out = ["How the client might rate the conversation:"]
    out += [f"  {item.describe()}" for item in summary.care]
    out.append("What went well:")
    out += [f"  - {p}" for p in summary.strengths] or ["  - No reply was empathic this time; see below."]
    out.append("Practise next:")
    out += [f"  - {p}" for p in summary.next_steps] or ["  - Every reply was empathic: vary reflections, "
                                                        "validation and open questions."]
    return out
