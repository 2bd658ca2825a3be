"""JSON Schemas (draft 2020-12) for scenario and rubric files, generated from the loaders' shapes.

The loaders check files against `Field` shapes (see shape.py); the schemas editors use for
completion and hover help are generated from the same shapes at runtime, so they can never drift
apart. A few things the shape language cannot say (id patterns, the per-type rules of a state
variable, the label names a branch accepts) are added here, and only where the loader enforces
the same rule, so a file the loader accepts always validates against the schema (except a label's
other spelling, such as `judgemental`, which the loader reads with a warning and the schema marks).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from roleplay.core.labels import KINDS as LABEL_KINDS, LABELS
from roleplay.core.scenario.shape import Field, to_json_schema

SCHEMA_BASE = "https://roleplay.invalid/schemas"
KINDS = ("scenario", "rubric")
MODELINE = "# yaml-language-server: $schema={url}"


class SchemaUnavailable(LookupError):
    """The shape behind a schema is not part of this build (yet)."""


def _rubric_shape() -> Field:
    try:
        from roleplay.core.scoring import rubric  # the scorer's module; imported lazily, it may not exist yet
    except ImportError as exc:
        raise SchemaUnavailable("the rubric format is not available in this build") from exc
    shape = getattr(rubric, "RUBRIC_SHAPE", None)
    if not isinstance(shape, Field):
        raise SchemaUnavailable("core/scoring/rubric.py does not define RUBRIC_SHAPE")
    return shape


def _id_string(node: dict) -> None:
    node["type"] = "string"
    node["pattern"] = r"^[a-z][a-z0-9_]*$"


def _scenario_extras(schema: dict) -> dict:
    props = schema["properties"]
    _id_string(props["id"])
    _id_string(props["start"])
    node_props = props["nodes"]["items"]["properties"]
    _id_string(node_props["id"])
    _id_string(props["endings"]["items"]["properties"]["id"])
    branch = node_props["branches"]["items"]["properties"]
    _id_string(branch["goto"])
    choices = list(LABELS) + ["default"]
    branch["on"]["oneOf"] = [
        {"type": "string", "enum": choices},
        {"type": "array", "items": {"type": "string", "enum": choices}, "minItems": 1},
    ]
    branch["effects"]["additionalProperties"] = {"oneOf": [  # +10 / -5 change, "= 10" sets, true/false
        {"type": ["integer", "boolean"]}, {"type": "string", "pattern": r"^\s*=\s*[+-]?\d+\s*$"}]}
    kinds = sorted({k for label in LABELS for k in LABEL_KINDS[label]})
    branch["kind"]["oneOf"] = [{"type": "string", "enum": kinds},
                               {"type": "array", "items": {"type": "string", "enum": kinds}, "minItems": 1}]
    props["difficulty"]["default"] = "intermediate"
    props["minutes"]["default"] = 10
    # A state variable: an int needs min and max and a whole-number start; a bool a true/false start.
    var = props["state"]["additionalProperties"]
    var["allOf"] = [{
        "if": {"properties": {"type": {"const": "int"}}, "required": ["type"]},
        "then": {"required": ["min", "max"], "properties": {"start": {"type": "integer"}}},
        "else": {"properties": {"start": {"type": "boolean"}}},
    }]
    props["state"]["required"] = ["trust"]
    test = props["tests"]["items"]
    test["oneOf"] = [{"required": ["replies"]}, {"required": ["labels"]}]  # one, not both
    test["properties"]["labels"]["items"] = {  # a label, or label/kind
        "type": "string", "pattern": rf"^({'|'.join(LABELS)})(/[a-z-]+)?$"}
    test["properties"]["expect"]["properties"]["state"]["additionalProperties"] = {
        "type": ["string", "integer", "boolean"]}
    return schema


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema for `scenario` or `rubric` files. Raises SchemaUnavailable or ValueError."""
    if kind == "scenario":
        from roleplay.core.scenario.scenario_shape import SCENARIO_SHAPE

        schema = to_json_schema(SCENARIO_SHAPE, title="roleplay scenario")
        schema = _scenario_extras(copy.deepcopy(schema))
    elif kind == "rubric":
        schema = to_json_schema(_rubric_shape(), title="roleplay rubric")
    else:
        raise ValueError(f"unknown schema {kind!r}; choose from {', '.join(KINDS)}")
    return {"$id": schema_url(kind), **schema}


def schema_url(kind: str) -> str:
    return f"{SCHEMA_BASE}/{kind}.json"


def schema_json(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def modeline(target: str) -> str:
    """The first line that points editors with the YAML language server at a schema."""
    return MODELINE.format(url=target)
