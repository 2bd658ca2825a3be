"""Drill items from the labelled corpus: which client situations a drill may use, and which it picks.

A situation is drillable when the corpus marks it fit for practice (`practice: true`: the line
reads well on its own and is not graphic) and it has at least one empathic reply to show as an
example. The corpus is found where the scorer finds it: builtin_dir("rubrics") / "corpus".
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from roleplay.core.labels import EMPATHIC, KINDS

SITUATIONS = "situations.jsonl"
REPLIES = "replies.jsonl"
MAX_PROBLEMS = 5  # bad situation lines named in a message; the rest are counted
FOCUS_POOL = 3  # a focused drill picks its n lines from the 3n situations where the kind is most tempting

# Which voice an example is taken from, cleanest first: a student copies what they are shown,
# so formal or plain English beats typo-heavy chat.
VOICE_RANK = {"formal_trainee": 0, "older_professional": 1, "": 2, "long_two_move": 3, "nervous_beginner": 4,
              "terse": 5, "non_native": 6, "forum_peer": 7, "student_chat": 8}
EMPATHIC_KIND_RANK = {k: i for i, k in enumerate(KINDS[EMPATHIC])}
ALL_KINDS = tuple(k for kinds in KINDS.values() for k in kinds)


class DrillCorpusError(Exception):
    """The corpus cannot be read at all (a missing or unreadable file), in words for a student."""


@dataclass(frozen=True)
class DrillItem:
    situation: str
    area: str
    setting: str  # one sentence: where we are and who is talking
    client: str  # what the client says
    content: tuple[str, ...]  # content-note tags (content_notes.CONTENT_TAGS)
    example: str  # one empathic reply from the corpus for this situation
    example_kind: str = ""
    kinds: Mapping[str, float] = field(default_factory=dict, compare=False, hash=False)  # sub-kind -> share of replies

    def temptation(self, kind: str) -> float:
        """The share of this situation's corpus replies that carry `kind`: how much the line invites it."""
        return self.kinds.get(kind, 0.0)

    def excluded_by(self, excluded: Iterable[str]) -> bool:
        """Whether a content tag or the area of this situation is among `excluded`."""
        keys = set(excluded)
        return self.area in keys or any(t in keys for t in self.content)


def corpus_dir() -> Path:
    from roleplay.core.io.paths import builtin_dir

    return builtin_dir("rubrics") / "corpus"


def _example_key(reply) -> tuple:
    return (VOICE_RANK.get(reply.voice, len(VOICE_RANK)), reply.hard,
            EMPATHIC_KIND_RANK.get(reply.kind, len(EMPATHIC_KIND_RANK)), len(reply.reply) > 240, reply.id)


def _situation(obj: object) -> tuple[str, str, str, str, tuple[str, ...], bool]:
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object")
    texts = []
    for key in ("situation", "area", "setting", "client"):
        v = obj.get(key)
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f'"{key}" must be non-empty text')
        texts.append(" ".join(v.split()))
    content = obj.get("content", [])
    if not isinstance(content, list) or not all(isinstance(t, str) for t in content):
        raise ValueError('"content" must be a list of tags')
    practice = obj.get("practice")
    if not isinstance(practice, bool):
        raise ValueError('"practice" must be true or false')
    return texts[0], texts[1], texts[2], texts[3], tuple(t.strip() for t in content if t.strip()), practice


def parse(situation_lines: Iterable[str], replies: Sequence) -> tuple[list[DrillItem], list[str]]:
    """The drillable items from situation lines and the corpus's replies (scoring.corpus.Item).
    Returns (items in file order, problems); a bad line is skipped and named."""
    by_situation: dict[str, list] = defaultdict(list)
    for r in replies:
        by_situation[r.situation].append(r)
    items: list[DrillItem] = []
    problems: list[str] = []
    bad = 0
    seen: set[str] = set()
    for n, raw in enumerate(situation_lines, 1):
        if not raw.strip():
            continue
        try:
            ident, area, setting, client, content, practice = _situation(json.loads(raw))
        except (ValueError, RecursionError) as exc:
            bad += 1
            if bad <= MAX_PROBLEMS:
                problems.append(f"{SITUATIONS}:{n}: skipped ({exc})")
            continue
        answers = by_situation.get(ident, [])
        empathic = [r for r in answers if r.label == EMPATHIC]
        if not practice or not empathic or ident in seen:
            continue
        seen.add(ident)
        best = min(empathic, key=_example_key)
        counts = Counter(r.kind for r in answers if r.kind)
        kinds = {k: c / len(answers) for k, c in counts.items()}
        items.append(DrillItem(ident, area, setting, client, content, best.reply, best.kind, kinds))
    if bad > MAX_PROBLEMS:
        problems.append(f"{SITUATIONS}: {bad - MAX_PROBLEMS} more bad line(s) skipped")
    return items, problems


def load_items(folder: Path | None = None) -> tuple[list[DrillItem], list[str]]:
    """The drillable items of a corpus folder (the built-in one by default), and any problems.
    Raises DrillCorpusError when a file is missing or unreadable."""
    from roleplay.core.scoring.corpus import read_items

    folder = Path(folder) if folder is not None else corpus_dir()
    try:
        lines = (folder / SITUATIONS).read_text(encoding="utf-8", errors="replace").splitlines()
        replies = read_items(folder / REPLIES, strict=False)
    except OSError as exc:
        raise DrillCorpusError(f"The drill corpus in {folder} cannot be read "
                               f"({exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}).") from None
    return parse(lines, replies)


def areas(items: Iterable[DrillItem]) -> list[str]:
    """The areas the items come from, most items first."""
    counts = Counter(it.area for it in items)
    return sorted(counts, key=lambda a: (-counts[a], a))


def choose(items: Sequence[DrillItem], n: int, *, focus: str | None = None, area: str | None = None,
           excluded: Iterable[str] = (), seed: int = 0, avoid: Iterable[str] = ()) -> list[DrillItem]:
    """Up to `n` items for one drill, the same for the same arguments.

    - `area` keeps one setting area; `excluded` drops every item whose area or content tag it names.
    - `focus` (a sub-kind) keeps the situations where that kind is most tempting: the `FOCUS_POOL` x n
      with the largest share of corpus replies carrying it, and picks among them.
    - `avoid` (situation ids, e.g. recently drilled) are used only when there are too few others.
    """
    excluded = set(excluded)
    pool = [it for it in items if (area is None or it.area == area) and not it.excluded_by(excluded)]
    if focus is not None:
        pool = [it for it in pool if it.temptation(focus) > 0]
    avoid = set(avoid)
    fresh = [it for it in pool if it.situation not in avoid]
    if len(fresh) >= n:
        pool = fresh
    rng = random.Random(seed)
    if focus is not None:
        pool = sorted(pool, key=lambda it: (-it.temptation(focus), it.situation))[:max(n, FOCUS_POOL * n)]
    return rng.sample(pool, min(max(n, 0), len(pool)))
