"""Generated scenarios of any size, for benchmarks and scale tests."""

from __future__ import annotations


def synthetic_scenario(turns: int) -> str:
    """A valid scenario with `turns` client turns in a branching ladder, as YAML text."""
    out = [
        "id: synthetic", f"title: Synthetic scenario of {turns} turns",
        "persona:", "  name: Test Client", "  age: 40", "  pronouns: they/them",
        "  setting: a benchmark", "  briefing: Generated.", "  mood: calm", "  content_note: none",
        "state:", "  trust: {type: int, min: 0, max: 100, start: 50}",
        "  disclosed: {type: bool, start: false}",
        "start: n0", "nodes:",
    ]
    for i in range(turns):
        nxt = f"n{i + 1}" if i + 1 < turns else "good"
        skip = f"n{i + 2}" if i + 2 < turns else "good"
        out += [
            f"  - id: n{i}",
            f"    lines: [\"Client line number {i}, about something that matters.\"]",
            "    cue: \"*looks away*\"",
            f"    thought: Thought {i}.",
            f"    model_reply: \"It sounds like turn {i} matters to you.\"",
            "    exemplars:",
            "      empathic: [\"It sounds like this weighs on you.\"]",
            "      sympathetic: [\"Don't worry, it will be fine.\"]",
            "      judgmental: [\"You should have known better.\"]",
            "      neutral: [\"What time is it?\"]",
            "    branches:",
            "      - on: empathic",
            "        if: \"trust >= 60\"",
            f"        goto: {skip}",
            "        effects: {trust: +5, disclosed: true}",
            "        reason: felt understood",
            "      - on: judgmental",
            "        if: \"trust < 10\"",
            "        goto: bad",
            "        effects: {trust: -10}",
            "        reason: felt judged",
            "      - on: default",
            f"        goto: {nxt}",
            "        effects: {trust: +1}",
            "        reason: carried on",
        ]
    out += ["endings:",
            "  - {id: good, title: Good, outcome: positive, debrief: Done.}",
            "  - {id: bad, title: Bad, outcome: negative, debrief: Done.}"]
    return "\n".join(out) + "\n"
