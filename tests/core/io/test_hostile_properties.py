"""Property-based: whatever bytes or text a scenario file holds, the loader answers with
diagnostics (or a scenario) in bounded time, and never raises."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplay.core.scenario.loader import parse_scenario
from roleplay.core.io.yamlload import load_yaml
from tests.conftest import FIXTURES

TINY = (FIXTURES / "tiny.yaml").read_text()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bounded(fn, *args):
    t = time.process_time()  # CPU time: a loaded CI machine must not fail it
    out = fn(*args)
    assert time.process_time() - t < 2.0
    return out


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes(data):
    scenario, diags = _bounded(parse_scenario, data, "x.yaml")
    assert scenario is not None or any(d.is_error for d in diags)


@FAST
@given(st.text(max_size=2000))
def test_any_text(text):
    scenario, diags = _bounded(parse_scenario, text, "x.yaml")
    assert scenario is not None or any(d.is_error for d in diags)
    for d in diags:
        assert d.line >= 1 and d.col >= 1


@FAST
@given(st.integers(0, len(TINY)), st.integers(0, 40), st.text(max_size=30))
def test_mutated_scenario(at, cut, insert):
    """Damage a valid file anywhere: delete a stretch, insert junk."""
    text = TINY[:at] + insert + TINY[at + cut:]
    scenario, diags = _bounded(parse_scenario, text, "x.yaml")
    assert scenario is not None or any(d.is_error for d in diags)


@FAST
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=30))
def test_any_yaml_value_in_place_of_a_section(value):
    import yaml

    for key in ("persona", "state", "nodes", "endings", "tests", "start"):
        doc = yaml.safe_load(TINY.replace("on:", "'on':"))
        doc[key] = value
        text = yaml.safe_dump(doc)
        scenario, diags = _bounded(parse_scenario, text, "x.yaml")
        assert scenario is not None or any(d.is_error for d in diags)
    node, _ = load_yaml(yaml.safe_dump(value), "v.yaml")
    assert node is None or node.plain() == value or value is None
