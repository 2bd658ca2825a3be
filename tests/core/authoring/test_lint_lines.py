"""lint L206/L207: lines said where what they take for granted does not hold, variants never said;
scenario tests with label/kind and expect.reaction; walk explores the sub-kinds branches ask for."""

from __future__ import annotations

from roleplay.core.authoring.lint import CODES, lint_source
from roleplay.core.authoring.scenario_tests import run_tests
from roleplay.core.authoring.walk import explore
from roleplay.core.scenario.loader import parse_scenario
from tests.conftest import FIXTURES
from tests.core.scenario.test_checks import pos_of

RICH = (FIXTURES / "authoring" / "reactions.yaml").read_text()


def lint(text: str):
    return [(d.code, (d.line, d.col), d.message) for d in lint_source(text, "s.yaml").diagnostics
            if d.code.startswith("L20")]


def test_a_line_presuming_an_offer_the_path_never_made_is_named_with_the_path():
    assert lint(RICH) == [("L206", pos_of(RICH, "- text: \"Thursday, then.")[:1] + (9,),
                           "line 1 of ending 'rebooked' takes `offered_call` for granted, but can be said "
                           "without it, e.g. after hello (sympathetic/judgmental/neutral) -> deeper (empathic) "
                           "(offered_call false); give it `if: offered_call` and a line for the other ways in")]
    assert "L206" in CODES and "L207" in CODES


def test_guarding_the_line_with_if_silences_it():
    text = RICH.replace("        requires: offered_call\n", "        if: offered_call\n")
    assert lint(text) == []


def test_a_reaction_that_presumes_is_checked_in_the_state_after_its_branch():
    text = RICH.replace('reaction: "Another call? Alright. Thursday, then."',
                        'reaction: [{text: "Another call? Alright.", requires: "trust >= 50"}]')
    text = text.replace("        requires: offered_call\n", "        if: offered_call\n")
    (code, pos, msg), = lint(text)
    assert code == "L206" and pos == pos_of(text, "{text: \"Another call")
    assert msg == ("line 1 of the reaction of branch 3 of turn 'hello' takes `trust >= 50` for granted, but can "
                   "be said without it, e.g. after hello (neutral(logistics)/neutral(suggestion)) (trust 45); "
                   "give it `if: trust >= 50` and a line for the other ways in")


def test_a_variant_whose_if_never_holds_is_never_said():
    text = RICH.replace("        if: offered_call\n    thought", "        if: \"trust > 90\"\n    thought")
    text = text.replace("        requires: offered_call\n", "        if: offered_call\n")
    assert lint(text) == [("L207", pos_of(text, "- text: \"Thursday's fine")[:1] + (9,),
                           "line 2 of turn 'deeper' is never said: `trust > 90` never holds there (trust is "
                           "35..50)")]


def test_walk_explores_the_kinds_branches_ask_for():
    sc, _ = parse_scenario(RICH, "s.yaml")
    graph = explore(sc)
    labels = {lb for edges in graph.edges.values() for e in edges for lb in e.labels}
    assert {"empathic(exploration)", "neutral(logistics)", "neutral(suggestion)", "empathic"} <= labels


def test_a_scenario_test_checks_the_last_reaction():
    sc, _ = parse_scenario(RICH, "s.yaml")
    (ok,) = run_tests(sc)
    assert ok.passed and ok.path == "hello (empathic/exploration) -> (script ran out)"
    wrong = RICH.replace('reaction: "like running for a bus"', 'reaction: "like a bus stop"')
    sc, _ = parse_scenario(wrong, "s.yaml")
    (bad,) = run_tests(sc)
    assert not bad.passed and bad.problems == [
        "expected the last reaction to say 'like a bus stop', got \"What's it like? Honestly? Like running for a "
        "bus that's already gone.\""]
