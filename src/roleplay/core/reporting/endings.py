"""One name for how a session ended, shared by every view (debrief, History, the CLI, exports):
"Hung up (a difficult ending)", "ended early" or "unfinished"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roleplay.core.scenario.model import Scenario

OUTCOME_WORDS = {"positive": "a positive ending", "mixed": "a mixed ending", "negative": "a difficult ending"}


def ending_title(ending_id: str, scenario: "Scenario | None" = None) -> str:
    """The ending's title from its scenario; without the scenario, its id in words."""
    e = scenario.endings.get(ending_id) if scenario is not None else None
    return e.title if e is not None else ending_id.replace("_", " ").strip().capitalize()


def ending_name(ending_id: str | None, scenario: "Scenario | None" = None, *, outcome: str | None = None,
                ended_early: bool = False) -> str:
    """The ending's title and what kind of ending it was; `outcome` is used when the scenario is
    not at hand (a record remembers it)."""
    if not ending_id:
        return "ended early" if ended_early else "unfinished"
    e = scenario.endings.get(ending_id) if scenario is not None else None
    outcome = e.outcome if e is not None else outcome
    words = OUTCOME_WORDS.get(outcome or "", outcome or "")
    title = ending_title(ending_id, scenario)
    return f"{title} ({words})" if words else title
