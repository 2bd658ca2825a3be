"""`--focus auto`: the student's most frequent non-empathic habit, on the lines that tempt it most."""

from __future__ import annotations

from datetime import datetime, timezone

from roleplay.core.reporting.drill_plan import AUTO, plan_drill
from roleplay.core.reporting.habits import profile_of
from roleplay.core.session.drill_corpus import corpus_dir, load_items

NOW = datetime(2026, 3, 31, tzinfo=timezone.utc)


def heavy_in(kind: str, label: str) -> dict:
    replies = [{"situation": f"s{i}", "label": label, "kind": kind, "at": "2026-03-30T10:00:00+00:00"}
               for i in range(8)]
    replies += [{"situation": "e", "label": "empathic", "kind": "reflection", "at": "2026-03-30T10:00:00+00:00"}] * 12
    return {"type": "drill", "replies": replies}


def test_auto_focus_chooses_different_lines_for_different_habits():
    items, _ = load_items(corpus_dir())
    reassuring = plan_drill(items, 10, focus=AUTO, seed=1, profile=profile_of([heavy_in("reassurance", "sympathetic")], NOW))
    asking = plan_drill(items, 10, focus=AUTO, seed=1, profile=profile_of([heavy_in("interrogating", "judgmental")], NOW))
    assert reassuring.focus == "reassurance" and asking.focus == "interrogating"
    assert "reassurance in 40% of replies" in reassuring.note
    # Mostly different lines: a line can tempt both habits (the corpus has both kinds for most lines).
    assert len({it.situation for it in reassuring.items} & {it.situation for it in asking.items}) <= 2
    # Each drill is made of the lines where its habit is most tempting in the corpus.
    cut = sorted((it.temptation("reassurance") for it in items), reverse=True)[30]
    assert all(it.temptation("reassurance") >= cut for it in reassuring.items)
    assert sum(it.temptation("interrogating") for it in asking.items) > sum(
        it.temptation("interrogating") for it in reassuring.items)


def test_auto_without_a_habit_is_a_mixed_drill():
    items, _ = load_items(corpus_dir())
    plan = plan_drill(items, 10, focus=AUTO, seed=2, profile=profile_of([], NOW))
    assert plan.focus is None and len(plan.items) == 10 and "mixed drill" in plan.note
