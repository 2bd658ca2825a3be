"""The scenario's state: declared variables, and the effects, conditions and test expectations on them.

One root cause, one message: a variable whose declaration is broken is reported once, at its
declaration, and its uses are not reported again ("effect on undeclared variable" for every branch).
"""

from __future__ import annotations

import re
from typing import Any

from roleplay.core.io.diagnostics import Reporter
from roleplay.core.io.yamlload import YNode, text_of
from roleplay.core.labels import LABELS
from roleplay.core.scenario.conditions import Condition, ConditionError, parse_condition
from roleplay.core.scenario.model import Variable
from roleplay.core.scenario.shape import suggest

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID = re.compile(ID_PATTERN)
_OP = re.compile(r"^\s*(>=|<=|==|!=|>|<)")
_QUOTED_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_SET = re.compile(r"^\s*=\s*([+-]?\d{1,30})\s*$")  # `trust: = 10` sets trust to 10
# What authors write for the operators and joins, and what they mean. Tried in turn; a rewrite is
# offered only if the condition then reads.
_FIXES = ((r"=>", ">="), (r"=<", "<="), (r"≥", ">="), (r"≤", "<="), (r"≠", "!="), (r"<>", "!="),
          (r"(?<![<>=!])=(?!=)", "=="), (r"\bis not\b", "!="), (r"\bis\b", "=="), (r"\bequals\b", "=="),
          (r"&&|&|,", " and "), (r"\|\||\|", " or "), (r"\bAND\b", "and"), (r"\bTrue\b", "true"),
          (r"\bFalse\b", "false"))


def _shown(n: YNode) -> str:
    if n.kind != "scalar":
        return "a list" if n.kind == "seq" else "a mapping"
    return f"{n.value!r}" if isinstance(n.value, str) else str(n.value).lower()


def snake_case(text: str) -> str:
    """The lower_snake_case an author probably meant: "Foster Placement" -> "foster_placement"."""
    out = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    return ("x_" + out if out[:1].isdigit() else out) or "x"


def id_problem(ident: str, what: str) -> str | None:
    """The message for an id or variable name that is not lower_snake_case, or None."""
    if ID.match(ident):
        return None
    return f"{what} {ident!r} must be lower_snake_case (small letters, digits and _): write {snake_case(ident)}"


def fix_condition(text: str, parse=parse_condition) -> str | None:
    """The condition meant, when a common slip (=>, =, &&) is why `text` does not read; else None."""
    fixed = text
    for pattern, repl in _FIXES:
        fixed = re.sub(pattern, repl, fixed)
    fixed = " ".join(fixed.split())
    if fixed == " ".join(text.split()):
        return None
    try:
        parse(fixed)
    except ConditionError:
        return None
    return fixed


