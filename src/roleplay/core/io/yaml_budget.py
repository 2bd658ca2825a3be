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

_FLOW_CHARS = re.compile(r"[\[\]{},]")


def budgets(size: int) -> tuple[int, int]:
    """(flow items, lines) allowed in a file of `size` characters."""
    return MIN_ITEMS + size // BYTES_PER_FLOW_ITEM, MIN_ITEMS + size // BYTES_PER_LINE


def _where(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def over_budget(text: str) -> tuple[int, int, str] | None:
    """(line, col, message) at the first item past the budget, or None. Linear and cheap: the
    common case is two str.count calls; only a file with more commas than its flow budget is
    scanned, and the scan stops at the budget."""
    flow, lines = budgets(len(text))
    if text.count("\n") > lines:
        pos = -1
        for _ in range(lines + 1):
            pos = text.index("\n", pos + 1)
        line, _ = _where(text, pos)
        return line, 1, (f"more than {lines:,} lines in a file of this size ({len(text):,} characters); "
                         "refusing to load it (is it a generated file?)")
    if text.count(",") <= flow:
        return None
    # Commas inside brackets separate flow items. Brackets and commas inside quoted text are
    # counted too, which can only count more items, never fewer.
    depth = items = 0
    for m in _FLOW_CHARS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        elif depth:
            items += 1
            if items > flow:
                line, col = _where(text, m.start())
                return line, col, (f"more than {flow:,} items in [...] and {{...}} lists in a file of this size "
                                   f"({len(text):,} characters); refusing to load it (is it a generated file?)")
    return None
