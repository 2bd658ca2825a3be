"""Load and validate a scenario file: shape, then meaning, then the branching graph.

Every problem is a Diagnostic with the file, line, column and a stable code. Nothing raises.
"""

from __future__ import annotations

from pathlib import Path

from roleplay.core.io.diagnostics import Diagnostic, Reporter, has_errors
from roleplay.core.io.paths import builtin_dir
from roleplay.core.io.yamlload import YNode, text_of
from roleplay.core.labels import LABELS
from roleplay.core.scenario import graph
from roleplay.core.scenario.label_spelling import normalise_labels
from roleplay.core.scenario.model import DEFAULT, Branch, Ending, Node, Persona, Scenario, ScenarioTest, plain_texts
from roleplay.core.scenario.scenario_shape import SCENARIO_SHAPE
from roleplay.core.scenario.shape import load_document, parse_document, suggest
from roleplay.core.scenario.state_rules import ID_PATTERN, StateRules, id_problem, snake_case
from roleplay.core.scenario.turn_parts import TurnParts

_LABEL_OR_DEFAULT = LABELS + (DEFAULT,)
MAX_REPLIES = 15  # an ending within this many replies keeps a practice to 10-15 minutes


def _texts(n: YNode | None) -> tuple[str, ...]:
    if n is None:
        return ()
    if n.kind == "seq":
        return tuple(str(x.value) for x in n.value if x.kind == "scalar" and x.value is not None)
    return (str(n.value),) if n.value is not None else ()


