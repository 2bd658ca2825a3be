"""Load and validate a scenario file: shape, then meaning, then the branching graph.

Every problem is a Diagnostic with the file, line, column and a stable code. Nothing raises.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from roleplay.core.scenario import graph
from roleplay.core.scenario.conditions import ConditionError, parse_condition
from roleplay.core.io.diagnostics import Diagnostic, Reporter, has_errors
from roleplay.core.labels import LABELS
from roleplay.core.scenario.model import DEFAULT, Branch, Ending, Node, Persona, Scenario, ScenarioTest, Variable
from roleplay.core.scenario.shape import Field, load_document, parse_document, suggest
from roleplay.core.io.yamlload import YNode, text_of

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_ID = re.compile(ID_PATTERN)
_LABEL_OR_DEFAULT = LABELS + (DEFAULT,)
MAX_REPLIES = 15  # an ending within this many replies keeps a practice to 10-15 minutes

_TEXT = Field("str", required=True)
_TEXTS = Field("list", required=True, item=Field("str"), min_items=1)

SCENARIO_SHAPE = Field("map", doc="A roleplay scenario: one client, their turns, and the endings.", fields={
    "id": Field("str", True, "Stable identifier, lower_snake_case; the built-in name."),
    "title": Field("str", True, "Shown on the picker card."),
    "summary": Field("str", doc="One or two sentences for the picker card."),
    "difficulty": Field("str", doc="How hard the client is to reach.",
                        enum=("beginner", "intermediate", "advanced")),
    "minutes": Field("int", doc="Expected length of one practice, in minutes.", min=1, max=120),
    "rubric": Field("str", doc="A built-in rubric name or a path relative to this file."),
    "persona": Field("map", True, "Who the client is.", fields={
        "name": Field("str", True), "age": Field("int", True, min=1, max=120),
        "pronouns": Field("str", True),
        "setting": Field("str", True, "Where and why the student meets the client."),
        "briefing": Field("str", True, "What the student is told beforehand."),
        "mood": Field("str", True, "The client's opening mood."),
        "content_note": Field("str", True, "Sensitive themes, shown before the scenario starts."),
    }),
    "state": Field("dict", True, "State variables; `trust` (0-100) is required.",
                   key_pattern=ID_PATTERN, item=Field("map", fields={
                       "type": Field("str", True, enum=("int", "bool")),
                       "min": Field("int"), "max": Field("int"),
                       "start": Field("any", True, "Start value: a number for int, true/false for bool."),
                       "label": Field("str", doc="Display name."),
                   })),
    "start": Field("str", True, "Id of the first client turn."),
    "nodes": Field("list", True, "The client turns.", min_items=1, item=Field("map", fields={
        "id": Field("str", True, "Unique across nodes and endings."),
        "lines": Field("text_or_list", True, "What the client says: one or more variants."),
        "cue": Field("str", doc="A nonverbal cue, e.g. *arms crossed*."),
        "mood": Field("str", doc="The client's mood from this turn on."),
        "thought": Field("str", True, "The client's inner thought, revealed at the debrief."),
        "model_reply": Field("str", True, "A model empathic reply, offered after the turn."),
        "exemplars": Field("map", True, "Example student replies for each label.", fields={
            label: Field("text_or_list") for label in LABELS}),
        "branches": Field("list", True, "Tried in order; the first that matches is taken.", min_items=1,
                          item=Field("map", fields={
                              "on": Field("text_or_list", True, "A label, a list of labels, or default."),
                              "if": Field("str", doc="A condition on state, e.g. trust >= 60."),
                              "goto": Field("str", True, "A node id or an ending id."),
                              "effects": Field("dict", doc="int variables change by the number; bool are set.",
                                               item=Field("any")),
                              "reason": Field("str", doc="Shown to the student when state changes."),
                          })),
    })),
    "endings": Field("list", True, "How the conversation can end.", min_items=1, item=Field("map", fields={
        "id": Field("str", True), "title": Field("str", True),
        "outcome": Field("str", True, enum=("positive", "mixed", "negative")),
        "debrief": Field("str", True, "A paragraph for the student at the debrief."),
        "line": Field("str", doc="The client's last words."), "cue": Field("str"),
    })),
    "tests": Field("list", doc="Scenario tests run by `roleplay test`.", item=Field("map", fields={
        "name": Field("str", True),
        "replies": Field("list", doc="Scripted student replies, scored as usual.", item=Field("str")),
        "labels": Field("list", doc="Labels fed straight to the engine, bypassing the scorer.",
                        item=Field("str", enum=LABELS)),
        "expect": Field("map", True, fields={
            "ending": Field("str", doc="An ending id, or null when the script runs out first.", nullable=True),
            "state": Field("dict", doc="Conditions on the final state, e.g. trust: '>= 60'.", item=Field("any")),
        }),
    })),
})


def _texts(n: YNode | None) -> tuple[str, ...]:
    if n is None:
        return ()
    if n.kind == "seq":
        return tuple(str(x.value) for x in n.value if x.kind == "scalar" and x.value is not None)
    return (str(n.value),) if n.value is not None else ()


class _Builder(Reporter):
    """Turns a shape-checked document into a Scenario, reporting what only meaning can catch."""

    def __init__(self, path: str, root: YNode) -> None:
        super().__init__(path)
        self.root = root

    def build(self) -> Scenario | None:
        r = self.root.value
        variables = self._variables(r.get("state"))
        ids: dict[str, tuple[int, int]] = {}
        nodes: dict[str, Node] = {}
        endings: dict[str, Ending] = {}
        node_yn: dict[str, YNode] = {}
        for n in self._items(r.get("nodes")):
            node = self._node(n, variables)
            if node and self._claim_id(n, ids):
                nodes[node.id] = node
                node_yn[node.id] = n
        for e in self._items(r.get("endings")):
            ending = self._ending(e)
            if ending and self._claim_id(e, ids):
                endings[ending.id] = ending
        start = text_of(r.get("start"))
        if start and start not in nodes:
            hint = suggest(start, nodes)
            what = "an ending, not a client turn" if start in endings else "not a client turn"
            self.err(r["start"].pos, "E203", f"start {start!r} is {what}{hint}")
        self._check_targets(nodes, endings, node_yn)
        persona_n = r.get("persona")
        p = persona_n.value if persona_n is not None and persona_n.kind == "map" else {}
        persona = Persona(
            name=text_of(p.get("name")), age=p["age"].value if "age" in p else 0, pronouns=text_of(p.get("pronouns")),
            setting=text_of(p.get("setting")), briefing=text_of(p.get("briefing")), mood=text_of(p.get("mood")),
            content_note=text_of(p.get("content_note")))
        tests = tuple(self._test(t, endings, variables) for t in self._items(r.get("tests")))
        if has_errors(self.diags):
            return None
        if start in nodes:
            self._check_graph(start, nodes, endings, node_yn)
        if has_errors(self.diags):
            return None
        return Scenario(
            id=text_of(r.get("id")), title=text_of(r.get("title")), persona=persona, variables=variables,
            start=start, nodes=nodes, endings=endings,
            difficulty=text_of(r.get("difficulty"), "intermediate"),
            minutes=r["minutes"].value if "minutes" in r else 10,
            summary=text_of(r.get("summary")), rubric=text_of(r.get("rubric")) or None,
            tests=tests, path=self.path)

    @staticmethod
    def _items(n: YNode | None) -> list[YNode]:
        if n is None or n.kind != "seq":
            return []
        return [x for x in n.value if x.kind == "map"]

    def _claim_id(self, n: YNode, ids: dict[str, tuple[int, int]]) -> bool:
        ident = text_of(n.get("id"))
        pos = n.value["id"].pos
        if not _ID.match(ident):
            self.err(pos, "E105", f"id {ident!r} must be lower_snake_case (letters, digits, _)")
            return False
        if ident in ids:
            self.err(pos, "E201", f"duplicate id {ident!r} (first defined at line {ids[ident][0]})")
            return False
        ids[ident] = pos
        return True

    def _variables(self, n: YNode | None) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        if n is None or n.kind != "map":
            return out
        for name, vn in n.value.items():
            if vn.kind != "map":
                continue
            pos = n.key_pos(name)
            if not _ID.match(name):
                self.err(pos, "E105", f"variable name {name!r} must be lower_snake_case")
                continue
            v = vn.value
            vtype = text_of(v.get("type"))
            start = v["start"].value if "start" in v else None
            if vtype == "bool":
                if not isinstance(start, bool):
                    self.err(v["start"].pos if "start" in v else vn.pos, "E305",
                             f"state.{name}.start must be true or false for a bool variable")
                    continue
                out[name] = Variable(name, "bool", start, 0, 1, text_of(v.get("label")))
            elif vtype == "int":
                lo = v["min"].value if "min" in v else None
                hi = v["max"].value if "max" in v else None
                if lo is None or hi is None:
                    self.err(vn.pos, "E103", f"state.{name} is an int and needs both min and max")
                    continue
                if not (isinstance(lo, int) and isinstance(hi, int)):
                    continue  # the shape check has reported it
                if lo >= hi:
                    self.err(v["max"].pos, "E305", f"state.{name}: max ({hi}) must be greater than min ({lo})")
                    continue
                if isinstance(start, bool) or not isinstance(start, int) or not lo <= start <= hi:
                    self.err(v["start"].pos if "start" in v else vn.pos, "E305",
                             f"state.{name}.start must be a whole number from {lo} to {hi}, not {start!r}")
                    continue
                out[name] = Variable(name, "int", start, lo, hi, text_of(v.get("label")))
        if "trust" not in n.value:
            self.err(n.pos, "E306", "state must declare `trust` (type: int, min: 0, max: 100): "
                     "the student sees it as the client's trust")
        elif "trust" in out and out["trust"].type != "int":
            self.err(n.value["trust"].pos, "E306", "state.trust must be an int variable")
        return out

    def _node(self, n: YNode, variables: dict[str, Variable]) -> Node | None:
        v = n.value
        if "id" not in v:
            return None
        ident = text_of(v["id"])
        ex_n = v.get("exemplars")
        exemplars = {}
        if ex_n is not None and ex_n.kind == "map":
            exemplars = {label: _texts(ex_n.value.get(label)) for label in LABELS}
        branches = []
        for b in self._items(v.get("branches")):
            br = self._branch(b, ident, variables)
            if br:
                branches.append(br)
        self._check_coverage(n, ident, branches)
        return Node(id=ident, lines=_texts(v.get("lines")), thought=text_of(v.get("thought")),
                    model_reply=text_of(v.get("model_reply")), exemplars=exemplars,
                    branches=tuple(branches), cue=text_of(v.get("cue")), mood=text_of(v.get("mood")), line=n.line)

    def _branch(self, b: YNode, node_id: str, variables: dict[str, Variable]) -> Branch | None:
        v = b.value
        on = _texts(v.get("on"))
        ok = True
        for label in on:
            if label not in _LABEL_OR_DEFAULT:
                self.err(v["on"].pos, "E105", f"branch `on` must be a label ({', '.join(_LABEL_OR_DEFAULT)}), "
                         f"not {label!r}{suggest(label, _LABEL_OR_DEFAULT)}")
                ok = False
        cond = None
        if "if" in v:
            try:
                cond = parse_condition(text_of(v["if"]))
            except ConditionError as exc:
                self.err(v["if"].pos, "E304", str(exc))
                ok = False
            else:
                ok = self._check_condition(v["if"], cond, variables) and ok
        effects: dict[str, int | bool] = {}
        eff_n = v.get("effects")
        if eff_n is not None and eff_n.kind == "map":
            for name, en in eff_n.value.items():
                pos = eff_n.key_pos(name)
                var = variables.get(name)
                if var is None:
                    self.err(pos, "E301", f"effect on undeclared variable {name!r}{suggest(name, variables)}")
                    ok = False
                    continue
                val = en.value
                if var.type == "bool":
                    if not isinstance(val, bool):
                        self.err(en.pos, "E104", f"effect on bool variable {name!r} must be true or false")
                        ok = False
                        continue
                else:
                    if isinstance(val, bool) or not isinstance(val, int):
                        self.err(en.pos, "E104", f"effect on {name!r} must be a whole number such as +10 or -5")
                        ok = False
                        continue
                    span = var.max - var.min
                    if abs(val) > span:
                        self.err(en.pos, "E302", f"effect {name}: {val:+d} is outside the variable's range "
                                 f"({var.min}..{var.max}: a change of at most {span})")
                        ok = False
                        continue
                effects[name] = val
            if effects and not text_of(v.get("reason")):
                self.warn(b.pos, "W101", f"branch in {node_id!r} changes state but gives no `reason` "
                          "for the student to see")
        if not ok or "goto" not in v:
            return None
        return Branch(on=on, goto=text_of(v["goto"]), condition=cond, effects=effects,
                      reason=text_of(v.get("reason")), line=b.line)

    def _check_condition(self, n: YNode, cond: Any, variables: dict[str, Variable]) -> bool:
        ok = True
        for part in cond.parts:
            var = variables.get(part.var)
            if var is None:
                self.err(n.pos, "E301", f"condition uses undeclared variable {part.var!r}"
                         f"{suggest(part.var, variables)}")
                ok = False
            elif var.type == "bool" and not isinstance(part.value, bool) or \
                    var.type == "int" and isinstance(part.value, bool):
                self.err(n.pos, "E104", f"condition compares {var.type} variable {part.var!r} "
                         f"with {str(part.value).lower()}")
                ok = False
            elif var.type == "int" and not var.min <= part.value <= var.max:
                self.err(n.pos, "E303", f"condition `{part}` compares with a value outside "
                         f"{part.var}'s range ({var.min}..{var.max})")
                ok = False
            elif var.type == "bool" and part.op not in ("==", "!="):
                self.err(n.pos, "E304", f"condition `{part}`: a bool can only be compared with == or !=")
                ok = False
        return ok

    def _check_coverage(self, n: YNode, ident: str, branches: list[Branch]) -> None:
        if "branches" not in n.value:
            return
        plain = [b for b in branches if b.condition is None]
        missing = [label for label in LABELS if not any(b.matches(label) for b in plain)]
        if missing:
            self.err(n.key_pos("branches"), "E206",
                     f"client turn {ident!r} has no branch for {', '.join(missing)} and no `default` "
                     "(a branch with no `if` must catch every label)")

    def _ending(self, e: YNode) -> Ending | None:
        v = e.value
        if "id" not in v:
            return None
        return Ending(id=text_of(v["id"]), title=text_of(v.get("title")), outcome=text_of(v.get("outcome")),
                      debrief=text_of(v.get("debrief")), line_text=text_of(v.get("line")), cue=text_of(v.get("cue")),
                      line=e.line)

    def _check_targets(self, nodes: dict[str, Node], endings: dict[str, Ending],
                       node_yn: dict[str, YNode]) -> None:
        known = list(nodes) + list(endings)
        for ident, yn in node_yn.items():
            for bn in self._items(yn.get("branches")):
                goto = bn.get("goto")
                if goto is not None and text_of(goto) and text_of(goto) not in nodes and text_of(goto) not in endings:
                    self.err(goto.pos, "E202", f"branch target {text_of(goto)!r} does not exist"
                             f"{suggest(text_of(goto), known)}")

    def _check_graph(self, start: str, nodes: dict[str, Node], endings: dict[str, Ending],
                     node_yn: dict[str, YNode]) -> None:
        edges = {i: [b.goto for b in n.branches] for i, n in nodes.items()}
        seen = graph.reachable(start, edges)
        for ident in nodes:
            if ident not in seen:
                self.err(node_yn[ident].value["id"].pos, "E204",
                         f"client turn {ident!r} cannot be reached from start {start!r}")
        for e in endings.values():
            if e.id not in seen:
                self.warn((e.line, 1), "W102", f"ending {e.id!r} cannot be reached from start {start!r}")
        finishing = graph.can_reach(set(endings), edges)
        for ident in nodes:
            if ident in seen and ident not in finishing:
                self.err(node_yn[ident].value["id"].pos, "E205",
                         f"no ending can be reached from client turn {ident!r}")
        longest = graph.longest_path(start, edges)
        root_pos = self.root.value["start"].pos
        if longest is None:
            self.warn(root_pos, "W103", "the branches form a loop: a conversation could go on without "
                      "reaching an ending")
        elif longest > MAX_REPLIES:
            self.warn(root_pos, "W104", f"the longest path takes {longest} replies to reach an ending; "
                      f"keep it within {MAX_REPLIES} for a 10-15 minute practice")

    def _test(self, t: YNode, endings: dict[str, Ending], variables: dict[str, Variable]) -> ScenarioTest:
        v = t.value
        exp = v.get("expect")
        ending = None
        state: dict[str, str] = {}
        if exp is not None and exp.kind == "map":
            en = exp.value.get("ending")
            if en is not None and en.value is not None:
                ending = text_of(en)
                if ending not in endings:
                    self.err(en.pos, "E202", f"test expects ending {ending!r}, which does not exist"
                             f"{suggest(ending, endings)}")
            sn = exp.value.get("state")
            if sn is not None and sn.kind == "map":
                for name, cn in sn.value.items():
                    if name not in variables:
                        self.err(sn.key_pos(name), "E301",
                                 f"test checks undeclared variable {name!r}{suggest(name, variables)}")
                        continue
                    text = str(cn.value).lower() if isinstance(cn.value, bool) else str(cn.value)
                    if not re.match(r"^\s*(>=|<=|==|!=|>|<)", text):
                        text = f"== {text}"
                    try:
                        parse_condition(f"{name} {text}")
                    except ConditionError as exc:
                        self.err(cn.pos, "E304", str(exc))
                        continue
                    state[name] = text
        if "replies" not in v and "labels" not in v:
            self.err(t.pos, "E103", "a test needs `replies` or `labels`")
        return ScenarioTest(name=text_of(v.get("name")), replies=_texts(v.get("replies")) if "replies" in v else None,
                            labels=_texts(v.get("labels")) if "labels" in v else None,
                            expect_ending=ending, expect_state=state, line=t.line)


def parse_scenario(source: str | bytes, path: str = "<scenario>") -> tuple[Scenario | None, list[Diagnostic]]:
    return parse_document(source, path, SCENARIO_SHAPE, _Builder,
                          "scenario (id:, persona:, nodes: ...)")


def load_scenario(path: str | Path) -> tuple[Scenario | None, list[Diagnostic]]:
    return load_document(str(path), parse_scenario)
