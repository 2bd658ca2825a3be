"""The JSON Schemas are generated from the loaders' shapes and accept what the loaders accept."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from roleplay.core.scenario.loader import parse_scenario
from roleplay.core.authoring.scaffold import render as scaffold
from roleplay.core.authoring.schema import SchemaUnavailable, modeline, schema_for, schema_json
from roleplay.core.io.yamlload import load_yaml
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]
BUILTINS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _validator() -> jsonschema.Draft202012Validator:
    schema = schema_for("scenario")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _plain(path: Path):
    # The project's loader, not yaml.safe_load: YAML 1.1 would turn the `on:` keys into True.
    root, diags = load_yaml(path.read_bytes(), str(path))
    assert root is not None, diags
    return root.plain()


def _errors(data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(data)]


def test_scenario_schema_is_draft_2020_12():
    schema = schema_for("scenario")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/scenario.json")
    assert set(schema["required"]) >= {"id", "title", "persona", "state", "start", "nodes", "endings"}
    assert json.loads(schema_json("scenario")) == schema


def test_the_builtins_are_all_there():
    assert {p.stem for p in BUILTINS} >= {"mandated_parent", "grieving_patient", "trauma_survivor"}


@pytest.mark.parametrize("path", BUILTINS + [FIXTURES / "tiny.yaml"], ids=lambda p: p.stem)
def test_builtin_scenarios_validate_against_the_schema(path: Path):
    assert _errors(_plain(path)) == []


def test_the_scaffold_validates_against_the_schema(tmp_path: Path):
    _, text = scaffold("new_one")
    (tmp_path / "n.yaml").write_text(text)
    assert _errors(_plain(tmp_path / "n.yaml")) == []


@pytest.mark.parametrize("change, where", [
    (lambda d: d.pop("title"), ""),
    (lambda d: d.update(titel="x"), ""),
    (lambda d: d.update(difficulty="impossible"), "difficulty"),
    (lambda d: d["nodes"][0]["branches"][0].update(on="kind"), "nodes/0/branches/0/on"),
    (lambda d: d["nodes"][0].update(id="Not An Id"), "nodes/0/id"),
    (lambda d: d["state"]["trust"].pop("min"), "state/trust"),
    (lambda d: d["state"]["opened_up"].update(start=3), "state/opened_up/start"),
    (lambda d: d["persona"].update(age=400), "persona/age"),
    (lambda d: d["tests"][0].pop("labels"), "tests/0"),
])
def test_schema_rejects_what_the_loader_rejects(change, where):
    data = _plain(FIXTURES / "tiny.yaml")
    change(data)
    errors = _errors(data)
    assert errors, "the schema accepted a broken scenario"
    assert any(e.startswith(where) for e in errors), errors


def test_the_schema_is_no_stricter_than_the_loader_on_optional_keys():
    data = _plain(FIXTURES / "tiny.yaml")
    for key in ("difficulty", "minutes", "tests"):
        data.pop(key, None)
    assert _errors(data) == []
    import yaml

    scenario, diags = parse_scenario(yaml.safe_dump(data), "x.yaml")  # dumps `on` quoted
    assert scenario is not None, diags


def test_rubric_schema_comes_from_the_rubric_shape_or_says_it_is_missing():
    try:
        schema = schema_for("rubric")
    except SchemaUnavailable as exc:
        assert "rubric" in str(exc)
    else:
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith("/rubric.json")


def test_default_rubric_validates_against_the_rubric_schema():
    rubrics = sorted((ROOT / "rubrics").glob("*.yaml"))
    try:
        schema = schema_for("rubric")
    except SchemaUnavailable:
        pytest.skip("core/scoring/rubric.py has no RUBRIC_SHAPE yet")
    if not rubrics:
        pytest.skip("no built-in rubric yet")
    v = jsonschema.Draft202012Validator(schema)
    for path in rubrics:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(_plain(path))]
        assert errors == [], path


def test_unknown_kind():
    with pytest.raises(ValueError):
        schema_for("session")


def test_modeline():
    assert modeline("./scenario.schema.json") == "# yaml-language-server: $schema=./scenario.schema.json"


def test_the_schemas_in_the_repository_are_current():
    """schemas/*.json are what editors point at; regenerate with `roleplay schema KIND`."""
    import json
    from pathlib import Path

    from roleplay.core.authoring.schema import schema_json

    folder = Path(__file__).resolve().parents[3] / "schemas"
    for kind in ("scenario", "rubric"):
        shipped = json.loads((folder / f"{kind}.schema.json").read_text())
        assert shipped == json.loads(schema_json(kind)), f"regenerate schemas/{kind}.schema.json"
