"""`roleplay new` writes a scenario that validates, lints clean and passes its own tests."""

from __future__ import annotations

import pytest

from roleplay.core.authoring.lint import lint_source
from roleplay.core.authoring.scaffold import BadName, render, scenario_id
from roleplay.core.authoring.scenario_tests import run_tests
from roleplay.core.authoring.walk import walk


@pytest.mark.parametrize("name, ident", [
    ("home_visit", "home_visit"), ("Home Visit 2", "home_visit_2"), ("crisis-call", "crisis_call"),
    ("2nd visit", "s_2nd_visit"), ("  Über  ", "uber"),
])
def test_scenario_id(name, ident):
    assert scenario_id(name) == ident


@pytest.mark.parametrize("name", ["", "   ", "---", "!!"])
def test_bad_names(name):
    with pytest.raises(BadName):
        scenario_id(name)


def test_the_template_is_valid_and_lint_clean():
    ident, text = render("practice_one")
    assert text.startswith("# yaml-language-server: $schema=./scenario.schema.json\n")
    result = lint_source(text, f"{ident}.yaml")
    assert result.scenario is not None
    assert [str(d) for d in result.diagnostics] == []
    assert result.scenario.id == "practice_one"


def test_the_template_has_everything_an_author_needs():
    _, text = render("x")
    for key in ("persona:", "content_note:", "state:", "start:", "exemplars:", "model_reply:", "thought:",
                "branches:", "endings:", "tests:", "if:", "effects:"):
        assert key in text
    result = lint_source(text, "x.yaml")
    sc = result.scenario
    assert len(sc.endings) >= 2 and {e.outcome for e in sc.endings.values()} >= {"positive", "negative"}
    for node in sc.nodes.values():
        assert all(node.exemplars[label] for label in ("empathic", "sympathetic", "judgmental", "neutral"))


def test_the_template_tests_pass_and_reach_every_ending():
    _, text = render("x")
    sc = lint_source(text, "x.yaml").scenario
    outcomes = run_tests(sc)
    assert outcomes and all(o.passed for o in outcomes), [o.describe() for o in outcomes]
    w = walk(sc)
    assert w.exhausted and not w.endings_missed and not w.turns_missed


def test_the_template_passes_lint_with_a_scorer_that_agrees_with_its_exemplars():
    # With a scorer, L220/L221 compare its labels with the author's. An oracle scorer that knows the
    # exemplars must find nothing to complain about (the real scorer is checked in the CLI tests).
    from roleplay.core.assessment import Assessment

    _, text = render("x")
    sc = lint_source(text, "x.yaml").scenario
    truth = {t: lb for n in sc.nodes.values() for lb, ts in n.exemplars.items() for t in ts}
    truth.update({n.model_reply: "empathic" for n in sc.nodes.values()})

    class Oracle:
        def assess(self, reply, context):
            return Assessment(truth.get(reply, "neutral"), 1.0, {})

    assert lint_source(text, "x.yaml", Oracle()).diagnostics == []
