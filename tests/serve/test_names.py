"""Student names from the join page become folder names: never a path, never a control character."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from roleplay.serve.names import MAX_NAME, NameProblem, name_key, numbered, safe_name, student_folder


@pytest.mark.parametrize("typed, used", [
    ("Alice", "Alice"),
    ("  María   José  ", "María José"),
    ("O'Brien-Smith", "O'Brien-Smith"),
    ("../../etc/passwd", "etc passwd"),
    ("..\\..\\Windows\\win.ini", "Windows win.ini"),
    ("/root", "root"),
    ("Sam\x1b[2J\x07", "Sam 2J"),
    ("Eve\u202etxt.exe", "Eve txt.exe"),
    ("Zoë\u200b", "Zoë"),
    ("李小龍", "李小龍"),
    (".hidden", "hidden"),
    ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
])
def test_names_are_cleaned(typed, used):
    assert safe_name(typed) == used


@pytest.mark.parametrize("typed", ["", "   ", "...", "///", "\x00\x01", "🙂🙂", "-_-"])
def test_a_name_with_no_letters_or_digits_is_refused_in_words(typed):
    with pytest.raises(NameProblem, match="type your name"):
        safe_name(typed)


def test_names_are_length_limited():
    assert len(safe_name("x" * 500)) == MAX_NAME
    assert safe_name("a" * 39 + " b") == "a" * 39  # never ends in a space or a dot


@given(st.text(max_size=200))
def test_any_text_gives_a_plain_folder_name_or_a_refusal(tmp_path_factory, text):
    try:
        name = safe_name(text)
    except NameProblem:
        return
    assert 0 < len(name) <= MAX_NAME
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(c.isprintable() for c in name) and name == name.strip()
    students = tmp_path_factory.getbasetemp() / "students"
    assert student_folder(students, name).parent == students


def test_the_same_name_in_another_case_is_the_same_folder(tmp_path):
    (tmp_path / "Sam").mkdir()
    assert student_folder(tmp_path, "sam") == tmp_path / "Sam"
    assert student_folder(tmp_path, "Sam 2") == tmp_path / "Sam 2"
    assert student_folder(tmp_path, "Con") == tmp_path / "Con_"  # a name Windows keeps for itself


def test_a_number_is_suggested_for_a_name_in_use():
    taken = {name_key("Sam"), name_key("sam 2")}
    assert numbered("Sam", taken) == "Sam 3"
    assert len(numbered("y" * MAX_NAME, {name_key("y" * MAX_NAME)})) <= MAX_NAME
