"""How many items a YAML file may hold, checked before the parser builds any of them.

The parser keeps every item it reads, at about half a kilobyte each, so a 16 MB file of tiny
items ("1,1,1,..." or "- 1" lines) would take gigabytes and minutes before the node budget could
refuse it. The budget grows with the file: a scenario has an item every 20 bytes or more (the
10,000-turn benchmark file, 8 MB, has 250,000 lines and 30,000 commas), far inside it.
"""

from __future__ import annotations

import re

MIN_ITEMS = 100_000  # any file up to a few MB is never near the budget
BYTES_PER_FLOW_ITEM = 64  # [a, b, c] and {a: 1, b: 2} items
BYTES_PER_LINE = 32  # block items ("- a", "a: b") need a line each

_SEGMENTS = re.compile(r"[^\[\]{}]+|[\[\]{}]")  # a bracket, or the text between two


def budgets(size: int) -> tuple[int, int]:
    """(flow items, lines) allowed in a file of `size` characters."""
    return MIN_ITEMS + size // BYTES_PER_FLOW_ITEM, MIN_ITEMS + size // BYTES_PER_LINE


def _where(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def _nth_comma(text: str, start: int, n: int) -> int:
    """The index of the n-th comma from `start` (there are at least n), found by the regex engine."""
    return re.compile(r"(?:[^,]*,){%d}" % n).match(text, start).end() - 1


def over_budget(text: str) -> tuple[int, int, str] | None:
    """(line, col, message) at the first item past the budget, or None. Cheap: the common case
    is two str.count calls; a file with more commas than its flow budget is scanned a stretch
    between brackets at a time, and the scan stops at the budget."""
    flow, lines = budgets(len(text))
    if text.count("\n") > lines:
        return lines + 1, 1, (f"more than {lines:,} lines in a file of this size ({len(text):,} characters); "
                              "refusing to load it (is it a generated file?)")
    if text.count(",") <= flow:
        return None
    # Commas inside brackets separate flow items. Brackets and commas inside quoted text are
    # counted too, which can only count more items, never fewer.
    depth = items = 0
    for m in _SEGMENTS.finditer(text):
        start, end = m.span()
        c = text[start] if end == start + 1 else ""
        if c == "[" or c == "{":
            depth += 1
        elif c == "]" or c == "}":
            depth = max(0, depth - 1)
        elif depth:
            n = text.count(",", start, end)  # counted in place: a stretch can be most of the file
            if items + n > flow:
                line, col = _where(text, _nth_comma(text, start, flow - items + 1))
                return line, col, (f"more than {flow:,} items in [...] and {{...}} lists in a file of this size "
                                   f"({len(text):,} characters); refusing to load it (is it a generated file?)")
            items += n
    return None
