"""The labelled corpus: replies to client situations, each with its label, sub-kind and voice.

One JSON object a line: {"id", "situation", "client", "reply", "label", "kind", "voice", "hard"}.
`situation` groups replies to one client moment, so cross-validation never tests on a situation
it trained on. An instructor's file may leave out everything but "reply" and "label".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from roleplay.core.labels import KINDS, LABELS


@dataclass(frozen=True)
class Item:
    id: str
    situation: str
    client: str
    reply: str
    label: str
    kind: str = ""
    voice: str = ""
    hard: bool = False


class CorpusError(Exception):
    """A corpus line that cannot be used, with its file and line."""


def read_items(path: str | Path, lines: Iterable[str] | None = None, strict: bool = True) -> list[Item]:
    """Items of one JSONL file, read with the project's one JSON-lines reader (evaluation.read_jsonl:
    bad JSON, NaN, deep nesting and lone surrogates are handled there). Bad lines raise CorpusError
    (strict) or are skipped."""
    from .evaluation import read_jsonl

    path = Path(path)
    if lines is None:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    out: list[Item] = []
    for n, row, err in read_jsonl(lines, need_label=False):
        try:
            if err is not None:
                raise ValueError(err["error"])
            label, obj = row.label, row.extra
            if not row.reply.strip():
                raise ValueError('"reply" must be non-empty text')
            if label not in LABELS:
                raise ValueError(f'"label" must be one of {", ".join(LABELS)}')
            kind = obj.get("kind") or ""
            if kind and kind not in KINDS[label]:
                raise ValueError(f'"kind" {kind!r} is not a kind of {label} ({", ".join(KINDS[label])})')
        except ValueError as e:
            if strict:
                raise CorpusError(f"{path}:{n}: {e}") from None
            continue
        out.append(Item(str(row.id or f"{path.stem}:{n}"), str(obj.get("situation") or f"{path.stem}:{n}"),
                        row.client, row.reply, label, kind, str(obj.get("voice") or ""), row.hard))
    return out
