"""Declarative shapes for YAML files, checked with positions and "did you mean" suggestions.

One description serves two purposes: the loaders check files against it, and the JSON Schema
that editors use is generated from it, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from roleplay.core.io.diagnostics import ERROR, Diagnostic, Reporter, has_errors, sort_key
from roleplay.core.io.yamlload import YNode, gc_paused, load_yaml, read_source


@dataclass(frozen=True)
class Field:
    type: str  # str | int | number | bool | map | list | dict (free keys) | text_or_list
    required: bool = False
    doc: str = ""
    enum: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    fields: dict[str, "Field"] | None = None  # for map
    item: "Field | None" = None  # for list, and the values of a dict
    key_pattern: str | None = None  # for dict keys (JSON Schema only)
    nullable: bool = False
    min_items: int = 0


# The likeliest misspellings of the label names, which plain edit distance gets wrong
# ("empathetic" is nearer "sympathetic" than "empathic" by letters, not by meaning).
DOMAIN_SPELLINGS = {"empathetic": "empathic", "empathic": "empathic", "emphatic": "empathic",
                    "sympathic": "sympathetic", "sympathetical": "sympathetic", "judgemental": "judgmental",
                    "judgmental": "judgmental", "judgmentall": "judgmental", "neutrual": "neutral"}


def suggest(word: str, choices: Any, cutoff: float = 0.6) -> str:
    """' (did you mean "x"?)' or ''."""
    choices = list(choices)
    if not choices or not isinstance(word, str):
        return ""
    known = DOMAIN_SPELLINGS.get(word.strip().lower())
    if known is not None and known in choices:
        return f' (did you mean "{known}"?)'
    hit = process.extractOne(word, choices, scorer=Levenshtein.normalized_similarity,
                             score_cutoff=cutoff)
    return f' (did you mean "{hit[0]}"?)' if hit else ""


_TYPE_NAMES = {
    "str": "text", "int": "a whole number", "number": "a number", "bool": "true or false",
    "map": "a mapping (key: value lines)", "dict": "a mapping (key: value lines)",
    "list": "a list", "text_or_list": "text or a list of text", "any": "a single value",
}


def _describe(n: YNode) -> str:
    if n.kind == "map":
        return "a mapping"
    if n.kind == "seq":
        return "a list"
    v = n.value
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"{str(v).lower()}"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    return f"the text {str(v)[:40]!r}"


class ShapeChecker(Reporter):
    def check(self, node: YNode, spec: Field, where: str) -> bool:
        """Check `node` against `spec`; report problems; return whether its type was right."""
        if node.value is None and node.kind == "scalar" and spec.nullable:
            return True
        ok = self._type_ok(node, spec)
        if not ok:
            self.err(node.pos, "E104",
                       f"{where} must be {_TYPE_NAMES.get(spec.type, spec.type)}, not {_describe(node)}")
            return False
        if spec.type == "map" and spec.fields is not None:
            self._check_map(node, spec.fields, where)
        elif spec.type == "dict" and spec.item is not None:
            for k, v in node.value.items():
                self.check(v, spec.item, f"{where}.{k}")
        elif spec.type == "list":
            if len(node.value) < spec.min_items:
                self.err(node.pos, "E105", f"{where} needs at least {spec.min_items} "
                           f"item{'s' if spec.min_items != 1 else ''}")
            if spec.item is not None:
                for i, v in enumerate(node.value):
                    self.check(v, spec.item, f"{where}[{i}]")
        elif spec.type == "text_or_list" and node.kind == "seq":
            if not node.value:
                self.err(node.pos, "E105", f"{where} needs at least 1 item")
            for i, v in enumerate(node.value):
                self.check(v, Field("str"), f"{where}[{i}]")
        else:
            self._check_scalar(node, spec, where)
        return True

    def _type_ok(self, node: YNode, spec: Field) -> bool:
        v = node.value
        t = spec.type
        if t in ("map", "dict"):
            return node.kind == "map"
        if t == "list":
            return node.kind == "seq"
        if t == "text_or_list":
            return node.kind == "seq" or (node.kind == "scalar" and isinstance(v, str))
        if node.kind != "scalar":
            return False
        if t == "str":
            # Authors write `age: 34` or `minutes: 10` happily; text fields accept numbers too.
            return isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool))
        if t == "int":
            return isinstance(v, int) and not isinstance(v, bool)
        if t == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if t == "bool":
            return isinstance(v, bool)
        return True

    def _check_scalar(self, node: YNode, spec: Field, where: str) -> None:
        v = node.value
        if spec.type == "str" and not isinstance(v, str):
            node.value = v = str(v)
        if spec.type == "str" and spec.required and not v.strip():
            self.err(node.pos, "E105", f"{where} must not be empty")
        if spec.enum is not None and v not in spec.enum:
            choices = ", ".join(str(c) for c in spec.enum)
            self.err(node.pos, "E105",
                       f"{where} must be one of {choices}, not {v!r}{suggest(str(v), map(str, spec.enum))}")
        if spec.type in ("int", "number"):
            if spec.min is not None and v < spec.min or spec.max is not None and v > spec.max:
                self.err(node.pos, "E105", f"{where} must be between {spec.min:g} and {spec.max:g}, not {v}")

    def _check_map(self, node: YNode, fields: dict[str, Field], where: str) -> None:
        for key, child in node.value.items():
            if key not in fields:
                self.err(node.key_pos(key), "E102",
                           f"unknown key {key!r} in {where}{suggest(key, fields)}")
            else:
                self.check(child, fields[key], f"{where}.{key}" if where else key)
        for key, spec in fields.items():
            if spec.required and key not in node.value:
                self.err(node.pos, "E103", f"{where or 'the file'} is missing the required key {key!r}")


def to_json_schema(spec: Field, title: str | None = None, describe: Callable[[Field], str] | None = None) -> dict:
    """The JSON Schema (draft 2020-12) equivalent of a shape."""
    out: dict[str, Any] = {}
    if spec.doc:
        out["description"] = spec.doc
    t = spec.type
    if t == "map":
        out["type"] = "object"
        out["properties"] = {k: to_json_schema(f) for k, f in (spec.fields or {}).items()}
        req = [k for k, f in (spec.fields or {}).items() if f.required]
        if req:
            out["required"] = req
        out["additionalProperties"] = False
    elif t == "dict":
        out["type"] = "object"
        if spec.item is not None:
            out["additionalProperties"] = to_json_schema(spec.item)
        if spec.key_pattern:
            out["propertyNames"] = {"pattern": spec.key_pattern}
    elif t == "list":
        out["type"] = "array"
        if spec.item is not None:
            out["items"] = to_json_schema(spec.item)
        if spec.min_items:
            out["minItems"] = spec.min_items
    elif t == "text_or_list":
        out["oneOf"] = [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
    elif t == "str":
        out["type"] = ["string", "number"]
    elif t == "int":
        out["type"] = "integer"
    elif t == "number":
        out["type"] = "number"
    elif t == "bool":
        out["type"] = "boolean"
    if spec.enum is not None:
        out["enum"] = list(spec.enum)
    if spec.min is not None:
        out["minimum"] = spec.min
    if spec.max is not None:
        out["maximum"] = spec.max
    if spec.nullable and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types + ["null"]
    if title:
        out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **out}
    return out


def parse_document(source: str | bytes, path: str, shape: Field, build: Callable[[str, YNode], Any],
                   what: str) -> tuple[Any, list[Diagnostic]]:
    """YAML text -> checked shape -> `build(path, root)` (an object with `.build()` and `.diags`).

    The one pipeline for scenarios and rubrics: (None, diagnostics) whenever the file cannot be
    used, sorted by position; never a traceback, even from a bug in a builder.
    """
    with gc_paused():
        root, diags = load_yaml(source, path)
        if root is None:
            return None, diags
        if root.kind != "map":
            return None, [Diagnostic(path, root.line, root.col, ERROR, "E101",
                                     f"a {what} must be a mapping of keys, "
                                     f"not {'a list' if root.kind == 'seq' else 'a single value'}")]
        checker = ShapeChecker(path)
        checker.check(root, shape, "")
        try:
            builder = build(path, root)
            result = builder.build()
            bdiags = builder.diags
        except Exception as exc:  # pragma: no cover - a last line of defence
            result, bdiags = None, [Diagnostic(path, 1, 1, ERROR, "E299", f"cannot build the {what}: {exc}")]
        diags = sorted(set(checker.diags + bdiags), key=sort_key)
        if has_errors(diags) or result is None:
            return None, diags
        return result, diags


def load_document(path: str, parse: Callable[[bytes, str], tuple[Any, list[Diagnostic]]]
                  ) -> tuple[Any, list[Diagnostic]]:
    """Read a file (size-limited) and parse it."""
    source, diags = read_source(path)
    if source is None:
        return None, diags
    return parse(source, path)
