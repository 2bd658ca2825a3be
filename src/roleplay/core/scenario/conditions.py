"""Conditions on state, as authors write them: `trust >= 60`, `trust < 30 and not disclosed`."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping

_OPS: dict[str, Callable[[object, object], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
    "==": operator.eq, "!=": operator.ne,
}
_CMP = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+|true|false)\s*$", re.I)
_BARE = re.compile(r"^\s*(not\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*$", re.I)


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Comparison:
    var: str
    op: str
    value: int | bool

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return _OPS[self.op](state.get(self.var), self.value)

    def __str__(self) -> str:
        v = str(self.value).lower() if isinstance(self.value, bool) else self.value
        return f"{self.var} {self.op} {v}"


@dataclass(frozen=True)
class Condition:
    text: str
    parts: tuple[Comparison, ...]

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return all(p.holds(state) for p in self.parts)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        """e.g. 'trust 45 >= 40' — what the student sees as the reason a branch was taken."""
        bits = []
        for p in self.parts:
            cur = state.get(p.var)
            cur_s = str(cur).lower() if isinstance(cur, bool) else cur
            bits.append(f"{p.var} {cur_s} {p.op} {str(p.value).lower() if isinstance(p.value, bool) else p.value}")
        return " and ".join(bits)

    def __str__(self) -> str:
        return self.text


def parse_condition(text: str) -> Condition:
    parts = []
    for chunk in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        m = _CMP.match(chunk)
        if m:
            raw = m.group(3).lower()
            value: int | bool = raw == "true" if raw in ("true", "false") else int(raw)
            parts.append(Comparison(m.group(1), m.group(2), value))
            continue
        m = _BARE.match(chunk)
        if m and m.group(2).lower() not in ("and", "or", "not"):
            parts.append(Comparison(m.group(2), "==", not m.group(1)))
            continue
        raise ConditionError(
            f"cannot read condition {chunk.strip()!r}: write VARIABLE OP VALUE "
            "(OP one of >= <= > < == !=), joined with 'and'")
    if not parts:
        raise ConditionError("empty condition")
    return Condition(text.strip(), tuple(parts))
