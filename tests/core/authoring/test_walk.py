"""Exploring a scenario by label: the state graph, path enumeration, coverage and state at endings."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from roleplay.core.session.engine import Session
from roleplay.core.labels import LABELS
from roleplay.core.scenario.loader import load_scenario, parse_scenario
from roleplay.core.authoring.scenario_tests import label_assessment
from roleplay.core.authoring.walk import explore, paths, share, spread_paths, step, walk
from roleplay.core.authoring.walk_render import format_walk
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]
BUILTINS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def tiny():
    sc, diags = load_scenario(FIXTURES / "tiny.yaml")
    assert sc is not None, diags
    return sc


def play(sc, labels):
    s = Session(sc, scorer=None)
    for lb in labels:
        if s.finished:
            break
        s.respond_with(label_assessment(lb))
    return s


def test_step_matches_the_engine(tiny):
    for labels in itertools.product(LABELS, repeat=2):
        s = play(tiny, labels[:1])
        node = tiny.nodes[tiny.start]
        _, branch, after = step(tiny, node, tiny.start_state(), labels[0])
        assert after == s.state and branch.goto == s.turns[-1].next_id


def test_tiny_walk_is_exhaustive_and_matches_brute_force(tiny):
    r = walk(tiny)
    assert r.exhausted and r.explored == 7 and r.sequences == 16
    assert r.shortest == r.longest == 2
    assert not r.turns_missed and not r.endings_missed
    # brute force: every label sequence, through the real engine
    finals: dict[str, list[dict]] = {}
    for labels in itertools.product(LABELS, repeat=2):
        s = play(tiny, labels)
        finals.setdefault(s.ending_id, []).append(s.state)
    for ending, states in finals.items():
        lo = min(s["trust"] for s in states)
        hi = max(s["trust"] for s in states)
        assert r.endings[ending].ranges["trust"] == (lo, hi)
    assert sum(len(v) for v in finals.values()) == r.sequences == r.totals.sequences
    text = format_walk(r)
    assert "paths explored: 7 (all of them; 16 label sequences)" in text
    assert "rebooked [positive]: 1 path(s); trust 60, opened_up true" in text
    assert "maybe_later [mixed]: 3 path(s); trust 30..50, opened_up false..true" in text


def test_walk_paths_are_real_plays(tiny):
    g = explore(tiny)
    for path in paths(g):
        labels = [lbs[0] for _, lbs in path.steps]
        s = play(tiny, labels)
        assert s.ending_id == path.end and s.state == dict(path.state)
        assert [t.node_id for t in s.turns] == [n for n, _ in path.steps]


def test_the_limit_stops_the_walk_and_says_so():
    sc, _ = load_scenario(ROOT / "scenarios" / "mandated_parent.yaml")
    r = walk(sc, max_paths=50)
    assert r.explored == 50 and not r.exhausted
    text = format_walk(r)
    assert "stopped at the limit of 50" in text and "raise --max-paths" in text
    assert f"{r.totals.paths:,} in all" in text


def test_a_limited_walk_is_spread_over_the_whole_scenario():
    sc, _ = load_scenario(ROOT / "scenarios" / "grieving_patient.yaml")
    r = walk(sc, max_paths=300)
    # depth-first in label order would only see the all-empathic corner; spreading sees it all
    assert not r.endings_missed and len(r.turns_missed) <= 2


def test_walk_is_deterministic():
    sc, _ = load_scenario(ROOT / "scenarios" / "trauma_survivor.yaml")
    assert format_walk(walk(sc, 200)) == format_walk(walk(sc, 200))


def test_share():
    assert share(10, [100, 100, 100]) == [4, 3, 3]
    assert share(10, [1, 100, 2]) == [1, 7, 2]
    assert share(2, [5, 5, 5]) == [1, 1, 0]
    assert share(10, [1, 2]) == [1, 2]
    assert share(0, [3]) == [0]


def test_spread_paths_are_distinct_and_complete_when_the_budget_allows(tiny):
    g = explore(tiny)
    got = [p.describe() for p in spread_paths(g, 1000)]
    assert sorted(got) == sorted(p.describe() for p in paths(g))
    assert len(set(got)) == len(got)


def test_loops_are_reported_not_followed():
    sc, _ = load_scenario(FIXTURES / "toolkit" / "loops.yaml")
    r = walk(sc)
    assert r.loops and r.totals is None
    assert "come back to the same turn with the same state" in format_walk(r)
    assert r.endings["heard"].paths > 0


def test_state_search_bound():
    sc, _ = load_scenario(FIXTURES / "tiny.yaml")
    g = explore(sc, max_states=1)
    assert not g.complete
    r = walk(sc, max_states=1)
    assert not r.exhausted and "results are partial" in format_walk(r)


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtins_every_turn_and_ending_reachable_with_state(path):
    sc, diags = load_scenario(path)
    assert sc is not None, diags
    g = explore(sc)
    assert g.complete
    assert g.nodes_reached() == set(sc.nodes)
    assert set(g.endings_reached()) == set(sc.endings)
    stats = g.path_stats()
    assert stats is not None and stats.longest <= 15


def test_big_synthetic_scenario_stays_fast():
    from roleplay.core.authoring.synthetic import synthetic_scenario

    sc, diags = parse_scenario(synthetic_scenario(300), "s.yaml")
    assert sc is not None, diags
    r = walk(sc, max_paths=2000)
    assert r.explored == 2000 and r.graph.complete


# --- property: the state graph agrees with brute force over random scenarios ---------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def small_scenarios(draw):
    """Random valid-looking scenarios: up to 4 turns in a DAG, conditional branches on trust and a
    flag, random effects, a default at the end of every turn."""
    n = draw(st.integers(1, 4))
    endings = ["good", "bad"]
    lines = ["id: prop", "title: Property", "persona: {name: P, age: 30, pronouns: they/them, setting: s,",
             "  briefing: b, mood: m, content_note: none}",
             "state:", f"  trust: {{type: int, min: 0, max: 100, start: {draw(st.integers(0, 100))}}}",
             "  flag: {type: bool, start: false}", "start: n0", "nodes:"]
    for i in range(n):
        later = [f"n{j}" for j in range(i + 1, n)] + endings
        lines += [f"  - id: n{i}", "    lines: [\"Hello.\"]", "    thought: t", "    model_reply: m",
                  "    exemplars: {empathic: [a], sympathetic: [b], judgmental: [c], neutral: [d]}",
                  "    branches:"]
        for _ in range(draw(st.integers(0, 3))):
            on = draw(st.sampled_from(["empathic", "sympathetic", "judgmental", "neutral", "[empathic, neutral]"]))
            cond = draw(st.sampled_from(["", "trust >= 50", "trust < 30", "flag", "not flag", "trust > 60 and flag"]))
            eff = draw(st.sampled_from(["", "{trust: +20}", "{trust: -25}", "{flag: true}", "{trust: +5, flag: false}"]))
            lines += [f"      - on: {on}", f"        goto: {draw(st.sampled_from(later))}"]
            if cond:
                lines.append(f"        if: \"{cond}\"")
            if eff:
                lines += [f"        effects: {eff}", "        reason: r"]
        lines += ["      - on: default", f"        goto: {draw(st.sampled_from(later))}"]
    lines += ["endings:", "  - {id: good, title: G, outcome: positive, debrief: d}",
              "  - {id: bad, title: B, outcome: negative, debrief: d}"]
    return "\n".join(lines) + "\n"


def _brute(sc):
    """Every label sequence through the real engine: (ending, final state) for each."""
    out = []

    def go(labels):
        s = play(sc, labels)
        if s.finished:
            out.append((s.ending_id, tuple(sorted(s.state.items()))))
            return
        for lb in LABELS:
            go(labels + [lb])

    go([])
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios())
def test_state_graph_matches_brute_force(text):
    sc, diags = parse_scenario(text, "p.yaml")
    if sc is None:
        return  # e.g. a turn nothing leads to: the validator's business
    brute = _brute(sc)
    r = walk(sc, max_paths=10_000)
    assert r.exhausted and r.totals is not None
    assert r.totals.sequences == len(brute) == r.sequences
    reached = {(e, tuple(sorted(r.graph.state_dict(k).items()))) for e, ks in r.graph.endings_reached().items()
               for k in ks}
    assert reached == set(brute)
    from roleplay.core.authoring.lint import lint_source

    result = lint_source(text, "p.yaml")  # never raises; L201/L203 agree with brute force
    ended = {e for e, _ in brute}
    flagged = {d.message.split("'")[1] for d in result.diagnostics if d.code == "L201"}
    assert flagged == {e for e in sc.endings if e not in ended and
                       any(b.goto == e for n in sc.nodes.values() for b in n.branches)}


def test_a_limited_walk_reports_the_true_shortest_path_and_full_coverage():
    """At a limit the sample may miss the short ways and some turns; the state graph does not."""
    sc, _ = load_scenario(FIXTURES / "authoring" / "foster_placement.yaml")
    r = walk(sc, max_paths=20)
    assert not r.exhausted
    text = format_walk(r)
    assert "stopped at the limit of 20" in text
    assert r.shortest == 2 and "path length: shortest 2, longest 12 replies" in text
    assert r.shortest_path.replies == 2 and r.shortest_path.end in sc.endings
    assert f"turns covered: {len(sc.nodes)}/{len(sc.nodes)}" in text
    assert f"endings covered: {len(sc.endings)}/{len(sc.endings)}" in text


def test_shortest_path_is_breadth_first_and_replays_in_the_engine():
    sc, _ = load_scenario(FIXTURES / "authoring" / "foster_placement.yaml")
    best = explore(sc).shortest()
    assert play(sc, [labels[0] for _, labels in best.steps]).ending_id == best.end
    # no shorter label sequence reaches an ending (brute force through the engine)
    for labels in itertools.product(LABELS, repeat=best.replies - 1):
        assert not play(sc, labels).finished


def test_a_walk_with_loops_says_there_is_no_longest():
    sc, _ = load_scenario(FIXTURES / "toolkit" / "loops.yaml")
    for limit in (2, 10_000):
        text = format_walk(walk(sc, limit))
        assert "path length: shortest 1 reply; no longest (a loop can go round for ever)" in text
