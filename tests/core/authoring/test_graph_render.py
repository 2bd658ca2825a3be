"""The branching map as text, Mermaid and DOT: labels, conditions and effects on edges; endings marked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roleplay.core.authoring.graph_render import edge_label, render, to_dot, to_mermaid, to_text
from roleplay.core.scenario.loader import load_scenario, parse_scenario
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def tiny():
    scenario, diags = load_scenario(FIXTURES / "tiny.yaml")
    assert scenario is not None, diags
    return scenario


def test_text_lists_every_turn_with_its_branches(tiny):
    text = to_text(tiny)
    assert 'hello (start): "Yeah, I missed it. Work ran late again." [+1 variant(s)]' in text
    assert "    empathic -> deeper (trust +10, opened_up=true)" in text
    assert "    judgmental [trust < 35] -> hung_up (trust -20) [ending, negative]" in text
    assert "    empathic [trust >= 45] -> rebooked (trust +10) [ending, positive]" in text
    assert "    default -> maybe_later [ending, mixed]" in text
    assert "state: trust 0..100, starts at 40" in text
    assert re.search(r"endings:\n    rebooked \[positive\] Rebooked", text)
    # the start comes first, then the order a reader meets the turns
    assert text.index("hello (start)") < text.index("\ndeeper:")


def test_text_excerpts_long_lines(tiny):
    from dataclasses import replace

    node = replace(tiny.nodes["deeper"], lines=("word " * 100,))
    sc = replace(tiny, nodes={**tiny.nodes, "deeper": node})
    line = next(x for x in to_text(sc).splitlines() if x.startswith("deeper:"))
    assert line.endswith('…"') and len(line) < 90


def test_edge_label(tiny):
    b = tiny.nodes["deeper"].branches[0]
    assert edge_label(b) == "empathic [trust >= 45] (trust +10)"


def test_mermaid(tiny):
    mm = to_mermaid(tiny)
    assert mm.startswith("flowchart TD\n")
    assert 'n_hello -->|"empathic (trust +10, opened_up=true)"| n_deeper' in mm
    assert 'n_hello -->|"judgmental [trust #60; 35] (trust -20)"| n_hung_up' in mm
    assert 'n_rebooked(["Rebooked<br/>positive"]):::positive' in mm
    assert "classDef negative" in mm
    assert 'start(("start")) --> n_hello' in mm


def test_mermaid_escapes_quotes_and_pipes():
    text = (FIXTURES / "tiny.yaml").read_text().replace(
        '"Yeah, I missed it. Work ran late again."', "'He said \"no\" | again & again'")
    sc, diags = parse_scenario(text, "t.yaml")
    assert sc is not None, diags
    line = next(x for x in to_mermaid(sc).splitlines() if x.strip().startswith("n_hello["))
    assert "#quot;no#quot; #124; again #38; again" in line
    assert line.count('"') == 2


def test_dot(tiny):
    dot = to_dot(tiny)
    assert dot.startswith('digraph "tiny" {')
    assert '"hello" -> "hung_up" [label="judgmental [trust < 35] (trust -20)"];' in dot
    assert '"hung_up" [label="Hung up\\n(negative)", shape=doubleoctagon' in dot
    assert dot.rstrip().endswith("}")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_dot_renders_with_graphviz(tiny):
    out = subprocess.run(["dot", "-Tsvg"], input=to_dot(tiny), capture_output=True, text=True, check=True)
    assert "<svg" in out.stdout


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["text", "mermaid", "dot"])
def test_every_builtin_renders_with_every_node_and_ending(path, fmt):
    sc, diags = load_scenario(path)
    assert sc is not None, diags
    out = render(sc, fmt)
    for ident in list(sc.nodes) + list(sc.endings):
        assert ident in out
    edges = sum(len(n.branches) for n in sc.nodes.values())
    if fmt == "mermaid":
        assert out.count("-->|") == edges
    if fmt == "dot":
        assert out.count('" -> "') == edges + 1  # and the start arrow


def test_unknown_format(tiny):
    with pytest.raises(ValueError):
        render(tiny, "svg")
