"""Label names as authors spell them: a known other spelling ("judgemental", "empathetic") is read
as the label it means, with a warning, so the scenario still plays while the author tidies it."""

from __future__ import annotations

from roleplay.core.io.diagnostics import Reporter
from roleplay.core.io.yamlload import YNode
from roleplay.core.labels import LABELS
from roleplay.core.scenario.shape import DOMAIN_SPELLINGS

ALIASES = {word: label for word, label in DOMAIN_SPELLINGS.items() if label in LABELS and word != label}


def _warn(r: Reporter | None, word: str, pos: tuple[int, int]) -> None:
    if r is not None:
        label = ALIASES[word.strip().lower()]
        r.warn(pos, "W105", f"{word!r} is read as the label {label}: write {label} to silence this warning")


def _label_texts(n: YNode | None, r: Reporter | None) -> None:
    """Rewrite aliases in a label or a list of labels, in place."""
    if n is None:
        return
    for x in (n.value if n.kind == "seq" else [n]):
        if x.kind == "scalar" and isinstance(x.value, str) and x.value.strip().lower() in ALIASES:
            _warn(r, x.value.strip(), x.pos)
            x.value = ALIASES[x.value.strip().lower()]


def normalise_labels(root: YNode, r: Reporter | None = None) -> None:
    """Read known spellings of the labels in branch `on:`, exemplar keys and test `labels:`."""
    def items(n: YNode | None) -> list[YNode]:
        return [x for x in n.value if x.kind == "map"] if n is not None and n.kind == "seq" else []

    if root.kind != "map":
        return
    for node in items(root.get("nodes")):
        ex = node.get("exemplars")
        if ex is not None and ex.kind == "map":
            for key in [k for k in ex.value if k.strip().lower() in ALIASES]:
                label = ALIASES[key.strip().lower()]
                if label in ex.value:
                    continue  # both spellings: the unknown key is reported with its suggestion
                _warn(r, key, ex.key_pos(key))
                ex.value = {(label if k == key else k): v for k, v in ex.value.items()}
                ex.keys = {(label if k == key else k): p for k, p in ex.keys.items()}
        for b in items(node.get("branches")):
            _label_texts(b.get("on"), r)
    for t in items(root.get("tests")):
        _label_texts(t.get("labels"), r)
