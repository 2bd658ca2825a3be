"""Declarative shapes for YAML files, checked with positions and "did you mean" suggestions.

One description serves two purposes: the loaders check files against it, and the JSON Schema
that editors use is generated from it, so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from roleplay.core.io.diagnostics import ERROR, Diagnostic, Reporter, has_errors, sort_key
from roleplay.core.io.terminal import terminal_safe
from roleplay.core.io.gc_pause import gc_paused
from roleplay.core.io.yamlload import YNode, load_yaml, read_source


@dataclass(frozen=True)
class Field:
    type: str  # str | int | number | bool | map | list | dict (free keys) | text_or_list | condition | any
    # | line (text, or a mapping of `fields` such as {text:, if:})
    required: bool = False
    doc: str = ""
    enum: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    fields: dict[str, "Field"] | None = None  # for map
    item: "Field | None" = None  # for list, text_or_list, and the values of a dict
    key_pattern: str | None = None  # for dict keys (JSON Schema only)
    nullable: bool = False
    min_items: int = 0
    item_name: str = ""  # how messages name an item of this list or dict: "turn" -> "turn 'sister'"


# The likeliest misspellings of the label names, which plain edit distance gets wrong
# ("empathetic" is nearer "sympathetic" than "empathic" by letters, not by meaning), and the
# usual names of the state types.
DOMAIN_SPELLINGS = {"empathetic": "empathic", "empathic": "empathic", "emphatic": "empathic",
                    "sympathic": "sympathetic", "sympathetical": "sympathetic", "judgemental": "judgmental",
                    "judgmental": "judgmental", "judgmentall": "judgmental", "neutrual": "neutral",
                    "boolean": "bool", "flag": "bool", "integer": "int", "number": "int"}


def best_match(word: str, choices: Any, cutoff: float = 0.6) -> str | None:
    """The choice `word` most likely meant, or None."""
    choices = list(choices)
    if not choices or not isinstance(word, str):
        return None
    known = DOMAIN_SPELLINGS.get(word.strip().lower())
    if known is not None and known in choices:
        return known
    hit = process.extractOne(word, choices, scorer=OSA.normalized_similarity,
                             score_cutoff=cutoff)
    return hit[0] if hit else None


def suggest(word: str, choices: Any, cutoff: float = 0.6) -> str:
    """' (did you mean "x"?)' or ''."""
    hit = best_match(word, choices, cutoff)
    return f' (did you mean "{hit}"?)' if hit else ""


_TYPE_NAMES = {
    "str": "text", "int": "a whole number", "number": "a number", "bool": "true or false",
    "map": "a mapping (key: value lines)", "dict": "a mapping (key: value lines)",
    "list": "a list", "text_or_list": "text or a list of text", "any": "a single value",
    "condition": "a condition such as \"trust >= 60\"", "line": "text (or text: with if:)",
}
_TEXTUAL = ("str", "text_or_list", "condition", "line")
_CURLY = "“”‘’„«»"
_QUOTED_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_QUOTED_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$")


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


@dataclass(frozen=True)
class Where:
    """Where a value sits, as a message names it: `effects.trust in turn 'sister', branch 2`."""

    owner: str = ""  # the named item the value belongs to: "turn 'sister', branch 2"
    key: str = ""  # the keys below it: "effects.trust"
    in_list: bool = False  # an item of a list, which can simply be removed

    def __str__(self) -> str:
        if self.owner and self.key:
            return f"{self.key} in {self.owner}"
        return self.key or self.owner

    def child(self, key: str) -> "Where":
        return Where(self.owner, f"{self.key}.{key}" if self.key else key)

    def item(self, spec: Field, index: int, node: YNode) -> "Where":
        named = spec.item is not None and spec.item.type == "map"
        if named and spec.item_name and node.kind == "map":
            ident = node.get("id") or node.get("name")
            text = str(ident.value).strip() if ident is not None and ident.kind == "scalar" and ident.value is not None else ""
            name = f"{spec.item_name} {text!r}" if text else f"{spec.item_name} number {index + 1}"
            if spec.item_name == "branch":
                name = f"branch {index + 1}"
            return Where(f"{self.owner}, {name}" if self.owner else name)
        if not named or node.kind == "scalar":
            name = f"{spec.item_name} {index + 1}" if spec.item_name else f"item {index + 1} of {self.key}"
            return Where(self.owner, name, in_list=True)
        return Where(self.owner, f"{self.key}[{index}]")

    def entry(self, spec: Field, key: str) -> "Where":
        """A value of a dict: named when the dict names its entries ("state variable 'trust'")."""
        if spec.item_name:
            name = f"{spec.item_name} {key!r}"
            return Where(f"{self.owner}, {name}" if self.owner else name)
        return self.child(key)


def _text_read_as_mapping(node: YNode) -> str | None:
    """`- Look: I tried.` is a mapping to YAML; the author meant a line of text."""
    if len(node.value) != 1:
        return None
    key, child = next(iter(node.value.items()))
    if child.kind != "scalar" or child.line != node.line:
        return None
    curly = any(c in key + str(child.value) for c in _CURLY)
    text = f"{key}: {'' if child.value is None else child.value}".strip(_CURLY + " ")
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return ("has a colon followed by a space, so YAML read it as a key and a value: put the whole "
            + ("text in straight double quotes (curly quotes “ ” are not quotes to YAML)" if curly
               else "text in double quotes")
            + f", like this: {terminal_safe(quoted[:70])}{'…' if len(quoted) > 70 else ''}")


def _empty(where: Where, spec: Field) -> str:
    how = ", or remove it" if where.in_list else "" if spec.required else ", or remove the key"
    return f"{where} is empty: write the text{how}"


class ShapeChecker(Reporter):
    def check(self, node: YNode, spec: Field, where: "Where | str") -> bool:
        """Check `node` against `spec`; report problems; return whether its type was right."""
        if isinstance(where, str):
            where = Where(key=where)
        if node.value is None and node.kind == "scalar" and spec.nullable:
            return True
        ok = self._type_ok(node, spec)
        if ok and spec.type == "line" and node.kind == "map" and "text" not in node.value:
            ok = _text_read_as_mapping(node) is None  # `- Look: I tried.` is a line, not a variant
        if not ok:
            self.err(node.pos, "E104", self._wrong_type(node, spec, where))
            return False
        if spec.type == "line":
            if node.kind == "map":
                self._check_map(node, spec.fields or {}, where)
            else:
                self._check_scalar(node, Field("str", required=True), where)
        elif spec.type == "map" and spec.fields is not None:
            self._check_map(node, spec.fields, where)
        elif spec.type == "dict" and spec.item is not None:
            for k, v in node.value.items():
                self.check(v, spec.item, where.entry(spec, k))
        elif spec.type in ("list", "text_or_list") and node.kind == "seq":
            if len(node.value) < max(spec.min_items, spec.type == "text_or_list"):
                n = max(spec.min_items, 1)
                self.err(node.pos, "E105", f"{where} needs at least {n} item{'s' if n != 1 else ''}")
            item = spec.item or (Field("str") if spec.type == "text_or_list" else None)
            if item is not None:
                for i, v in enumerate(node.value):
                    self.check(v, item, where.item(spec, i, v))
        elif spec.type == "text_or_list":
            item = spec.item if spec.item is not None and spec.item.type != "line" else Field("str", spec.item is not None)
            self._check_scalar(node, item, where)
        else:
            self._check_scalar(node, spec, where)
        return True

    def _wrong_type(self, node: YNode, spec: Field, where: Where) -> str:
        v = node.value
        want = _TYPE_NAMES.get(spec.type, spec.type)
        if spec.type in _TEXTUAL and node.kind == "scalar" and v is None:
            return _empty(where, spec)
        if spec.type in _TEXTUAL and node.kind == "map":
            why = _text_read_as_mapping(node)
            if why:
                return f"{where} {why}"
        if spec.type == "condition" and isinstance(v, bool):
            return (f"{where} is not a condition: YAML reads {node.raw or str(v).lower()} as {str(v).lower()}. "
                    "Write a condition on a state variable, in quotes, such as \"trust >= 60\" or "
                    "\"disclosed\" (or remove the `if:` to take the branch whatever the state)")
        if spec.type in _TEXTUAL and isinstance(v, bool):
            raw = node.raw or str(v).lower()
            return (f"{where} must be text, but YAML reads {raw} as {str(v).lower()}: put it in quotes "
                    f"(\"{raw}\") to keep the word")
        pattern = _QUOTED_INT if spec.type == "int" else _QUOTED_NUMBER if spec.type == "number" else None
        if pattern is not None and isinstance(v, str) and pattern.match(v):
            return f"{where} must be {want}, not the text \"{v.strip()}\": remove the quotes"
        return f"{where} must be {want}, not {_describe(node)}"

    def _type_ok(self, node: YNode, spec: Field) -> bool:
        v = node.value
        t = spec.type
        if t in ("map", "dict"):
            return node.kind == "map"
        if t == "list":
            return node.kind == "seq"
        if t == "text_or_list":
            return node.kind == "seq" or (node.kind == "scalar" and isinstance(v, str))
        if t == "line":
            return node.kind == "map" or (node.kind == "scalar" and isinstance(v, str))
        if node.kind != "scalar":
            return False
        if t == "str":
            # Authors write `age: 34` or `minutes: 10` happily; text fields accept numbers too.
            return isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool))
        if t == "condition":
            return isinstance(v, str)
        if t == "int":
            return isinstance(v, int) and not isinstance(v, bool)
        if t == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if t == "bool":
            return isinstance(v, bool)
        return True

    def _check_scalar(self, node: YNode, spec: Field, where: Where) -> None:
        v = node.value
        if spec.type == "str" and not isinstance(v, str):
            node.value = v = str(v)
        if spec.type in ("str", "condition") and spec.required and not v.strip():
            self.err(node.pos, "E105", _empty(where, spec))
        if spec.enum is not None and v not in spec.enum:
            choices = ", ".join(str(c) for c in spec.enum)
            self.err(node.pos, "E105",
                       f"{where} must be one of {choices}, not {v!r}{suggest(str(v), map(str, spec.enum))}")
        if spec.type in ("int", "number"):
            if spec.min is not None and v < spec.min or spec.max is not None and v > spec.max:
                self.err(node.pos, "E105", f"{where} must be between {spec.min:g} and {spec.max:g}, not {v}")

    def _check_map(self, node: YNode, fields: dict[str, Field], where: Where) -> None:
        meant: set[str] = set()  # required keys an unknown key was probably meant to be
        for key, child in node.value.items():
            if key not in fields:
                hit = best_match(key, fields)
                if hit is not None and hit not in node.value:
                    meant.add(hit)
                place = f" in {where}" if str(where) else " at the top of the file"
                self.err(node.key_pos(key), "E102",
                         f"unknown key {key!r}{place}{suggest(key, fields)}")
            else:
                self.check(child, fields[key], where.child(key))
        for key, spec in fields.items():
            if spec.required and key not in node.value and key not in meant:  # one mistake, one message
                self.err(node.pos, "E103", f"{str(where) or 'the file'} is missing the required key {key!r}")


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
        text = {"type": "string", "minLength": 1} if spec.item is not None and spec.item.required else {"type": "string"}
        item = to_json_schema(spec.item) if spec.item is not None and spec.item.type == "line" else text
        out["oneOf"] = [text, {"type": "array", "items": item, "minItems": 1}]
    elif t == "line":
        variant = to_json_schema(Field("map", fields=spec.fields))
        out["oneOf"] = [{"type": "string", "minLength": 1}, variant]
    elif t == "str":
        out["type"] = ["string", "number"]
    elif t == "condition":
        out["type"] = "string"
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
                   what: str, prepare: Callable[[YNode, Reporter], None] | None = None
                   ) -> tuple[Any, list[Diagnostic]]:
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
        if prepare is not None:
            prepare(root, checker)  # e.g. read known spellings of the labels, with a warning
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
