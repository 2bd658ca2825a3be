"""Where a command may write: never a folder, a pipe, a device or one of its own inputs; an
existing file only when asked to replace it."""

from __future__ import annotations

import os

import pytest

from roleplay.core.io.output_targets import target_problem


def test_a_new_file_is_fine_and_an_existing_one_needs_force(tmp_path):
    target = tmp_path / "out.json"
    assert target_problem(target) is None
    target.write_text("{}")
    assert "--force" in target_problem(target)
    assert target_problem(target, force=True) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_a_device_and_a_folder_are_refused_even_with_force(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "null-link"
    link.symlink_to("/dev/null")
    for target in (fifo, "/dev/null", link):
        assert "not a regular file" in target_problem(target, force=True)
    assert "folder" in target_problem(tmp_path, force=True)


def test_a_symlink_loop_is_refused(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    assert "cannot be checked" in target_problem(a, force=True)


def test_an_input_file_is_never_overwritten(tmp_path):
    record = tmp_path / "class" / "s1.json"
    record.parent.mkdir()
    record.write_text("{}")
    assert "input" in target_problem(record, inputs=[record], force=True)
    assert "input" in target_problem(record, inputs=[tmp_path / "class"], force=True), "read from a folder"
    other = tmp_path / "report.json"
    other.write_text("{}")
    assert target_problem(other, inputs=[tmp_path / "class"], force=True) is None
