"""The branching map of a scenario as Mermaid, Graphviz DOT, or plain text for a terminal.

Edges carry the labels that take them, the condition (if any) and the state changes; endings are
marked with their outcome. Pure: returns text.
"""

from __future__ import annotations

from roleplay.core.scenario.model import Branch, Node, Scenario

FORMATS = ("text", "mermaid", "dot")
EXCERPT = 60


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def effects_text(branch: Branch) -> str:
    """`trust +10, disclosed=true`, or ''."""
    bits = []
    for var, value in branch.effects.items():
        if isinstance(value, bool):
            bits.append(f"{var}={str(value).lower()}")
        else:
            bits.append(f"{var} {value:+d}")
    return ", ".join(bits)


def edge_label(branch: Branch) -> str:
    """`empathic [trust >= 40] (trust +10)`."""
    out = branch.on_text
    if branch.condition is not None:
        out += f" [{branch.condition.text}]"
    eff = effects_text(branch)
    if eff:
        out += f" ({eff})"
    return out


def _first_line(node: Node) -> str:
    return node.lines[0] if node.lines else ""


def _order(scenario: Scenario) -> list[Node]:
    """Nodes in the order a reader meets them: breadth-first from start, then any others."""
    seen: list[str] = []
    todo = [scenario.start]
    while todo:
        ident = todo.pop(0)
        if ident in seen or ident not in scenario.nodes:
            continue
        seen.append(ident)
        todo.extend(b.goto for b in scenario.nodes[ident].branches)
    seen += [i for i in scenario.nodes if i not in seen]
    return [scenario.nodes[i] for i in seen]


# --- text ---------------------------------------------------------------------------------

def to_text(scenario: Scenario, width: int = EXCERPT) -> str:
    out = [f"{scenario.id}: {scenario.title}", f"start: {scenario.start}"]
    for v in scenario.variables.values():
        if v.type == "int":
            out.append(f"state: {v.name} {v.min}..{v.max}, starts at {v.start}")
        else:
            out.append(f"state: {v.name} (true/false), starts {str(v.start).lower()}")
    out.append("")
    for node in _order(scenario):
        marks = " (start)" if node.id == scenario.start else ""
        variants = f" [+{len(node.lines) - 1} variant(s)]" if len(node.lines) > 1 else ""
        out.append(f"{node.id}{marks}: \"{excerpt(_first_line(node), width)}\"{variants}")
        for b in node.branches:
            target = scenario.endings.get(b.goto)
            tail = f" [ending, {target.outcome}]" if target else ""
            out.append(f"    {b.on_text}"
                       + (f" [{b.condition.text}]" if b.condition else "")
                       + f" -> {b.goto}"
                       + (f" ({effects_text(b)})" if b.effects else "")
                       + tail)
        out.append("")
    out.append("endings:")
    for e in scenario.endings.values():
        line = f" \"{excerpt(e.line_text, width)}\"" if e.line_text else ""
        out.append(f"    {e.id} [{e.outcome}] {e.title}{line}")
    return "\n".join(out) + "\n"


# --- mermaid ------------------------------------------------------------------------------

def _mm(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    # Mermaid's own entity codes (#NN;), so no HTML entity is left for a renderer to mangle.
    text = text.replace("#", "#35;")
    return (text.replace("&", "#38;").replace('"', "#quot;").replace("<", "#60;")
            .replace(">", "#62;").replace("|", "#124;").replace("\n", " "))


_OUTCOME_STYLE = {
    "positive": "fill:#d4f7d4,stroke:#2e7d32",
    "mixed": "fill:#fff4c2,stroke:#b08800",
    "negative": "fill:#f9d0d0,stroke:#b71c1c",
}


def to_mermaid(scenario: Scenario, width: int = 40) -> str:
    # Mermaid reserves a few words as node ids; prefix every id to stay clear of them.
    def mid(ident: str) -> str:
        return f"n_{ident}"

    out = ["flowchart TD"]
    for node in _order(scenario):
        text = f"{node.id}<br/>{_mm(excerpt(_first_line(node), width))}"
        out.append(f'    {mid(node.id)}["{text}"]')
    for e in scenario.endings.values():
        out.append(f'    {mid(e.id)}(["{_mm(e.title)}<br/>{e.outcome}"]):::{e.outcome}')
    out.append(f'    start(("start")) --> {mid(scenario.start)}')
    for node in _order(scenario):
        for b in node.branches:
            out.append(f'    {mid(node.id)} -->|"{_mm(edge_label(b))}"| {mid(b.goto)}')
    for outcome, style in _OUTCOME_STYLE.items():
        out.append(f"    classDef {outcome} {style}")
    return "\n".join(out) + "\n"


# --- dot ----------------------------------------------------------------------------------

def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_OUTCOME_COLOUR = {"positive": "#d4f7d4", "mixed": "#fff4c2", "negative": "#f9d0d0"}


def to_dot(scenario: Scenario, width: int = 40) -> str:
    out = [f"digraph {_dq(scenario.id)} {{",
           f"    label={_dq(scenario.title)};",
           "    rankdir=TB;",
           '    node [shape=box, style="rounded", fontname="Helvetica"];',
           '    edge [fontname="Helvetica", fontsize=10];',
           '    "__start__" [shape=point];',
           f'    "__start__" -> {_dq(scenario.start)};']
    for node in _order(scenario):
        out.append(f"    {_dq(node.id)} [label={_dq(node.id + chr(10) + excerpt(_first_line(node), width))}];")
    for e in scenario.endings.values():
        colour = _OUTCOME_COLOUR.get(e.outcome, "white")
        out.append(f"    {_dq(e.id)} [label={_dq(e.title + chr(10) + '(' + e.outcome + ')')}, "
                   f'shape=doubleoctagon, style=filled, fillcolor="{colour}"];')
    for node in _order(scenario):
        for b in node.branches:
            out.append(f"    {_dq(node.id)} -> {_dq(b.goto)} [label={_dq(edge_label(b))}];")
    out.append("}")
    return "\n".join(out) + "\n"


def render(scenario: Scenario, fmt: str) -> str:
    if fmt == "text":
        return to_text(scenario)
    if fmt == "mermaid":
        return to_mermaid(scenario)
    if fmt == "dot":
        return to_dot(scenario)
    raise ValueError(f"unknown graph format {fmt!r}; choose from {', '.join(FORMATS)}")


__all__ = ["FORMATS", "edge_label", "effects_text", "render", "to_dot", "to_mermaid", "to_text"]
