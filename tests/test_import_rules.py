"""Imports flow one way: no cycles, the core never reaches the app or the command line, screens
and widgets never import the app, and the scorer's modules import in their documented order.
The browser lab (roleplay.serve) sits beside the app: neither imports the other, and only its
server module imports the web server (the `serve` extra), never at start-up.

The graph is read from the source (every import, including those inside functions), so a new
back edge fails here before anyone meets it as a circular import.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "roleplay"

# The core's rooms by rank: a room may import from its own rank or lower (the shared vocabulary,
# labels.py, assessment.py and content_notes.py, sits at the bottom with io).
ROOMS = {"io": 0, "labels": 0, "assessment": 0, "content_notes": 0, "scenario": 1, "session": 2, "scoring": 2,
         "authoring": 3, "reporting": 3}

# The scorer's rooms, lowest first: a module may import only from its own rank or lower.
SCORING_ORDER = ["literals", "textnorm", "rubric_shape", "rubric", "text", "cues", "features", "model", "explain", "wordtables",
                 "evaluation", "corpus", "metrics", "decide", "train"]


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=None)
def tree(path: Path) -> ast.Module:
    """One source file, parsed once per test run (every test here reads them all)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def imports_of(path: Path) -> frozenset[str]:
    mod = module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("roleplay"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("roleplay"):
                continue
            out.add(target)
            for a in node.names:  # "from . import common" names a module
                out.add(f"{target}.{a.name}")
    return frozenset(out)


def graph(extra: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    files = {module_name(p): p for p in SRC.rglob("*.py")}
    g = {m: {t for t in imports_of(p) if t in files and t != m} for m, p in files.items()}
    for m, targets in (extra or {}).items():
        g.setdefault(m, set()).update(targets)
    return g


def problems(g: dict[str, set[str]]) -> list[str]:
    found: list[str] = []
    # Cycles (depth-first search with colours).
    state: dict[str, int] = {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(g.get(m, ())):
            # A package's __init__ importing its own submodules lazily is not a cycle through them.
            if t.startswith(m + "."):
                continue
            if state.get(t) == 1:
                found.append("cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
            elif not state.get(t):
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(g):
        if not state.get(m):
            visit(m, [m])
    for m, targets in g.items():
        for t in targets:
            if m.startswith("roleplay.core") and t.startswith(("roleplay.tui", "roleplay.cli")):
                found.append(f"the core reaches out: {m} -> {t}")
            if m.startswith(("roleplay.core", "roleplay.tui")) and t.startswith("roleplay.serve"):
                found.append(f"the core or the app reaches the browser lab: {m} -> {t}")
            if m.startswith("roleplay.serve") and t.startswith(("roleplay.tui", "roleplay.cli")):
                found.append(f"the browser lab imports the app or the command line: {m} -> {t}")
            if m.startswith(("roleplay.tui.screens", "roleplay.tui.widgets")) and t == "roleplay.tui.app":
                found.append(f"a screen or widget imports the app: {m} -> {t}")
            if m.startswith("roleplay.tui.widgets") and t.startswith("roleplay.tui.screens"):
                found.append(f"a widget imports a screen: {m} -> {t}")
            if m.startswith("roleplay.core.") and t.startswith("roleplay.core."):
                rm, rt = m.split(".")[2], t.split(".")[2]
                if rm in ROOMS and rt in ROOMS and ROOMS[rt] > ROOMS[rm]:
                    found.append(f"the core imports upward, {rm} -> {rt}: {m} -> {t}")
            mp, tp = m.rpartition(".")[2], t.rpartition(".")[2]
            if m.startswith("roleplay.core.scoring.") and t.startswith("roleplay.core.scoring.") \
                    and mp in SCORING_ORDER and tp in SCORING_ORDER \
                    and SCORING_ORDER.index(tp) > SCORING_ORDER.index(mp):
                found.append(f"scoring imports upward: {m} -> {t}")
    return found


def test_the_imports_flow_one_way():
    assert problems(graph()) == []


@pytest.mark.parametrize("edge", [
    ("roleplay.core.scenario.model", "roleplay.core.session.engine"),  # closes a cycle through engine -> scenario
    ("roleplay.core.session.records", "roleplay.tui.app"),
    ("roleplay.tui.screens.session", "roleplay.tui.app"),
    ("roleplay.core.scoring.text", "roleplay.core.scoring.decide"),
    ("roleplay.core.io.paths", "roleplay.core.scenario.model"),
    ("roleplay.core.session.records", "roleplay.core.reporting.report"),
    ("roleplay.tui.app", "roleplay.serve.server"),
    ("roleplay.serve.access", "roleplay.tui.services"),
])
def test_a_back_edge_is_caught(edge):
    src, dst = edge
    assert problems(graph({src: {dst}})), f"{src} -> {dst} should be refused"


WEB = ("aiohttp", "aiohttp_jinja2", "textual_serve")


def test_only_the_lab_server_imports_the_web_server():
    """textual-serve is an extra: the trainer and every other command work without it."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n.split(".")[0] in WEB for n in names) and module_name(path) != "roleplay.serve.server":
                offenders.append(f"{module_name(path)} imports {names}")
    assert offenders == []


def test_the_command_line_starts_without_the_web_server():
    import subprocess
    import sys

    code = ("import sys, roleplay.cli; roleplay.cli.build_parser(); "
            f"print([m for m in {WEB!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
