"""One resolver for every command: names, files, folders; duplicate ids; a shadowed built-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.core.scenario.catalog import DUPLICATE, SHADOWS, expand, locate, resolve
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "check_in.yaml").write_text((FIXTURES / "tiny.yaml").read_text())  # id tiny, another file name
    return d


def test_builtin_by_name_and_by_path():
    by_name, diags = resolve("mandated_parent")
    assert by_name is not None and diags == []
    by_path, _ = resolve(str(ROOT / "scenarios" / "mandated_parent.yaml"))
    assert by_path.id == by_name.id


def test_user_scenario_found_by_its_id_not_only_its_file_name(folder):
    scenario, diags = resolve("tiny", [folder])
    assert scenario is not None and scenario.id == "tiny" and diags == []
    assert locate("check_in", [folder])[0] == folder / "check_in.yaml"  # the file name works too


def test_two_files_with_one_id_is_an_error_naming_both(folder):
    (folder / "copy.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    scenario, diags = resolve("tiny", [folder])
    assert scenario is None
    assert [d.code for d in diags] == [DUPLICATE]
    assert str(folder / "check_in.yaml") in diags[0].message and str(folder / "copy.yaml") in diags[0].message


def test_a_user_file_with_a_builtin_id_wins_with_a_warning(folder):
    mine = folder / "my_parent.yaml"
    mine.write_text((ROOT / "scenarios" / "mandated_parent.yaml").read_text())
    scenario, diags = resolve("mandated_parent", [folder])
    assert scenario is not None and Path(scenario.path) == mine
    assert [(d.code, d.severity) for d in diags] == [(SHADOWS, "warning")]
    assert "mandated_parent.yaml" in diags[0].message  # names the built-in it shadows
    assert Path(resolve("mandated_parent")[0].path).parent == ROOT / "scenarios"  # without --scenarios


def test_unknown_name_suggests_from_builtins_and_user_folders(folder):
    scenario, diags = resolve("tinny", [folder])
    assert scenario is None and diags[0].code == "E011"
    assert '"tiny"' in diags[0].message and "in your folders: tiny" in diags[0].message


def test_expand_mixes_names_files_and_folders(folder, tmp_path):
    files, diags = expand(["mandated_parent", str(FIXTURES / "tiny.yaml"), str(folder)])
    assert diags == []
    assert files == [ROOT / "scenarios" / "mandated_parent.yaml", FIXTURES / "tiny.yaml", folder / "check_in.yaml"]
    (folder / "again.yaml").write_text((FIXTURES / "tiny.yaml").read_text())
    _, diags = expand([str(folder)])
    assert [d.code for d in diags] == [DUPLICATE]
