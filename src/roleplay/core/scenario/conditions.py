"""Conditions on state, as authors write them: `trust >= 60`, `trust < 30 and not disclosed`,
`(trust >= 60 or disclosed) and not walked_out`.

`not` binds tightest, then `and`, then `or`; brackets group. A bare variable means it is true.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping, Union

_OPS: dict[str, Callable[[object, object], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
    "==": operator.eq, "!=": operator.ne,
}
_CMP = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+|true|false)\s*$", re.I)
_BARE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
_WORDS = ("and", "or", "not")
_MAX_LEN = 2000  # a condition is one line of an author's file; longer is a mistake, not a program
_MAX_DEPTH = 32

HOW = ("write VARIABLE OP VALUE (OP one of >= <= > < == !=), joined with 'and' or 'or', "
       "with 'not' and brackets where needed")


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Comparison:
    var: str
    op: str
    value: int | bool

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return _OPS[self.op](state.get(self.var), self.value)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        cur = state.get(self.var)
        return f"{self.var} {_show(cur)} {self.op} {_show(self.value)}"

    def __str__(self) -> str:
        return f"{self.var} {self.op} {_show(self.value)}"


@dataclass(frozen=True)
class Not:
    inner: "Expr"

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return not self.inner.holds(state)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        return f"not ({self.inner.explain(state)})"


@dataclass(frozen=True)
class AllOf:
    items: tuple["Expr", ...]

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return all(i.holds(state) for i in self.items)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        return " and ".join(_grouped(i, state) for i in self.items)


@dataclass(frozen=True)
class AnyOf:
    items: tuple["Expr", ...]

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        return any(i.holds(state) for i in self.items)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        # Only the alternatives that held say why the branch was taken.
        held = [i for i in self.items if i.holds(state)] or list(self.items)
        return " or ".join(_grouped(i, state) for i in held)


Expr = Union[Comparison, Not, AllOf, AnyOf]


def _show(v: object) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _grouped(e: Expr, state: Mapping[str, int | bool]) -> str:
    text = e.explain(state)
    return f"({text})" if isinstance(e, (AnyOf, AllOf)) else text


@dataclass(frozen=True)
class Condition:
    text: str
    parts: tuple[Comparison, ...]  # every comparison, in order: what the checks of variables read
    expr: Expr | None = None

    def holds(self, state: Mapping[str, int | bool]) -> bool:
        if self.expr is None:
            return all(p.holds(state) for p in self.parts)
        return self.expr.holds(state)

    def explain(self, state: Mapping[str, int | bool]) -> str:
        """e.g. 'trust 45 >= 40' — what the student sees as the reason a branch was taken."""
        if self.expr is None:
            return " and ".join(p.explain(state) for p in self.parts)
        return self.expr.explain(state)

    def __str__(self) -> str:
        return self.text


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = self._tokens(text)
        self.i = 0
        self.parts: list[Comparison] = []

    @staticmethod
    def _tokens(text: str) -> list[str]:
        """Brackets, the words and/or/not, and the comparisons between them."""
        out: list[str] = []
        for piece in re.split(r"([()])", text):
            if piece in ("(", ")"):
                out.append(piece)
                continue
            out.extend(w.strip() for w in re.split(r"\b(and|or|not)\b", piece, flags=re.I) if w.strip())
        return out

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def word(self) -> str | None:
        t = self.peek()
        return t.lower() if t is not None and t.lower() in _WORDS else None

    def parse(self) -> Expr:
        if not self.toks:
            raise ConditionError("empty condition")
        e = self.any_of(0)
        if self.peek() is not None:
            raise ConditionError(f"cannot read condition {self.text.strip()!r}: unexpected {self.peek()!r}; {HOW}")
        return e

    def any_of(self, depth: int) -> Expr:
        items = [self.all_of(depth)]
        while self.word() == "or":
            self.i += 1
            items.append(self.all_of(depth))
        return items[0] if len(items) == 1 else AnyOf(tuple(items))

    def all_of(self, depth: int) -> Expr:
        items = [self.negated(depth)]
        while self.word() == "and":
            self.i += 1
            items.append(self.negated(depth))
        return items[0] if len(items) == 1 else AllOf(tuple(items))

    def negated(self, depth: int) -> Expr:
        if depth > _MAX_DEPTH:
            raise ConditionError(f"condition {self.text.strip()[:60]!r}…: too deeply nested")
        if self.word() == "not":
            self.i += 1
            inner = self.negated(depth + 1)
            if isinstance(inner, Comparison) and inner.op == "==" and inner.value is True:
                # "not disclosed" reads as the comparison disclosed == false, as it always has
                self.parts[-1] = Comparison(inner.var, "==", False)
                return self.parts[-1]
            return Not(inner)
        return self.atom(depth)

    def atom(self, depth: int) -> Expr:
        t = self.peek()
        if t == "(":
            self.i += 1
            e = self.any_of(depth + 1)
            if self.peek() != ")":
                raise ConditionError(f"cannot read condition {self.text.strip()!r}: a '(' is never closed")
            self.i += 1
            return e
        if t is None or t == ")" or t.lower() in _WORDS:
            what = "it ends" if t is None else f"{t!r} comes"
            raise ConditionError(f"cannot read condition {self.text.strip()!r}: {what} where a comparison "
                                 f"should be; {HOW}")
        self.i += 1
        m = _CMP.match(t)
        if m:
            raw = m.group(3).lower()
            value: int | bool = raw == "true" if raw in ("true", "false") else int(raw)
            self.parts.append(Comparison(m.group(1), m.group(2), value))
            return self.parts[-1]
        m = _BARE.match(t)
        if m:
            self.parts.append(Comparison(m.group(1), "==", True))
            return self.parts[-1]
        raise ConditionError(f"cannot read condition {t.strip()!r}: {HOW}")


def parse_condition(text: str) -> Condition:
    if len(text) > _MAX_LEN:
        raise ConditionError(f"condition is {len(text):,} characters long; keep it to one short line")
    p = _Parser(text)
    expr = p.parse()
    return Condition(text.strip(), tuple(p.parts), expr)
