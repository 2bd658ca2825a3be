"""The `tests:` runner: labels go straight to the engine, replies through the scorer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from roleplay.core.scenario.loader import load_scenario, parse_scenario
from roleplay.core.authoring.scenario_tests import needs_scorer, run_test, run_tests
from tests.conftest import FIXTURES, FakeScorer

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def failing():
    sc, diags = load_scenario(FIXTURES / "toolkit" / "failing_tests.yaml")
    assert sc is not None, diags
    return sc


def outcome(sc, name, scorer=None):
    return run_test(sc, next(t for t in sc.tests if t.name == name), scorer)


def test_passing_test_with_state(failing):
    o = outcome(failing, "passes")
    assert o.passed and o.ending == "rebooked" and o.state["trust"] == 60
    assert o.describe() == "PASS passes"


def test_wrong_ending_shows_the_path(failing):
    o = outcome(failing, "wrong ending")
    assert not o.passed
    assert o.describe() == ("FAIL wrong ending: expected ending rebooked, got maybe_later "
                            "(path: hello (empathic) -> deeper (neutral) -> maybe_later)")


def test_wrong_state(failing):
    o = outcome(failing, "wrong state")
    assert o.describe().startswith("FAIL wrong state: expected trust >= 60, got trust 50 (path: hello (neutral)")


def test_expected_null_ending(failing):
    o = outcome(failing, "expected to run out")
    assert "expected the script to run out first, got ending maybe_later after 2 replies" in o.describe()


def test_script_runs_out(failing):
    o = outcome(failing, "ran out early")
    assert o.ending is None
    assert "got no ending (the script ran out at 'deeper' after 1 reply)" in o.describe()
    assert "(path: hello (empathic) -> (script ran out))" in o.describe()


def test_replies_are_scored(failing):
    scorer = FakeScorer()
    o = outcome(failing, "scored replies", scorer)
    assert o.passed, o.describe()
    assert [r for r, _ in scorer.seen] == ["E: that is a lot", "E: it sounds heavy"]
    assert scorer.seen[0][1].client == "Yeah, I missed it."  # the scorer gets the turn's context


def test_replies_without_a_scorer_fail_clearly(failing):
    assert needs_scorer(failing)
    o = outcome(failing, "scored replies", None)
    assert not o.passed and o.error and "scorer is not available" in o.describe()


def test_stops_at_the_ending_and_counts_what_was_left(tiny_path):
    sc, _ = load_scenario(tiny_path)
    text = tiny_path.read_text().replace("labels: [judgmental, judgmental]",
                                         "labels: [judgmental, judgmental, empathic, empathic]")
    sc, _ = parse_scenario(text, "t.yaml")
    o = next(o for o in run_tests(sc) if o.name == "cold")
    assert o.passed and o.unused == 2 and len(o.steps) == 2


def test_a_scorer_that_raises_fails_the_test_not_the_run(failing):
    class Broken:
        def assess(self, reply, context):
            raise RuntimeError("rubric exploded")

    o = outcome(failing, "scored replies", Broken())
    assert not o.passed and "rubric exploded" in o.describe()


def test_both_replies_and_labels_is_an_error(tiny_path):
    text = tiny_path.read_text().replace("labels: [empathic, empathic]",
                                         "labels: [empathic, empathic]\n    replies: [\"x\"]")
    sc, diags = parse_scenario(text, "t.yaml")
    assert sc is None and [d.code for d in diags] == ["E106"]  # refused at validate, before any run
    sc, _ = parse_scenario(tiny_path.read_text(), "t.yaml")
    both = dataclasses.replace(sc, tests=(dataclasses.replace(sc.tests[0], replies=("x",)),))
    o = run_tests(both)[0]  # a scenario built in code is still caught by the runner
    assert not o.passed and "both" in o.describe()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_builtin_label_tests_pass(path):
    sc, diags = load_scenario(path)
    assert sc is not None, diags
    assert sc.tests, "built-in scenarios carry tests"
    outcomes = [o for o in run_tests(sc, None) if not o.error]
    failures = [o.describe() for o in outcomes if not o.passed]
    assert failures == []
