"""Figures the project reports about a scorer: macro-F1, judgmental recall, false praise, per voice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from roleplay.core.scoring.evaluation import Metrics, format_metrics, metrics
from roleplay.core.labels import EMPATHIC, JUDGMENTAL, SYMPATHETIC

__all__ = ["Metrics", "metrics", "format_metrics", "false_praise", "Summary", "summarise", "format_summary"]


def false_praise(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Share of judgmental and sympathetic replies labelled empathic: the worst error a trainer makes."""
    harm = [p for g, p in zip(gold, pred) if g in (JUDGMENTAL, SYMPATHETIC)]
    return sum(1 for p in harm if p == EMPATHIC) / len(harm) if harm else 0.0


@dataclass
class Summary:
    overall: Metrics
    false_praise: float
    by_voice: dict[str, tuple[int, float]]  # voice -> (n, macro-F1)
    hard: tuple[int, float] | None


def summarise(gold: Sequence[str], pred: Sequence[str], voices: Sequence[str] | None = None,
              hard: Sequence[bool] | None = None) -> Summary:
    by_voice: dict[str, tuple[int, float]] = {}
    if voices:
        for v in sorted({v for v in voices if v}):
            idx = [i for i, x in enumerate(voices) if x == v]
            by_voice[v] = (len(idx), metrics([gold[i] for i in idx], [pred[i] for i in idx]).macro_f1)
    h = None
    if hard and any(hard):
        idx = [i for i, x in enumerate(hard) if x]
        h = (len(idx), metrics([gold[i] for i in idx], [pred[i] for i in idx]).macro_f1)
    return Summary(metrics(gold, pred), false_praise(gold, pred), by_voice, h)


def format_summary(s: Summary, title: str = "") -> list[str]:
    lines = format_metrics(s.overall, title)
    jr = s.overall.per_label[JUDGMENTAL].recall if JUDGMENTAL in s.overall.per_label else 0.0
    extra = [f"judgmental recall: {jr:.3f}",
             f"false praise (judgmental or sympathetic called empathic): {100 * s.false_praise:.1f}%"]
    if s.hard:
        extra.append(f"hard items: {s.hard[0]}, hard macro-F1: {s.hard[1]:.3f}")
    lines[3:3] = extra
    if s.by_voice:
        lines.append("")
        lines.append("macro-F1 by voice")
        for v, (n, f1) in s.by_voice.items():
            lines.append(f"  {v:<20} {f1:.3f}  ({n})")
    return lines