class _Builder(Reporter):
    """Turns a shape-checked document into a Scenario, reporting what only meaning can catch.

    A broken declaration (a state variable, a turn's id) is reported once; its uses are not.
    """

    def __init__(self, path: str, root: YNode) -> None:
        super().__init__(path)
        self.root = root
        self.rules = StateRules(self)
        self.parts = TurnParts(self, self.rules)
        self.broken_ids: set[str] = set()  # turns and endings whose id is wrong: reported there

    def build(self) -> Scenario | None:
        r = self.root.value
        variables = self.rules.declare(r.get("state"))
        self._top_id(r.get("id"))
        self._rubric(r.get("rubric"))
        ids: dict[str, tuple[int, int]] = {}
        nodes: dict[str, Node] = {}
        endings: dict[str, Ending] = {}
        node_yn: dict[str, YNode] = {}
        for n in self._items(r.get("nodes")):
            node = self._node(n)
            if self._claim_id(n, ids) and node:
                nodes[node.id] = node
                node_yn[node.id] = n
        for e in self._items(r.get("endings")):
            ending = self._ending(e)
            if self._claim_id(e, ids) and ending:
                endings[ending.id] = ending
        start = text_of(r.get("start"))
        if start and start not in nodes and start not in self.broken_ids:
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
        tests = tuple(self._test(t, nodes, endings) for t in self._items(r.get("tests")))
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

    def _top_id(self, n: YNode | None) -> None:
        ident = text_of(n)
        problem = id_problem(ident, "id") if ident else None
        if problem and n is not None:
            self.err(n.pos, "E105", problem)

    def _rubric(self, n: YNode | None) -> None:
        """A rubric that does not exist is refused here, not when a student first replies."""
        name = text_of(n)
        if not name or name == "default" or n is None:
            return
        builtin = sorted(p.stem for p in builtin_dir("rubrics").glob("*.yaml"))
        if name in builtin:
            return
        p = Path(name).expanduser()
        if not p.is_absolute():
            p = Path(self.path).parent / p
        try:
            if p.is_file():
                return
        except OSError:
            pass
        if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
            self.err(n.pos, "E107", f"there is no rubric file {name!r} (a rubric path is relative to this "
                     "scenario's folder)")
        else:
            self.err(n.pos, "E107", f"there is no rubric called {name!r}{suggest(name, builtin)}: use a built-in "
                     f"rubric ({', '.join(builtin)}) or the path of a rubric file, relative to this scenario")

    def _claim_id(self, n: YNode, ids: dict[str, tuple[int, int]]) -> bool:
        idn = n.value.get("id")
        if idn is None or idn.kind != "scalar" or not text_of(idn):
            return False  # the shape check has reported it
        ident = text_of(idn)
        problem = id_problem(ident, "id")
        if problem:
            self.err(idn.pos, "E105", problem)
            self.broken_ids.update((ident, snake_case(ident)))  # uses may already be spelt the new way
            return False
        if ident in ids:
            self.err(idn.pos, "E201", f"duplicate id {ident!r} (first defined at line {ids[ident][0]})")
            return False
        ids[ident] = idn.pos
        return True

    def _node(self, n: YNode) -> Node | None:
        v = n.value
        if "id" not in v:
            return None
        ident = text_of(v["id"])
        ex_n = v.get("exemplars")
        exemplars = {}
        if ex_n is not None and ex_n.kind == "map":
            exemplars = {label: _texts(ex_n.value.get(label)) for label in LABELS}
        branches = []
        sound = True  # every branch read without an error: only then can missing labels be told
        for i, b in enumerate(self._items(v.get("branches"))):
            before = len(self.diags)
            br = self._branch(b, ident, i + 1)
            sound = sound and br is not None and not has_errors(self.diags[before:])
            if br:
                branches.append(br)
        bn = v.get("branches")
        if sound and bn is not None and bn.kind == "seq" and all(x.kind == "map" for x in bn.value):
            self._check_coverage(n, ident, branches)
        variants, _ = self.parts.lines(v.get("lines"), f"in turn {ident!r}")
        trap, _ = self.parts.trap(v.get("trap"), f"in turn {ident!r}")
        return Node(id=ident, lines=plain_texts(variants), thought=text_of(v.get("thought")),
                    model_reply=text_of(v.get("model_reply")), exemplars=exemplars,
                    branches=tuple(branches), cue=text_of(v.get("cue")), mood=text_of(v.get("mood")), line=n.line,
                    variants=variants, trap=trap)

    def _branch(self, b: YNode, node_id: str, number: int) -> Branch | None:
        place = f"in turn {node_id!r}, branch {number}"
        v = b.value
        on = _texts(v.get("on"))
        ok = True
        for label in on:
            if label not in _LABEL_OR_DEFAULT:
                self.err(v["on"].pos, "E105", f"`on` {place} must be a label ({', '.join(_LABEL_OR_DEFAULT)}), "
                         f"not {label!r}{suggest(label, _LABEL_OR_DEFAULT)}")
                ok = False
        cond = None
        if "if" in v:
            cond, good = self.rules.condition(v["if"], place)
            ok = ok and good
        kinds, good = self.parts.kinds(v.get("kind"), on, place)
        ok = ok and good
        effects: dict[str, int | bool] = {}
        assign: dict[str, int] = {}
        eff_n = v.get("effects")
        if eff_n is not None and eff_n.kind == "map":
            effects, assign, good = self.rules.effects(eff_n, place)
            ok = ok and good
            if eff_n.value and not text_of(v.get("reason")):
                self.warn(b.pos, "W101", f"branch {number} of turn {node_id!r} changes state but gives no "
                          "`reason` for the student to see")
        reactions, good = self.parts.lines(v.get("reaction"), place, "reaction")
        trap, good2 = self.parts.trap(v.get("trap"), place)
        if not (ok and good and good2) or "goto" not in v:
            return None
        return Branch(on=on, goto=text_of(v["goto"]), condition=cond, effects=effects,
                      reason=text_of(v.get("reason")), line=b.line, kinds=kinds, assign=assign,
                      reactions=reactions, trap=trap)

    def _check_coverage(self, n: YNode, ident: str, branches: list[Branch]) -> None:
        plain = [b for b in branches if b.condition is None and not b.kinds]
        missing = [label for label in LABELS if not any(b.matches(label) for b in plain)]
        if missing:
            self.err(n.key_pos("branches"), "E206",
                     f"client turn {ident!r} has no branch for {', '.join(missing)} and no `default` "
                     "(a branch with no `if` must catch every label)")

    def _ending(self, e: YNode) -> Ending | None:
        v = e.value
        if "id" not in v:
            return None
        variants, _ = self.parts.lines(v.get("line"), f"in ending {text_of(v['id'])!r}")
        fallback = next((x.text.strip() for x in variants if x.condition is None), "")
        return Ending(id=text_of(v["id"]), title=text_of(v.get("title")), outcome=text_of(v.get("outcome")),
                      debrief=text_of(v.get("debrief")), line_text=fallback, cue=text_of(v.get("cue")),
                      line=e.line, variants=variants)

    def _check_targets(self, nodes: dict[str, Node], endings: dict[str, Ending],
                       node_yn: dict[str, YNode]) -> None:
        known = list(nodes) + list(endings)
        for ident, yn in node_yn.items():
            for i, bn in enumerate(self._items(yn.get("branches"))):
                goto = bn.get("goto")
                target = text_of(goto)
                if goto is None or not target or target in nodes or target in endings or target in self.broken_ids:
                    continue
                self.err(goto.pos, "E202", f"branch target {target!r} in turn {ident!r}, branch {i + 1} "
                         f"does not exist{suggest(target, known)}")

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

    def _test(self, t: YNode, nodes: dict[str, Node], endings: dict[str, Ending]) -> ScenarioTest:
        v = t.value
        place = f"test {text_of(v.get('name'))!r}" if text_of(v.get("name")) else f"the test at line {t.line}"
        exp = v.get("expect")
        ending = None
        state: dict[str, str] = {}
        if exp is not None and exp.kind == "map":
            en = exp.value.get("ending")
            if en is not None and en.value is not None:
                ending = text_of(en)
                if ending in nodes:
                    self.err(en.pos, "E202", f"{place} expects ending {ending!r}, which is a client turn, not an "
                             f"ending{suggest(ending, endings)}")
                elif ending not in endings and ending not in self.broken_ids:
                    self.err(en.pos, "E202", f"{place} expects ending {ending!r}, which does not exist"
                             f"{suggest(ending, endings)}")
            sn = exp.value.get("state")
            if sn is not None and sn.kind == "map":
                state = self.rules.expectations(sn, place)
        self._test_labels(t.get("labels"), place)
        if "replies" not in v and "labels" not in v:
            self.err(t.pos, "E103", f"{place} needs `replies` or `labels`")
        elif "replies" in v and "labels" in v:
            later = max(("replies", "labels"), key=lambda k: t.key_pos(k))
            self.err(t.key_pos(later), "E106", f"{place} has both `labels` and `replies`: keep one (labels are "
                     "fed straight to the engine, replies are scored first)")
        exp = exp if exp is not None and exp.kind == "map" else None
        return ScenarioTest(name=text_of(v.get("name")), replies=_texts(v.get("replies")) if "replies" in v else None,
                            labels=_texts(v.get("labels")) if "labels" in v else None,
                            expect_ending=ending, expect_state=state, line=t.line,
                            expect_reaction=text_of(exp.get("reaction")) if exp is not None else "")

    def _test_labels(self, n: YNode | None, place: str) -> None:
        """`labels:` items are a label, or label/kind (`empathic/exploration`) for a sub-kind."""
        for x in self.parts_items(n):
            label, _, kind = text_of(x).partition("/")
            label, kind = label.strip(), kind.strip()
            if label not in LABELS:
                self.err(x.pos, "E105", f"{place}: {label!r} is not a label ({', '.join(LABELS)})"
                         f"{suggest(label, LABELS)}")
            elif kind:
                self.parts.kinds(YNode(kind, x.line, x.col, "scalar"), (label,), f"in {place}")

    @staticmethod
    def parts_items(n: YNode | None) -> list[YNode]:
        return [x for x in n.value if x.kind == "scalar" and x.value is not None] if n is not None and n.kind == "seq" else []


def parse_scenario(source: str | bytes, path: str = "<scenario>") -> tuple[Scenario | None, list[Diagnostic]]:
    return parse_document(source, path, SCENARIO_SHAPE, _Builder,
                          "scenario (id:, persona:, nodes: ...)", prepare=normalise_labels)


def load_scenario(path: str | Path) -> tuple[Scenario | None, list[Diagnostic]]:
    return load_document(str(path), parse_scenario)


__all__ = ["ID_PATTERN", "MAX_REPLIES", "SCENARIO_SHAPE", "load_scenario", "parse_scenario"]
