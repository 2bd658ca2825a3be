"""How well a scorer agrees with labelled replies: accuracy, macro-F1, per-label P/R/F1, confusion."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from roleplay.core.labels import LABELS


@dataclass
class LabelStats:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Metrics:
    n: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, LabelStats]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    labels: tuple[str, ...] = LABELS

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n, "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
            "per_label": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4),
                              "f1": round(v.f1, 4), "support": v.support} for k, v in self.per_label.items()},
            "confusion": self.confusion,
        }


def metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = LABELS) -> Metrics:
    """Metrics over the labels; macro-F1 averages the labels that occur in gold or predictions."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in length")
    labels = tuple(labels) + tuple(sorted({x for x in list(gold) + list(pred) if x not in labels}))
    conf = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        conf[g][p] += 1
    per: dict[str, LabelStats] = {}
    f1s: list[float] = []
    for lab in labels:
        tp = conf[lab][lab]
        fp = sum(conf[g][lab] for g in labels if g != lab)
        fn = sum(conf[lab][p] for p in labels if p != lab)
        support = tp + fn
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / support if support else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = LabelStats(prec, rec, f1, support)
        if support or tp + fp:
            f1s.append(f1)
    n = len(gold)
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / n if n else 0.0
    return Metrics(n, acc, sum(f1s) / len(f1s) if f1s else 0.0, per, conf, labels)


def format_metrics(m: Metrics, title: str = "") -> list[str]:
    lines = []
    if title:
        lines.append(title)
    lines.append(f"replies: {m.n}")
    lines.append(f"accuracy: {m.accuracy:.3f}")
    lines.append(f"macro-F1: {m.macro_f1:.3f}")
    lines.append("")
    lines.append(f"{'label':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for lab in m.labels:
        s = m.per_label[lab]
        lines.append(f"{lab:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8}")
    lines.append("")
    short = {lab: lab[:5] for lab in m.labels}
    lines.append("confusion (rows: gold, columns: predicted)")
    lines.append(f"{'':<12}" + "".join(f"{short[p]:>7}" for p in m.labels))
    for g in m.labels:
        lines.append(f"{g:<12}" + "".join(f"{m.confusion[g][p]:>7}" for p in m.labels))
    return lines


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_decode = json.JSONDecoder(parse_constant=_no_constant).decode  # json.loads would build one per line


def clean_text(text: str) -> str:
    """Text as it can be printed and saved: a lone surrogate (half of a UTF-16 pair, which JSON
    can carry but UTF-8 cannot) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def echo_id(ident: Any) -> str | int | float | None:
    """An id as it can be echoed in JSON: text, a finite number or null. A number too large for
    a float (1e999) is read as infinity, which JSON cannot carry: it is echoed as text."""
    if isinstance(ident, float) and not math.isfinite(ident):
        return "Infinity" if ident > 0 else "-Infinity" if ident < 0 else "NaN"
    if isinstance(ident, (dict, list)):
        return json.dumps(ident, ensure_ascii=False)
    if isinstance(ident, bool) or not isinstance(ident, (str, int, float, type(None))):
        return str(ident)
    return clean_text(ident) if isinstance(ident, str) else ident


@dataclass
class Row:
    line: int
    id: Any
    client: str
    reply: str
    label: str
    hard: bool = False
    extra: dict = field(default_factory=dict)


def read_jsonl(lines: Iterable[str], need_label: bool, start: int = 1) -> Iterator[tuple[int, Row | None, dict | None]]:
    """Parse JSON lines: (line number, Row, None) or (line number, None, error record).

    Blank lines are skipped. An error record is {"id": <id or None>, "line": N, "error": "..."}.
    """
    for n, raw in enumerate(lines, start):
        if not raw.strip():
            continue
        try:
            # (json.loads refuses a byte-order mark with its own message; keep that)
            obj = json.loads(raw, parse_constant=_no_constant) if raw.startswith("\ufeff") else _decode(raw)
        except RecursionError:  # a line nested thousands deep: this line fails, the batch goes on
            yield n, None, {"id": None, "line": n, "error": "not valid JSON: nested too deeply"}
            continue
        except (json.JSONDecodeError, ValueError) as exc:
            yield n, None, {"id": None, "line": n, "error": f"not valid JSON: {exc.msg if hasattr(exc, 'msg') else exc}"}
            continue
        if not isinstance(obj, dict):
            yield n, None, {"id": None, "line": n, "error": "a line must be a JSON object"}
            continue
        ident = echo_id(obj.get("id"))
        reply = obj.get("reply")
        if not isinstance(reply, str):
            yield n, None, {"id": ident, "line": n,
                            "error": "missing \"reply\"" if reply is None else "\"reply\" must be a string"}
            continue
        client = obj.get("client")
        if client is None:
            client = ""
        if not isinstance(client, str):
            yield n, None, {"id": ident, "line": n, "error": "\"client\" must be a string"}
            continue
        label = obj.get("label")
        if need_label and label not in LABELS:
            what = "missing \"label\"" if label is None else f"unknown label {label!r}"
            yield n, None, {"id": ident, "line": n, "error": f"{what} (one of {', '.join(LABELS)})"}
            continue
        yield n, Row(n, ident, clean_text(client), clean_text(reply), label if isinstance(label, str) else "",
                     obj.get("hard") is True, obj), None
