"""Reading a record's JSON values into typed ones (record_types.py), field by field.

Every value is checked for its type, whole numbers for their size and numbers for being finite, so
a damaged or hostile record is a RecordError naming the file and the field here, never a crash
later in the debrief, the class report or the app. Lone surrogates in text become U+FFFD.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping, NoReturn

from roleplay.core.assessment import Assessment, Evidence
from roleplay.core.io.limits import MAX_INT_CHARS
from roleplay.core.labels import LABELS
from roleplay.core.session.record_types import (FEEDBACK_MODES, VERSION, Change, Dispute, RecordError, RecordHeader,
                                                SessionRecord, SprungTrap, Turn)

MAX_INT = 10 ** MAX_INT_CHARS  # the same bound as a scenario's numbers (E013)
_MISSING: Any = object()
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHARE_UP_TO = 300  # shorter texts repeat from turn to turn (node ids, lines, reasons): kept once


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int):
        return "a whole number"
    if isinstance(v, float):
        return "a number"
    if isinstance(v, str):
        return "text"
    return "a list" if isinstance(v, list) else "a mapping" if isinstance(v, dict) else type(v).__name__


def _finite(v: Any) -> bool:
    return (type(v) is float and math.isfinite(v)) or (type(v) is int and -MAX_INT < v < MAX_INT)


class Checker:
    """Reads one record; `name` (the file's name) starts every message."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._shared: dict[str, str] = {}

    def fail(self, where: str, problem: str) -> NoReturn:
        raise RecordError(f"{self.name}: {where} {problem}")

    def get(self, d: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> Any:
        v = d.get(key, _MISSING)
        if v is _MISSING:
            if default is _MISSING:
                self.fail(where + key, "is missing")
            return default
        return v

    def text(self, d, key, where, default: Any = _MISSING) -> Any:
        """Text; null too when the default is None (the field may be null or missing)."""
        v = self.get(d, key, where, default)
        if v is None and default is None:
            return None
        return self.check_text(v, where + key)

    def check_text(self, v: Any, where: str) -> str:
        if not isinstance(v, str):
            self.fail(where, f"should be text, not {_kind(v)}")
        return self.clean(v)

    def clean(self, v: str) -> str:
        seen = self._shared.get(v)
        if seen is not None:
            return seen
        if not v.isascii() and _SURROGATE.search(v):
            v = _SURROGATE.sub("\ufffd", v)
        if len(v) <= _SHARE_UP_TO:
            self._shared[v] = v
        return v

    def whole(self, d, key, where, default: Any = _MISSING, *, least: int | None = None) -> Any:
        if key not in d and default is not _MISSING:
            return default
        return self.check_whole(self.get(d, key, where), where + key, least)

    def check_whole(self, v: Any, where: str, least: int | None = None) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(where, f"should be a whole number, not {_kind(v)}")
        if not -MAX_INT < v < MAX_INT:
            self.fail(where, f"is a number {len(str(abs(v))):,} digits long (at most {MAX_INT_CHARS})")
        if least is not None and v < least:
            self.fail(where, f"should be at least {least}, not {v}")
        return v

    def number(self, d, key, where, default: Any = _MISSING) -> float:
        v = self.get(d, key, where, default)
        if isinstance(v, int) and not isinstance(v, bool):
            return float(self.check_whole(v, where + key))
        if not isinstance(v, float):
            self.fail(where + key, f"should be a number, not {_kind(v)}")
        if not math.isfinite(v):
            self.fail(where + key, f"should be a finite number, not {v}")
        return v

    def flag(self, d, key, where, default: Any = _MISSING) -> bool:
        v = self.get(d, key, where, default)
        if not isinstance(v, bool):
            self.fail(where + key, f"should be true or false, not {_kind(v)}")
        return v

    def mapping(self, d, key, where, default: Any = _MISSING) -> dict:
        v = self.get(d, key, where, default)
        if not isinstance(v, dict):
            self.fail(where + key, f"should be a mapping, not {_kind(v)}")
        return v

    def items(self, d, key, where, default: Any = _MISSING) -> list:
        v = self.get(d, key, where, default)
        if not isinstance(v, list):
            self.fail(where + key, f"should be a list, not {_kind(v)}")
        return v

    def label(self, v: Any, where: str) -> str:
        if v not in LABELS:
            self.fail(where, f"is {v!r}, not one of {', '.join(LABELS)}")
        return v

    def state(self, d, key, where, default: Any = _MISSING) -> dict[str, int | bool]:
        out: dict[str, int | bool] = {}
        for name, v in self.mapping(d, key, where, default).items():
            out[self.check_text(name, f"{where}{key} key")] = self.value_of_state(v, f"{where}{key}.{name}")
        return out

    def value_of_state(self, v: Any, where: str) -> int | bool:
        return v if isinstance(v, bool) else self.check_whole(v, where)

    # --- the parts of a record ------------------------------------------------------------

    def evidence(self, d: Any, where: str) -> Evidence:
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        w = where + "."
        return Evidence(start=self.whole(d, "start", w, least=0), end=self.whole(d, "end", w, least=0),
                        text=self.text(d, "text", w), label=self.text(d, "label", w), kind=self.text(d, "kind", w),
                        source=self.text(d, "source", w), weight=self.number(d, "weight", w, 1.0))

    def assessment(self, d: Any, where: str, label: str | None) -> Assessment:
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        w = where + "."
        got = self.label(self.text(d, "label", w, label), w + "label")
        if label is not None and got != label:
            self.fail(w + "label", f"is {got!r} but the turn's label is {label!r}")
        raw = self.mapping(d, "scores", w, {})
        scores = {self.clean(k): self.number(raw, k, w + "scores.") for k in raw}
        kinds = tuple(self.check_text(k, f"{w}kinds[{i}]") for i, k in enumerate(self.items(d, "kinds", w, [])))
        evidence = tuple(self.evidence(e, f"{w}evidence[{i}]") for i, e in enumerate(self.items(d, "evidence", w, [])))
        notes = tuple(self.check_text(n, f"{w}notes[{i}]") for i, n in enumerate(self.items(d, "notes", w, [])))
        return Assessment(label=got, confidence=self.number(d, "confidence", w, 0.0), scores=scores, kinds=kinds,
                          evidence=evidence, feedback=self.text(d, "feedback", w, ""),
                          model_reply=self.text(d, "model_reply", w, None), notes=notes)

    def change(self, d: Any, where: str) -> Change:
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        w = where + "."
        before, after = (self.value_of_state(self.get(d, k, w), w + k) for k in ("before", "after"))
        return Change(self.text(d, "var", w), before, after, self.text(d, "reason", w, ""))

    def dispute(self, d: Any, where: str) -> Dispute | None:
        """The student's disagreement with the label: optional, so older records read as before."""
        if d is None:
            return None
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        w = where + "."
        return Dispute(self.label(self.text(d, "label", w), w + "label"), self.text(d, "note", w, ""),
                       self.text(d, "at", w, ""))

    def turn(self, d: Any, where: str) -> Turn:
        fast = self.fast_turn(d) if type(d) is dict else None
        return fast if fast is not None else self.slow_turn(d, where)

    def slow_turn(self, d: Any, where: str) -> Turn:
        """Field by field, naming the first that is wrong (fast_turn's cases all pass here too)."""
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        w = where + "."
        label = self.text(d, "label", w, None)
        if label is not None:
            self.label(label, w + "label")
        return Turn(
            index=self.whole(d, "index", w, least=1), node_id=self.text(d, "node", w),
            client_line=self.text(d, "client_line", w), cue=self.text(d, "cue", w, ""),
            reply=self.text(d, "reply", w), assessment=self.assessment(self.get(d, "assessment", w), w + "assessment", label),
            state_before=self.state(d, "state_before", w), state_after=self.state(d, "state", w),
            changes=tuple(self.change(c, f"{w}changes[{i}]") for i, c in enumerate(self.items(d, "changes", w, []))),
            branch=self.whole(d, "branch", w, least=0), why=self.text(d, "why", w, ""),
            reason=self.text(d, "reason", w, ""), next_id=self.text(d, "next", w),
            ending=self.text(d, "ending", w, None), at=self.text(d, "at", w, ""),
            notes=tuple(self.check_text(n, f"{w}notes[{i}]") for i, n in enumerate(self.items(d, "notes", w, []))),
            dispute=self.dispute(d.get("dispute"), w + "dispute"),
            reaction=self.text(d, "reaction", w, ""), trap=self.trap(d.get("trap"), w + "trap"))

    def trap(self, d: Any, where: str) -> SprungTrap | None:
        """A sprung scenario trap: {when, note}, or null/missing for none."""
        if d is None:
            return None
        if not isinstance(d, dict):
            self.fail(where, f"should be a mapping, not {_kind(d)}")
        return SprungTrap(self.text(d, "when", where + "."), self.text(d, "note", where + "."))

    # --- the common case in bulk --------------------------------------------------------------
    # A record holds thousands of turns; checking each field through the methods above costs
    # most of the time of reading one. A turn exactly as roleplay writes it is checked here in
    # a few expressions; anything else (None) goes field by field, which names the problem.

    def fast_turn(self, d: dict) -> Turn | None:
        g = d.get
        if g("dispute") is not None:
            return None  # rare: read field by field
        index, branch, label, ending, notes = g("index"), g("branch"), g("label"), g("ending"), g("notes", [])
        texts = (g("node"), g("client_line"), g("cue", ""), g("reply"), g("why", ""), g("reason", ""),
                 g("next"), g("at", ""), g("reaction", ""))
        if g("trap") is not None:
            return None  # rare: read field by field
        if not (type(index) is int and 1 <= index < MAX_INT and type(branch) is int and 0 <= branch < MAX_INT
                and all(type(t) is str for t in texts) and (ending is None or type(ending) is str)
                and (label is None or label in LABELS) and type(notes) is list
                and all(type(n) is str for n in notes)):
            return None
        a = self.fast_assessment(g("assessment"), label)
        before, after = self.fast_state(g("state_before")), self.fast_state(g("state"))
        changes = self.fast_changes(g("changes", []))
        if a is None or before is None or after is None or changes is None:
            return None
        c = self.clean
        node, line, cue, reply, why, reason, nxt, at, reaction = map(c, texts)
        return Turn(index, node, line, cue, reply, a, before, after, changes, branch, why, reason, nxt,
                    None if ending is None else c(ending), at, tuple(map(c, notes)), reaction=reaction)

    def fast_state(self, d: Any) -> dict | None:
        if type(d) is not dict or not all(type(k) is str and (type(v) is bool or type(v) is int and -MAX_INT < v < MAX_INT)
                                          for k, v in d.items()):
            return None
        return {self.clean(k): v for k, v in d.items()}

    def fast_changes(self, raw: Any) -> tuple[Change, ...] | None:
        if type(raw) is not list:
            return None
        out = []
        for d in raw:
            if type(d) is not dict:
                return None
            g = d.get
            var, reason, values = g("var"), g("reason", ""), self.fast_state({"b": g("before"), "a": g("after")})
            if type(var) is not str or type(reason) is not str or values is None:
                return None
            out.append(Change(self.clean(var), values["b"], values["a"], self.clean(reason)))
        return tuple(out)

    def fast_assessment(self, d: Any, label: str | None) -> Assessment | None:
        if type(d) is not dict:
            return None
        g = d.get
        got, confidence, scores, kinds, evidence = (g("label", label), g("confidence", 0.0), g("scores", {}),
                                                    g("kinds", []), g("evidence", []))
        feedback, model, notes = g("feedback", ""), g("model_reply"), g("notes", [])
        if type(notes) is not list or not all(type(n) is str for n in notes):
            return None
        if not (got in LABELS and (label is None or got == label) and _finite(confidence) and type(scores) is dict
                and all(type(k) is str and _finite(v) for k, v in scores.items()) and type(kinds) is list
                and all(type(k) is str for k in kinds) and type(evidence) is list and type(feedback) is str
                and (model is None or type(model) is str)):
            return None
        found = []
        for e in evidence:
            if type(e) is not dict:
                return None
            ge = e.get
            start, end, weight = ge("start"), ge("end"), ge("weight", 1.0)
            texts = (ge("text"), ge("label"), ge("kind"), ge("source"))
            if not (type(start) is int and 0 <= start < MAX_INT and type(end) is int and 0 <= end < MAX_INT
                    and _finite(weight) and all(type(t) is str for t in texts)):
                return None
            found.append(Evidence(start, end, *map(self.clean, texts), weight=float(weight)))
        c = self.clean
        return Assessment(got, float(confidence), {c(k): float(v) for k, v in scores.items()}, tuple(map(c, kinds)),
                          tuple(found), c(feedback), None if model is None else c(model), tuple(map(c, notes)))

    def head(self, d: Any, default_id: str) -> dict[str, Any]:
        """The fields every record has besides its turns, checked."""
        if not isinstance(d, dict):
            raise RecordError(f"{self.name}: not a roleplay session record ({_kind(d)}, not a mapping)")
        if "scenario" not in d or "turns" not in d:
            raise RecordError(f"{self.name}: not a roleplay session record (no scenario or no turns)")
        version = self.whole(d, "format", "", d.get("version", VERSION), least=1)
        if version > VERSION:
            self.fail("format", f"is {version}: written by a newer roleplay; update roleplay to read it")
        scenario = self.text(d, "scenario", "")
        ending = self.text(d, "ending", "", None)
        mode = self.text(d, "feedback", "", "")
        return dict(
            version=version, id=self.text(d, "id", "", default_id), scenario=scenario,
            scenario_title=self.text(d, "scenario_title", "", None) or scenario,
            scenario_path=self.text(d, "scenario_path", "", None), persona=self.text(d, "persona", "", ""),
            started_at=self.text(d, "started_at", "", ""), updated_at=self.text(d, "updated_at", "", ""),
            ending=ending, outcome=self.text(d, "outcome", "", None),
            finished=self.flag(d, "finished", "", ending is not None),
            ended_early=self.flag(d, "ended_early", "", False), feedback=mode if mode in FEEDBACK_MODES else "")

    def record(self, d: Any, default_id: str, *, consume: bool = False) -> SessionRecord:
        """The whole record; with `consume`, each raw turn is let go once read (less memory)."""
        head = self.head(d, default_id)
        raw = self.items(d, "turns", "")
        turns = []
        for i in range(len(raw)):
            turns.append(self.turn(raw[i], f"turns[{i}]"))
            if consume:
                raw[i] = None
        return self.finish(d, head, tuple(turns))

    def finish(self, d: Mapping[str, Any], head: dict[str, Any], turns: tuple[Turn, ...]) -> SessionRecord:
        """The record from its checked head and turns, with the remaining fields checked."""
        last = turns[-1] if turns else None
        state = self.state(d, "state", "", dict(last.state_after) if last else {})
        student = self.text(d, "student", "", None)
        return SessionRecord(
            turns=turns, state=state, seed=self.whole(d, "seed", "", 0), node=self.text(d, "node", "", None),
            reflection=self.text(d, "reflection", "", "") or "", student=student.strip() or None if student else None,
            **head)

    def header(self, d: Mapping[str, Any], default_id: str) -> RecordHeader:
        """The header from a record's fields before its turns, with its `summary` of counts."""
        head = self.head({**d, "turns": []}, default_id)
        summary = self.mapping(d, "summary", "")
        n = self.whole(summary, "turns", "summary.", least=0)
        counts = self.mapping(summary, "labels", "summary.")
        labels = {lb: self.whole(counts, lb, "summary.labels.", 0, least=0) for lb in LABELS}
        head.pop("version")
        return RecordHeader(turns=n, labels=labels, **head)


def read_record(data: Any, name: str, default_id: str = "") -> SessionRecord:
    """A parsed record's JSON values as a SessionRecord, or RecordError naming the field."""
    return Checker(name).record(data, default_id or name.rsplit(".", 1)[0])
