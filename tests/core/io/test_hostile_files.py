"""Untrusted scenario files: each hostile kind is refused with its error, in bounded time and memory."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc

import pytest

from roleplay.core.scenario.loader import load_scenario


def _bomb() -> str:
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    return text


HOSTILE = {
    "python_object.yaml": ("title: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "E005", (1, 8)),
    "python_name.yaml": ("id: !!python/name:os.system\n", "E005", (1, 5)),
    "custom_tag.yaml": ("id: !include other.yaml\n", "E005", (1, 5)),
    "billion_laughs.yaml": (_bomb(), "E006", None),
    "deep_nesting.yaml": ("a: " + "[" * 500 + "]" * 500 + "\n", "E007", None),
    "deep_blocks.yaml": ("".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n", "E007", None),
    "long_string.yaml": ("id: x\ntitle: " + "z" * 100_000 + "\n", "E008", (2, 8)),
    "not_utf8.yaml": (b"id: x\ntitle: caf\xe9\n", "E002", (2, 11)),
    "binary.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E002", None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused(name, tmp_path):
    content, code, at = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    tracemalloc.start()
    t = time.process_time()  # CPU time: a loaded CI machine must not fail it
    scenario, diags = load_scenario(path)
    elapsed = time.process_time() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scenario is None
    assert diags[0].code == code, [str(d) for d in diags]
    if at:
        assert (diags[0].line, diags[0].col) == at
    assert str(diags[0]).startswith(f"{path}:")
    assert elapsed < 2.0 and peak < 200_000_000


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(200_000_000)  # sparse: no disk used, and it must not be read into memory
    tracemalloc.start()
    scenario, diags = load_scenario(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scenario is None and diags[0].code == "E009" and peak < 10_000_000


def test_nesting_that_would_crash_libyaml_is_refused_not_fatal(tmp_path):
    """libyaml recurses on the C stack; a million brackets must not kill the process."""
    path = tmp_path / "million.yaml"
    path.write_text("a: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from roleplay.core.scenario.loader import load_scenario;"
         "s, d = load_scenario(sys.argv[1]); print(d[0].code)", str(path)],
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "E007"


def test_the_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"title: !!python/object/apply:os.system ['touch {marker}']\n")
    load_scenario(path)
    assert not marker.exists()


def test_a_fifo_or_a_symlink_loop_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)  # nobody writes to it: open() would wait for ever
    scenario, diags = load_scenario(fifo)
    assert scenario is None and diags[0].code == "E012" and "not a regular file" in diags[0].message
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    scenario, diags = load_scenario(a)
    assert scenario is None and diags[0].code == "E011"


def test_an_enormous_number_is_an_error_at_its_place_not_a_crash(tmp_path):
    for value in ("9" * 5000, "0x" + "f" * 5000):
        path = tmp_path / "big.yaml"
        path.write_text(f"id: x\ntitle: {value}\n")
        scenario, diags = load_scenario(path)
        assert scenario is None and (diags[0].code, diags[0].line, diags[0].col) == ("E013", 2, 8)


MILLIONS = {
    # 8 million items in a flow list, just under the 16 MB cap: took 4.2 GB and 34 s to refuse.
    "flow": (lambda: "items: [" + "1," * 7_999_990 + "1]\n", (1, 700_008)),
    # The same in block style, 3.9 million "- 1" lines: took 2.2 GB and a minute, and was accepted.
    "block": (lambda: "items:\n" + "- 1\n" * 3_900_000, (587_501, 1)),
}


@pytest.mark.parametrize("kind", sorted(MILLIONS))
def test_millions_of_tiny_items_are_refused_before_parsing(kind, tmp_path):
    make, at = MILLIONS[kind]
    path = tmp_path / f"{kind}.yaml"
    path.write_text(make())
    tracemalloc.start()
    t = time.process_time()  # CPU time: a loaded CI machine must not fail it
    scenario, diags = load_scenario(path)
    elapsed = time.process_time() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scenario is None and diags[0].code == "E015", [str(d) for d in diags]
    assert (diags[0].line, diags[0].col) == at
    assert "refusing to load it" in diags[0].message
    assert elapsed < 2.0 and peak < 80_000_000  # the file's bytes and text, and nothing built


def test_the_item_budget_leaves_a_large_real_scenario_alone():
    from roleplay.core.authoring.synthetic import synthetic_scenario
    from roleplay.core.io.yaml_budget import over_budget

    text = synthetic_scenario(10_000)  # 8 MB, the largest file the benchmarks validate
    assert over_budget(text) is None
    assert over_budget("a: [" + "x, " * 90_000 + "x]\n") is None  # under the minimum: never refused
