"""`roleplay lint`: everything `validate` reports, plus what makes a scenario hard to teach with.

Checks (all warnings, codes stable):

- L201-L205 what only playing it through can show: an ending, a turn or a branch that no reachable
  state gets to (e.g. every way in needs `trust >= 90` but trust never gets above 70 there), a loop
  a conversation can go round for ever, a longest play over 15 replies. Found by a bounded search
  of (turn, state) pairs (walk.explore); L209 when the search hit its bound. L206-L207 (lint_lines)
  lines said where what they take for granted does not hold, and variants never said.
- L210-L211 exemplars: a turn without an exemplar for some label; one text under two labels.
- L220-L221 (information, not warnings) the scorer: an exemplar the model alone labels differently from
  the author; a model reply it does not call empathic. In play the author's label stands.
- L230-L232 overlong text: client lines over 400, exemplars over 300, model replies over 400 characters.
- L240 a content note of "none" in a scenario whose text mentions sensitive themes.
- L250 placeholder text (TODO, TBD, ..., lorem ipsum) in anything the student sees.
- L260 no `tests:` section.

Pure: returns diagnostics. The scorer is passed in (None skips the scorer checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from roleplay.core.assessment import Context, Scorer
from roleplay.core.io.diagnostics import Diagnostic, Reporter, sort_key
from roleplay.core.labels import LABELS
from roleplay.core.scenario.label_spelling import normalise_labels
from roleplay.core.scenario.loader import MAX_REPLIES, parse_scenario
from roleplay.core.scenario.model import Node, Scenario
from roleplay.core.authoring.lint_lines import CODES as LINE_CODES, line_checks
from roleplay.core.authoring.walk import MAX_STATES, StateGraph, explore, inputs, split_input, step
from roleplay.core.io.yamlload import YNode, load_yaml, read_source

MAX_CLIENT_LINE = 400
MAX_EXEMPLAR = 300
MAX_MODEL_REPLY = 400

CODES: dict[str, str] = {
    "L201": "an ending that no reachable state can get to",
    "L202": "a branch that is never taken in any reachable state",
    "L203": "a client turn that no reachable state can get to",
    "L204": "a loop: a conversation can go round for ever",
    "L205": "the longest play (with state) takes more than 15 replies",
    **LINE_CODES,
    "L209": "the state search stopped at its bound; the L20x checks are incomplete",
    "L210": "a client turn without an exemplar for some label",
    "L211": "the same exemplar under two labels",
    "L220": "an exemplar the scorer labels differently from the author",
    "L221": "a model reply the scorer does not label empathic",
    "L229": "the scorer failed on a text",
    "L230": "a client line over 400 characters",
    "L231": "an exemplar over 300 characters",
    "L232": "a model reply over 400 characters",
    "L240": "content note is 'none' but the scenario mentions sensitive themes",
    "L250": "placeholder text (TODO, TBD, ..., lorem ipsum)",
    "L260": "no tests: section",
}

_PLACEHOLDER = re.compile(r"^\s*(?:\.{3}|…|-|\?+)\s*$|\b(?:TODO|TBD|FIXME|XXX|lorem ipsum)\b", re.I)
_NONE_NOTE = re.compile(r"^\s*(?:none|n/?a|-|no|nothing)\.?\s*$", re.I)
_SENSITIVE = re.compile(
    r"\b(suicid\w*|self[- ]harm\w*|kill (?:my|him|her|them)sel(?:f|ves)|overdos\w*|abus\w*|"
    r"assault\w*|rap(?:e|ed|ist)|violen\w*|dying|died|death|dead|funeral|grie(?:f|ving)|cancer|"
    r"terminal(?:ly)? ill|miscarr\w*|neglect\w*|drunk|alcohol\w*|drugs?|heroin|meth|weapon|gun|knife|"
    r"bruis\w*|removal|custody|deport\w*|eviction|homeless\w*|trauma\w*)\b", re.I)


@dataclass
class LintResult:
    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic]
    notes: list[str] = field(default_factory=list)  # e.g. "scorer not available: ..."

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_warning)


class _Linter(Reporter):
    def __init__(self, path: str, scenario: Scenario, root: YNode) -> None:
        super().__init__(path)
        self.sc = scenario
        self.root = root
        self.node_yn: dict[str, YNode] = {}
        self.ending_yn: dict[str, YNode] = {}
        for key, target in (("nodes", self.node_yn), ("endings", self.ending_yn)):
            seq = root.get(key)
            for n in (seq.value if seq is not None and seq.kind == "seq" else []):
                ident = n.get("id")
                if n.kind == "map" and ident is not None:
                    target[str(ident.value)] = n

    # --- positions ---------------------------------------------------------------------------

    def _at(self, n: YNode | None, *keys: Any) -> tuple[int, int]:
        """The position of n[key][key]..., falling back to the deepest one found."""
        pos = n.pos if n is not None else (1, 1)
        for k in keys:
            if n is None:
                break
            if isinstance(k, int):
                if n.kind == "seq" and k < len(n.value):
                    n = n.value[k]
                    pos = n.pos
                else:
                    break
            elif n.kind == "map" and k in n.value:
                n = n.value[k]
                pos = n.pos
            else:
                break
        return pos

    def _texts_at(self, n: YNode | None) -> list[tuple[str, tuple[int, int]]]:
        if n is None:
            return []
        if n.kind == "seq":
            return [(str(x.value), x.pos) for x in n.value if x.kind == "scalar" and x.value is not None]
        return [(str(n.value), n.pos)] if n.value is not None else []

    def branch_pos(self, node_id: str, index: int) -> tuple[int, int]:
        return self._at(self.node_yn.get(node_id), "branches", index)

    def node_pos(self, node_id: str) -> tuple[int, int]:
        return self._at(self.node_yn.get(node_id), "id")

    # --- state search ------------------------------------------------------------------------

    def state_checks(self, graph: StateGraph, graph_longest: bool) -> None:
        sc = self.sc
        if not graph.complete:
            self.warn(self._at(self.root, "start"), "L209",
                      f"the state search stopped at {MAX_STATES:,} (turn, state) pairs; endings, turns and "
                      "branches it did not reach may still be reachable")
            return
        states_at: dict[str, list[dict]] = {}
        for point in graph.edges:
            states_at.setdefault(point[0], []).append(graph.state_dict(point[1]))
        taken = graph.branches_taken()
        reached_endings = set(graph.endings_reached())
        for ident in sc.nodes:
            if ident not in states_at:
                why = self._into(ident, states_at)
                self.warn(self.node_pos(ident), "L203",
                          f"client turn {ident!r} can never be reached: {why}")
        for ident, node in sc.nodes.items():
            if ident not in states_at:
                continue
            for i, b in enumerate(node.branches):
                if b.on == ("default",) and b.condition is None:
                    continue  # a safety net after branches that already catch every label is fine
                if (ident, i) not in taken:
                    self.warn(self.branch_pos(ident, i), "L202",
                              f"branch {i + 1} of {ident!r} ({b.on_text}"
                              f"{' if ' + b.condition.text if b.condition else ''} -> {b.goto}) is never "
                              f"taken: {self._why_not(node, i, states_at[ident])}")
        for e in sc.endings.values():
            feeds = [(n, i) for n in sc.nodes.values() for i, b in enumerate(n.branches) if b.goto == e.id]
            if e.id in reached_endings or not feeds:
                continue  # unreachable in the graph itself is the loader's W102
            self.warn(self._at(self.ending_yn.get(e.id), "id"), "L201",
                      f"ending {e.id!r} can never be reached: {self._into(e.id, states_at)}")
        loop = graph.find_loop()
        if loop is not None:
            cycle = " -> ".join(p[0] for p in loop)
            first = loop[0]
            state = ", ".join(f"{k} {_fmt(v)}" for k, v in graph.state_dict(first[1]).items())
            self.warn(self.node_pos(first[0]), "L204",
                      f"a conversation can go round for ever: {cycle} (state {state} every time); "
                      "give the loop an exit that state reaches, e.g. a lower-trust ending")
        elif not graph_longest:
            stats = graph.path_stats()
            if stats is not None and stats.longest > MAX_REPLIES:
                self.warn(self._at(self.root, "start"), "L205",
                          f"the longest play takes {stats.longest} replies to reach an ending; keep it "
                          f"within {MAX_REPLIES} for a 10-15 minute practice")

    def _ranges(self, states: list[dict], names: Iterable[str]) -> str:
        bits = []
        for name in dict.fromkeys(names):
            vals = [s[name] for s in states if name in s]
            if not vals:
                continue
            lo, hi = min(vals), max(vals)
            bits.append(f"{name} is {_fmt(lo)}" if lo == hi else f"{name} is {_fmt(lo)}..{_fmt(hi)}")
        return " and ".join(bits)

    def _why_not(self, node: Node, index: int, states: list[dict]) -> str:
        b = node.branches[index]
        labels = [lb for lb in inputs(node) if b.matches(*split_input(lb))]
        if b.condition is not None and not any(b.condition.holds(s) for s in states):
            where = self._ranges(states, (p.var for p in b.condition.parts))
            return f"`{b.condition.text}` never holds here ({where} at this turn)"
        # Where its condition holds it would match, so whatever was taken instead stands above it.
        live = [s for s in states if b.condition is None or b.condition.holds(s)]
        earlier = sorted({step(self.sc, node, s, lb)[0] + 1 for s in live for lb in labels})
        which = ", ".join(str(i) for i in earlier)
        return (f"branch{'es' if len(earlier) > 1 else ''} {which} above always take{'s' if len(earlier) == 1 else ''} "
                f"{'/'.join(labels)} first")

    def _into(self, target: str, states_at: dict[str, list[dict]]) -> str:
        reasons = []
        for node in self.sc.nodes.values():
            for i, b in enumerate(node.branches):
                if b.goto != target:
                    continue
                if node.id not in states_at:
                    reasons.append(f"{node.id!r} is never reached")
                elif b.condition is not None and not any(b.condition.holds(s) for s in states_at[node.id]):
                    where = self._ranges(states_at[node.id], (p.var for p in b.condition.parts))
                    reasons.append(f"from {node.id!r} it needs `{b.condition.text}`, but {where} there")
                else:
                    reasons.append(f"from {node.id!r}: {self._why_not(node, i, states_at[node.id])}")
        return "; ".join(dict.fromkeys(reasons)) or "no branch leads to it"

    # --- text ----------------------------------------------------------------------------------

    def text_checks(self) -> None:
        sc = self.sc
        for ident, node in sc.nodes.items():
            yn = self.node_yn.get(ident)
            for text, pos in self._texts_at(yn.get("lines") if yn else None):
                if len(text) > MAX_CLIENT_LINE:
                    self.warn(pos, "L230", f"client line in {ident!r} is {len(text)} characters; keep it under "
                              f"{MAX_CLIENT_LINE} so it fits the conversation panel")
            if len(node.model_reply) > MAX_MODEL_REPLY:
                self.warn(self._at(yn, "model_reply"), "L232",
                          f"model reply in {ident!r} is {len(node.model_reply)} characters; keep it under "
                          f"{MAX_MODEL_REPLY}: students copy its shape, and long ones read as speeches")
            ex_n = yn.get("exemplars") if yn else None
            missing = [lb for lb in LABELS if not node.exemplars.get(lb)]
            if missing:
                self.warn(self._at(yn, "exemplars") if ex_n is not None else self.node_pos(ident), "L210",
                          f"client turn {ident!r} has no exemplar for {', '.join(missing)}: the scorer "
                          "compares replies with the turn's exemplars, and the debrief shows them")
            seen: dict[str, str] = {}
            for label in LABELS:
                for text, pos in self._texts_at(ex_n.get(label) if ex_n is not None else None):
                    if len(text) > MAX_EXEMPLAR:
                        self.warn(pos, "L231", f"{label} exemplar in {ident!r} is {len(text)} characters; keep "
                                  f"exemplars under {MAX_EXEMPLAR}, as long as a typed reply")
                    key = " ".join(text.lower().split())
                    if key in seen and seen[key] != label:
                        self.warn(pos, "L211", f"the same exemplar is listed as {seen[key]} and {label} "
                                  f"in {ident!r}: {_quote(text)}")
                    seen.setdefault(key, label)
        self.content_note()
        self.placeholders()
        if not sc.tests:
            self.warn(self.root.pos, "L260", "no `tests:` section: add a few scripted runs (labels or replies) "
                      "with the ending you expect, and run them with `roleplay test`")

    def content_note(self) -> None:
        sc = self.sc
        if not _NONE_NOTE.match(sc.persona.content_note):
            return
        corpus = [sc.persona.briefing, sc.persona.setting, sc.summary]
        for n in sc.nodes.values():
            corpus += list(n.lines) + [n.thought]
        for e in sc.endings.values():
            corpus += [e.line_text, e.debrief]
        found = sorted({m.group(0).lower() for t in corpus for m in _SENSITIVE.finditer(t or "")})
        if found:
            self.warn(self._at(self.root, "persona", "content_note"), "L240",
                      f"content note is {sc.persona.content_note!r}, but the scenario mentions "
                      f"{', '.join(found[:8])}: say what students will meet before they start")

    def placeholders(self) -> None:
        def check(n: YNode | None, where: str) -> None:
            for text, pos in self._texts_at(n):
                if _PLACEHOLDER.search(text):
                    self.warn(pos, "L250", f"{where} looks like a placeholder: {_quote(text)}")

        persona = self.root.get("persona")
        for key in ("briefing", "setting", "content_note", "mood"):
            check(persona.get(key) if persona is not None else None, f"persona.{key}")
        for key in ("title", "summary"):
            check(self.root.get(key), key)
        for ident, yn in self.node_yn.items():
            for key in ("lines", "thought", "model_reply", "cue"):
                check(yn.get(key), f"{key} of {ident!r}")
            ex = yn.get("exemplars")
            for label in LABELS:
                check(ex.get(label) if ex is not None else None, f"{label} exemplar of {ident!r}")
            for i, b in enumerate(self.sc.nodes[ident].branches if ident in self.sc.nodes else ()):
                if b.reason and _PLACEHOLDER.search(b.reason):
                    self.warn(self._at(yn, "branches", i, "reason"), "L250",
                              f"reason of branch {i + 1} of {ident!r} looks like a placeholder: {_quote(b.reason)}")
        for ident, yn in self.ending_yn.items():
            for key in ("title", "debrief", "line", "cue"):
                check(yn.get(key), f"{key} of ending {ident!r}")

    # --- scorer --------------------------------------------------------------------------------

    def scorer_checks(self, scorer: Scorer) -> tuple[int, int]:
        """Returns (exemplars checked, exemplars the scorer labels differently)."""
        checked = differ = 0
        for ident, node in self.sc.nodes.items():
            yn = self.node_yn.get(ident)
            ex_n = yn.get("exemplars") if yn else None
            client = node.lines[0] if node.lines else ""
            for label in LABELS:
                for text, pos in self._texts_at(ex_n.get(label) if ex_n is not None else None):
                    # Leave this exemplar out: a student typing it word for word would match it,
                    # which says nothing; the question is what the rubric and the others make of it.
                    others = {lb: tuple(x for x in node.exemplars.get(lb, ()) if x != text) for lb in LABELS}
                    got = self._assess(scorer, text, Context(client, others, node.model_reply or None), pos)
                    if got is None:
                        continue
                    checked += 1
                    if got.label != label:
                        differ += 1
                        kinds = f" ({', '.join(got.kinds)})" if got.kinds else ""
                        # In play the exemplar is in the context; say when even that does not rescue it.
                        full = self._assess(scorer, text, Context(client, dict(node.exemplars),
                                                                  node.model_reply or None), pos)
                        verbatim = (f"; even typed word for word it is labelled {full.label}"
                                    if full is not None and full.label != label else "")
                        # Information, not a fault: in play this exemplar and its near paraphrases
                        # take the author's label; the note shows where the model reads otherwise.
                        self.info(pos, "L220",
                                  f"in {ident!r} the model alone says {got.label}{kinds}, the author says {label}"
                                  f"{verbatim} (in play, this exemplar and near paraphrases are labelled "
                                  f"{label}): {_quote(text)}")
            if node.model_reply:
                pos = self._at(yn, "model_reply")
                others = {lb: tuple(node.exemplars.get(lb, ())) for lb in LABELS}
                got = self._assess(scorer, node.model_reply, Context(client, others, None), pos)
                if got is not None and got.label != "empathic":
                    kinds = f" ({', '.join(got.kinds)})" if got.kinds else ""
                    full = self._assess(scorer, node.model_reply, Context(client, others, node.model_reply), pos)
                    verbatim = (f"; even typed word for word it is labelled {full.label}"
                                if full is not None and full.label != "empathic" else "")
                    self.info(pos, "L221",
                              f"the model reply of {ident!r} is labelled {got.label}{kinds} by the model alone, not "
                              f"empathic{verbatim}: {_quote(node.model_reply)}")
        return checked, differ

    def _assess(self, scorer: Scorer, text: str, ctx: Context, pos: tuple[int, int]):
        try:
            return scorer.assess(text, ctx)
        except Exception as exc:  # a scorer bug must not hide the rest of the report
            self.warn(pos, "L229", f"the scorer failed on this text ({type(exc).__name__}: {exc})")
            return None


def _fmt(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _quote(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= width else text[:width - 1] + "…"}"'


def lint_source(source: str | bytes, path: str, scorer: Scorer | None = None,
                max_states: int = MAX_STATES) -> LintResult:
    scenario, diags = parse_scenario(source, path)
    result = LintResult(path, scenario, list(diags))
    if scenario is None:
        return result
    root, _ = load_yaml(source, path)
    assert root is not None
    normalise_labels(root)  # exemplars under `judgemental:` are the judgmental ones, as in the scenario
    linter = _Linter(path, scenario, root)
    linter.text_checks()
    graph_longest = any(d.code in ("W104",) for d in diags)
    graph = explore(scenario, max_states)
    linter.state_checks(graph, graph_longest)
    line_checks(linter, graph)
    if scorer is not None:
        checked, differ = linter.scorer_checks(scorer)
        if checked:
            result.notes.append(f"the rubric agrees with {checked - differ} of {checked} exemplars "
                                f"({differ / checked:.0%} labelled differently: L220)")
    else:
        result.notes.append("the scorer is not available: exemplars and model replies were not checked (L220, L221)")
    result.diagnostics = sorted(result.diagnostics + linter.diags, key=sort_key)
    return result


def lint_file(path: str | Path, scorer: Scorer | None = None, max_states: int = MAX_STATES) -> LintResult:
    path = str(path)
    source, diags = read_source(path)
    if source is None:
        return LintResult(path, None, diags)
    return lint_source(source, path, scorer, max_states)


__all__ = ["CODES", "LintResult", "lint_file", "lint_source"]
