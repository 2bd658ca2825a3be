"""What a new drill practises: the focus (`auto` reads the student's habit profile) and its lines.

`roleplay drill` and the app's drill setup both plan through here, so `--focus auto` means the
same everywhere: the student's most frequent non-empathic sub-kind (habits.HabitProfile.top_habit),
practised on the situations where the corpus shows it is most tempting (drill_corpus.choose).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from roleplay.core.content_notes import area_name, tag_name
from roleplay.core.reporting.habits import HabitProfile
from roleplay.core.session.drill_corpus import DrillItem, choose

AUTO = "auto"


@dataclass(frozen=True)
class Plan:
    items: list[DrillItem]
    focus: str | None  # the sub-kind practised, or None for a mixed drill
    note: str  # one line for the student: what this drill aims at and why


def describe_exclusions(excluded: Iterable[str], areas: Iterable[str]) -> str:
    area_set = set(areas)
    return ", ".join(area_name(k) if k in area_set else tag_name(k) for k in excluded)


def plan_drill(items: Sequence[DrillItem], n: int, *, focus: str | None, area: str | None = None,
               excluded: Iterable[str] = (), seed: int = 0, profile: HabitProfile | None = None,
               avoid: Iterable[str] = ()) -> Plan:
    """The lines of a new drill. `focus` is a sub-kind, AUTO, or None (mixed)."""
    note = "A mixed drill: lines from many settings."
    kind = focus
    if focus == AUTO:
        kind = profile.top_habit() if profile is not None else None
        if kind is None:
            note = "No habit to aim at yet (no replies other than empathic ones are saved), so a mixed drill."
        else:
            habit = profile.habit(kind) if profile is not None else None
            said = f": {habit.describe()}" if habit is not None else ""
            note = f"Aimed at your most frequent habit{said}. These lines tempt it most."
    elif kind is not None:
        note = f"Aimed at {kind}: these lines tempt it most."
    chosen = choose(items, n, focus=kind, area=area, excluded=excluded, seed=seed, avoid=avoid)
    return Plan(chosen, kind, note)
