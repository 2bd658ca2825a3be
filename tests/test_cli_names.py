"""validate, lint, test, walk, graph and play accept the same scenario names and files."""

from __future__ import annotations

import pytest

from roleplay.cli import main
from tests.conftest import FIXTURES


def _run(command: str, target: str, extra: list[str]) -> list[str]:
    tail = {"play": ["--script", "-", "--no-save"], "lint": ["--no-scorer"], "walk": ["--max-paths", "50"]}
    return [command, target, *tail.get(command, []), *extra]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "home"))
    d = tmp_path / "mine"
    d.mkdir()
    (d / "check_in.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    return d


COMMANDS = ["validate", "lint", "test", "walk", "graph", "play"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_accepts_a_builtin_name_a_file_and_a_name_in_scenarios(command, folder, capsys,
                                                                            monkeypatch):
    import io

    for target, extra in (("mandated_parent", []), (str(FIXTURES / "tiny.yaml"), []),
                          ("tiny", ["--scenarios", str(folder)])):
        monkeypatch.setattr("sys.stdin", io.StringIO("/quit\n"))
        code = main(_run(command, target, extra))
        out, err = capsys.readouterr()
        assert "no scenario called" not in err + out, (command, target)
        assert code == 0, (command, target, out, err)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_an_unknown_name_the_same_way(command, folder, capsys):
    assert main(_run(command, "mandated_parnet", [])) == 1
    out, err = capsys.readouterr()
    assert "error[E011]: no scenario called 'mandated_parnet' (did you mean \"mandated_parent\"?)" in out + err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_names_both_files_of_a_duplicate_id(command, folder, capsys):
    (folder / "copy.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    assert main(_run(command, "tiny", ["--scenarios", str(folder)])) == 1
    out, err = capsys.readouterr()
    assert "error[E020]" in out + err and "check_in.yaml" in out + err and "copy.yaml" in out + err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_warns_when_a_user_file_shadows_a_builtin(command, folder, capsys, monkeypatch):
    import io
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (folder / "my_visit.yaml").write_text((root / "scenarios" / "mandated_parent.yaml").read_text())
    monkeypatch.setattr("sys.stdin", io.StringIO("/quit\n"))
    assert main(_run(command, "mandated_parent", ["--scenarios", str(folder)])) == 0
    out, err = capsys.readouterr()
    assert "warning[W021]" in out + err and "my_visit.yaml" in out + err
