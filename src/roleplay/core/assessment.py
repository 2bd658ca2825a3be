"""What a scorer says about one reply, and the interface the engine expects of a scorer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence


@dataclass(frozen=True)
class Evidence:
    """A span of the reply that pushed towards a label.

    `start`/`end` are character offsets into the reply as typed, so a UI can highlight them.
    `source` names what fired: "cue:<id>", "exemplar:<label>", "rule:<name>".
    """

    start: int
    end: int
    text: str
    label: str
    kind: str
    source: str
    weight: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "kind": self.kind,
            "source": self.source,
            "weight": round(self.weight, 4),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Evidence":
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            text=str(d["text"]),
            label=str(d["label"]),
            kind=str(d["kind"]),
            source=str(d["source"]),
            weight=float(d.get("weight", 1.0)),
        )


@dataclass(frozen=True)
class Assessment:
    label: str
    confidence: float
    scores: Mapping[str, float]
    kinds: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    feedback: str = ""
    model_reply: str | None = None
    notes: tuple[str, ...] = ()  # what the student should know about the scoring itself (it was cut short)

    @property
    def kind(self) -> str | None:
        """The main sub-kind (the first one found), if any."""
        return self.kinds[0] if self.kinds else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "kinds": list(self.kinds),
            "evidence": [e.to_dict() for e in self.evidence],
            "feedback": self.feedback,
            "model_reply": self.model_reply,
            **({"notes": list(self.notes)} if self.notes else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Assessment":
        return cls(
            label=str(d["label"]),
            confidence=float(d.get("confidence", 0.0)),
            scores={str(k): float(v) for k, v in dict(d.get("scores", {})).items()},
            kinds=tuple(str(k) for k in d.get("kinds", ())),
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", ())),
            feedback=str(d.get("feedback", "")),
            model_reply=d.get("model_reply"),
            notes=tuple(str(n) for n in d.get("notes", ()) or ()),
        )


@dataclass(frozen=True)
class Context:
    """What the scorer may know besides the reply.

    `client` is what the client just said; inside a scenario, `exemplars` maps each label to the
    turn's exemplar replies and `model_reply` is the turn's model empathic reply.
    """

    client: str = ""
    exemplars: Mapping[str, Sequence[str]] = field(default_factory=dict)
    model_reply: str | None = None


class Scorer(Protocol):
    def assess(self, reply: str, context: Context) -> Assessment: ...


def shown_evidence(a: Assessment, reply: str) -> list[Evidence]:
    """The evidence every view shows for a turn (the CLI, the app, exports): the phrases that
    pushed the turn's own label, as spans of the reply as typed, once each, in reading order.
    A whole-reply match with an author's exemplar is a reason, not a phrase, so it is left out."""
    out: list[Evidence] = []
    seen: set[str] = set()
    for e in sorted(a.evidence, key=lambda e: (e.start, e.end)):
        if e.label != a.label or e.source.startswith("exemplar:"):
            continue
        if not (0 <= e.start < e.end <= len(reply)) or reply[e.start:e.end] != e.text:
            continue
        key = e.text.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(e)
    return out


SHOWN_WORDS = 4  # how many phrases every view names for a turn; the rest are counted ("and 2 more")
_PHRASE_CHARS = 40  # a longer phrase is cut at a word, the same way in every view


def clip_phrase(text: str, limit: int = _PHRASE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return (text[:limit].rsplit(" ", 1)[0] or text[:limit]) + "…"


def shown_words(a: Assessment, reply: str) -> tuple[list[tuple[str, str]], int]:
    """((phrase, label) for the phrases a view names, how many more there are): the one source
    of the words the CLI, the app, the drill views and the process recording show for a turn."""
    ev = shown_evidence(a, reply)
    return [(clip_phrase(e.text), e.label) for e in ev[:SHOWN_WORDS]], max(0, len(ev) - SHOWN_WORDS)
