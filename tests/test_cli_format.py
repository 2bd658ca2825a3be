"""`roleplay play` says the client's reaction after a reply, notes a sprung trap under it, and lists
the teaching moments at the end (the CLI debrief)."""

from __future__ import annotations

from roleplay.cli import main
from tests.conftest import FIXTURES

RICH = FIXTURES / "authoring" / "reactions.yaml"


def test_play_says_the_reaction_before_the_next_line(capsys, tmp_path, roleplay_home):
    script = tmp_path / "replies.txt"
    script.write_text("What has it been like, juggling all that?\n")
    assert main(["play", str(RICH), "--script", str(script), "--no-save"]) == 0
    out = capsys.readouterr().out
    reaction = out.index("Sam Ortiz: What's it like? Honestly? Like running for a bus that's already gone.")
    assert out.index("you> What has it been like") < reaction < out.index("Sam Ortiz: It's not just work.")


def test_play_notes_a_sprung_trap_and_lists_it_at_the_end(capsys, tmp_path, roleplay_home):
    script = tmp_path / "replies.txt"
    script.write_text("Everything you say in here is totally confidential, nobody else will ever see it.\n"
                      "That's a lot to carry at once.\n")
    assert main(["play", str(RICH), "--script", str(script), "--no-save"]) == 0
    out = capsys.readouterr().out
    assert ("  ! Teaching moment (a promise of confidentiality): A worker cannot promise that nobody else "
            "will ever read the notes.") in out
    assert out.count("Teaching moment") == 2
    assert ("Teaching moments:\n  - Turn 1: a promise of confidentiality. A worker cannot promise that nobody "
            "else will ever read the notes. (You said: “Everything you say in here is totally confidential, "
            "nobody else will ever see it.”)") in out