class StateRules:
    """Checks what refers to state, knowing which declarations are broken (and so already reported)."""

    def __init__(self, reporter: Reporter) -> None:
        self.r = reporter
        self.variables: dict[str, Variable] = {}
        self.broken: set[str] = set()  # declared, but the declaration is wrong: reported there
        self.all_broken = False  # `state:` itself is missing or not a mapping: the shape check said so

    def declare(self, n: YNode | None) -> dict[str, Variable]:
        if n is None or n.kind != "map":
            self.all_broken = True
            return self.variables
        for name, vn in n.value.items():
            var = self._variable(name, vn, n.key_pos(name)) if vn.kind == "map" else None
            if var is None:
                self.broken.add(name)
            else:
                self.variables[name] = var
        if "trust" not in n.value:
            self.r.err(n.pos, "E306", "state must declare `trust` (type: int, min: 0, max: 100): "
                       "the student sees it as the client's trust")
        elif "trust" in self.variables and self.variables["trust"].type != "int":
            self.r.err(n.value["trust"].pos, "E306", "state variable 'trust' must be an int (type: int, min: 0, max: 100)")
        return self.variables

    def _variable(self, name: str, vn: YNode, pos: tuple[int, int]) -> Variable | None:
        problem = id_problem(name, "variable name")
        if problem:
            self.r.err(pos, "E105", problem)
            return None
        v = vn.value
        vtype = text_of(v.get("type"))
        start = v["start"].value if "start" in v else None
        start_pos = v["start"].pos if "start" in v else vn.pos
        quotes = ": remove the quotes" if isinstance(start, str) and _QUOTED_INT.match(start) else ""
        if vtype == "bool":
            if not isinstance(start, bool):
                self.r.err(start_pos, "E305", f"start in state variable {name!r} must be true or false for a bool variable")
                return None
            return Variable(name, "bool", start, 0, 1, text_of(v.get("label")))
        if vtype != "int":
            return None  # the shape check has reported the type
        lo = v["min"].value if "min" in v else None
        hi = v["max"].value if "max" in v else None
        if lo is None or hi is None:
            self.r.err(vn.pos, "E103", f"state variable {name!r} is an int and needs both min and max")
            return None
        if not (isinstance(lo, int) and isinstance(hi, int)) or isinstance(lo, bool) or isinstance(hi, bool):
            return None  # the shape check has reported it
        if lo >= hi:
            self.r.err(v["max"].pos, "E305", f"max in state variable {name!r} ({hi}) must be greater than min ({lo})")
            return None
        if isinstance(start, bool) or not isinstance(start, int) or not lo <= start <= hi:
            shown = f'the text "{start.strip()}"' if quotes else repr(start)
            self.r.err(start_pos, "E305",
                       f"start in state variable {name!r} must be a whole number from {lo} to {hi}, not {shown}{quotes}")
            return None
        return Variable(name, "int", start, lo, hi, text_of(v.get("label")))

    def known(self, name: str) -> bool:
        """Whether a use of `name` needs no message: declared, or its declaration already has one."""
        return name in self.variables or name in self.broken or self.all_broken

    def _undeclared(self, name: str) -> str:
        if name in LABELS:
            return f"{name!r}, which is a label, not a state variable (labels go in `on:`; `if:` tests the state)"
        return f"undeclared variable {name!r}{suggest(name, self.variables)}"

    def effects(self, eff_n: YNode, place: str) -> tuple[dict[str, int | bool], dict[str, int], bool]:
        """The effects of one branch: the changes (int: by; bool: set), the ints set to a value
        (`= 10`), and whether they are all usable. A bare number is read as a change, as files
        written before `+`/`=` did, with a warning (W106)."""
        effects: dict[str, int | bool] = {}
        assign: dict[str, int] = {}
        ok = True
        for name, en in eff_n.value.items():
            var = self.variables.get(name)
            if var is None:
                if not self.known(name):
                    self.r.err(eff_n.key_pos(name), "E301", f"effect {place} on {self._undeclared(name)}")
                    ok = False
                continue
            val = en.value
            setting = _SET.match(val) if isinstance(val, str) else None
            if var.type == "bool" and not isinstance(val, bool):
                self.r.err(en.pos, "E104", f"effect {place} on bool variable {name!r} must be true or false")
                ok = False
            elif var.type == "bool":
                effects[name] = val
            elif setting is not None:
                target = int(setting.group(1))
                if not var.min <= target <= var.max:
                    self.r.err(en.pos, "E302", f"effect {name}: = {target} {place} sets a value outside the "
                               f"variable's range ({var.min}..{var.max})")
                    ok = False
                else:
                    assign[name] = target
            elif isinstance(val, bool) or not isinstance(val, int):
                quotes = (f', not the text "{val.strip()}": remove the quotes'
                          if isinstance(val, str) and _QUOTED_INT.match(val) else
                          f', or a new value such as "= 10", not {_shown(en)}')
                self.r.err(en.pos, "E104", f"effect {place} on {name!r} must be a whole number such as +10 "
                           f"or -5{quotes}")
                ok = False
            elif abs(val) > var.max - var.min:
                self.r.err(en.pos, "E302", f"effect {name}: {val:+d} {place} is outside the variable's range "
                           f"({var.min}..{var.max}: a change of at most {var.max - var.min})")
                ok = False
            else:
                if en.raw and en.raw.strip()[:1] not in "+-":
                    self.r.warn(en.pos, "W106", f"effect {name}: {en.raw.strip()} {place} is a bare number, read "
                                f"as a change: write {name}: +{val} to change {name} by {val}, or "
                                f"{name}: \"= {val}\" to set it to {val}")
                effects[name] = val
        return effects, assign, ok

    def condition(self, n: YNode, place: str) -> tuple[Condition | None, bool]:
        """A branch's `if:`, parsed and checked; (None, True) when the shape check has reported it."""
        if n.kind != "scalar" or not isinstance(n.value, str):
            return None, True
        text = text_of(n)
        try:
            cond = parse_condition(text)
        except ConditionError as exc:
            fixed = fix_condition(text)
            self.r.err(n.pos, "E304", f"cannot read the condition {text!r} {place} "
                       f'(did you mean "{fixed}"?)' if fixed else str(exc))
            return None, False
        return cond, self._check(n, cond, place)

    def _check(self, n: YNode, cond: Any, place: str) -> bool:
        ok = True
        for part in cond.parts:
            var = self.variables.get(part.var)
            if var is None:
                if not self.known(part.var):
                    self.r.err(n.pos, "E301", f"condition {place} uses {self._undeclared(part.var)}")
                    ok = False
            elif var.type == "bool" and not isinstance(part.value, bool) or \
                    var.type == "int" and isinstance(part.value, bool):
                self.r.err(n.pos, "E104", f"condition {place} compares {var.type} variable {part.var!r} "
                           f"with {str(part.value).lower()}")
                ok = False
            elif var.type == "int" and not var.min <= part.value <= var.max:
                self.r.err(n.pos, "E303", f"condition `{part}` {place} compares with a value outside "
                           f"{part.var}'s range ({var.min}..{var.max})")
                ok = False
            elif var.type == "bool" and part.op not in ("==", "!="):
                self.r.err(n.pos, "E304", f"condition `{part}` {place}: a bool can only be compared with == or !=")
                ok = False
        return ok

    def expectations(self, sn: YNode, place: str) -> dict[str, str]:
        """A test's `expect.state`: a condition per variable (`trust: ">= 60"`), or a value meaning ==."""
        state: dict[str, str] = {}
        for name, cn in sn.value.items():
            if name not in self.variables:
                if not self.known(name):
                    self.r.err(sn.key_pos(name), "E301", f"{place} checks {self._undeclared(name)}")
                continue
            text = str(cn.value).lower() if isinstance(cn.value, bool) else str(cn.value)
            fixed = None if _OP.match(text) else fix_condition(f"{name} {text}")
            hint = f' (did you mean "{fixed[len(name) + 1:]}"?)' if fixed and fixed.startswith(name + " ") else ""
            if hint:  # "=> 60": an operator slip, not a value to compare with
                self.r.err(cn.pos, "E304", f"{place} cannot read the expected {name} {text!r}{hint}")
                continue
            if not _OP.match(text):
                text = f"== {text}"
            try:
                parse_condition(f"{name} {text}")
            except ConditionError:
                self.r.err(cn.pos, "E304", f"{place} cannot read the expected {name} {str(cn.value)!r}: write a "
                           "value, or an operator and a value, such as \">= 60\"")
                continue
            state[name] = text
        return state
