"""What a reply can be at a turn, as far as its branches tell apart: each label, and each label with
a sub-kind some branch asks for ("empathic(exploration)"). walk and lint explore these."""

from __future__ import annotations

from roleplay.core.labels import LABELS
from roleplay.core.scenario.model import Node


def split_input(label: str) -> tuple[str, str | None]:
    """"empathic(exploration)" -> ("empathic", "exploration"); "empathic" -> ("empathic", None)."""
    if label.endswith(")") and "(" in label:
        head, _, kind = label[:-1].partition("(")
        return head, kind
    return label, None


def inputs(node: Node) -> list[str]:
    """What a reply can be at `node`, as far as its branches tell apart: each label, and each
    label with a sub-kind that some branch asks for."""
    out = list(LABELS)
    for b in node.branches:
        for label in (LABELS if "default" in b.on else b.on):
            out += [f"{label}({k})" for k in b.kinds if f"{label}({k})" not in out]
    return out


__all__ = ["inputs", "split_input"]
