"""`roleplay` with no command opens the app; its options; other commands never import Textual."""

from __future__ import annotations

import subprocess
import sys

from roleplay import cli

from .helpers import GOOD, TINY_DIR


def test_app_options_parse_and_do_not_clash_with_play():
    args = cli.build_parser().parse_args(["--scenarios", "a", "--scenarios", "b", "--projector", "--feedback", "reveal"])
    assert args.app_scenarios == ["a", "b"] and args.app_projector and args.app_feedback == "reveal"
    args = cli.build_parser().parse_args([])
    assert args.app_scenarios == [] and not args.app_projector and args.app_feedback == "immediate"
    args = cli.build_parser().parse_args(["play", "tiny", "--scenarios", "d"])
    assert args.scenarios == ["d"] and args.app_scenarios == []


def test_no_command_opens_the_app_with_the_options(monkeypatch):
    seen = {}

    class FakeApp:
        return_code = 0

        def run(self):
            seen["ran"] = True

    def fake_create_app(dirs, **kw):
        seen.update(dirs=dirs, **kw)
        return FakeApp()

    import roleplay.tui.app as app_module

    monkeypatch.setattr(app_module, "create_app", fake_create_app)
    assert cli.main(["--scenarios", str(GOOD), "--projector", "--feedback", "end"]) == 0
    assert seen == {"ran": True, "dirs": [str(GOOD)], "projector": True, "feedback": "end", "idle_seconds": 0,
                    "lab": False, "ask_student": True}
    seen.clear()
    assert cli.main(["--idle-exit", "90", "--lab"]) == 0
    assert seen["idle_seconds"] == 90 and seen["lab"] is True and seen["ask_student"] is False


def test_a_bad_idle_time_is_refused_in_words(capsys):
    import pytest

    for bad in ("soon", "-5", "nan"):
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(["--idle-exit", bad])
        assert "--idle-exit" in capsys.readouterr().err


def test_other_commands_stay_free_of_textual():
    code = ("import sys; from roleplay.cli import main\n"
            f"rc = main(['validate', {str(TINY_DIR / 'tiny.yaml')!r}])\n"
            "print('TEXTUAL' if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 'CLEAN')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("CLEAN"), out.stdout + out.stderr


def test_the_app_runs_headless_from_the_real_entry_point(tmp_path):
    """In a fresh interpreter: open, reach a usable picker, quit with q."""
    code = (
        "import sys\n"
        "from roleplay.tui.app import create_app\n"
        "async def main():\n"
        f"    app = create_app([{str(GOOD)!r}], include_builtin=False)\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert len(app.screen.query('#cards > ScenarioCard')) == 1\n"
        "        assert len(app.screen.query('#cards > DrillCard')) == 1\n"
        "        await pilot.press('q')\n"
        "    print('OK', app.return_code)\n"
        "import asyncio; asyncio.run(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "ROLEPLAY_HOME": str(tmp_path)})
    assert "OK 0" in out.stdout, out.stdout + out.stderr
