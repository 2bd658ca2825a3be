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


# The valid scenario as data, parsed and written once per section: an example writes only the section it
# replaces (a mapping's sections written one by one, in key order, are the same text as the whole).
def _dump(value) -> str:
    import yaml

    return yaml.safe_dump(value)


def _tiny_sections() -> dict[str, str]:
    import yaml

    return {k: _dump({k: v}) for k, v in yaml.safe_load(TINY.replace("on:", "'on':")).items()}


TINY_SECTIONS = _tiny_sections()


def tiny_with(key: str, value) -> str:
    """tiny.yaml as YAML text with one top-level section replaced by `value`."""
    return "".join(_dump({k: value}) if k == key else TINY_SECTIONS[k] for k in sorted({*TINY_SECTIONS, key}))


@FAST
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=30))
def test_any_yaml_value_in_place_of_a_section(value):
    for key in ("persona", "state", "nodes", "endings", "tests", "start"):
        scenario, diags = _bounded(parse_scenario, tiny_with(key, value), "x.yaml")
        assert scenario is not None or any(d.is_error for d in diags)
    node, _ = load_yaml(_dump(value), "v.yaml")
    assert node is None or node.plain() == value or value is None
