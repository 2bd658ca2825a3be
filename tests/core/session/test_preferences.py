"""The student's remembered choices: a clean name, exclusions kept, a damaged file never fatal."""

from __future__ import annotations

import json

import pytest

from roleplay.core.session import preferences
from roleplay.core.session.preferences import Preferences, sanitise_name


def test_choices_are_remembered_in_the_data_folder(roleplay_home):
    prefs, message = preferences.load()
    assert prefs == Preferences() and message is None  # no file yet: defaults, nothing to say
    preferences.save(Preferences("Ada", ()).excluding(["self_harm", "addiction"]))
    assert json.loads((roleplay_home / "preferences.json").read_text())["excluded"] == ["addiction", "self_harm"]
    prefs, message = preferences.load()
    assert prefs.student == "Ada" and prefs.excluded == ("addiction", "self_harm") and message is None
    assert prefs.including(["self_harm"]).excluded == ("addiction",)
    assert not list(roleplay_home.glob(".preferences.json.*"))  # the atomic write left no temporary file


@pytest.mark.parametrize("raw, expected", [
    ("  Ada   Lovelace ", "Ada Lovelace"),
    ("../../etc/passwd", "etc passwd"),
    ("C:\\Users\\ada", "C: Users ada"),
    ("Ada\x1b]0;owned\x07", "Ada ]0;owned"),
    ("Zoë \u202eevil", "Zoë evil"),
    ("x" * 200, "x" * 60),
    (None, ""),
    (42, ""),
])
def test_a_name_is_sanitised(raw, expected):
    assert sanitise_name(raw) == expected


@pytest.mark.parametrize("content", [
    b"{", b"[1, 2]", b"\xff\xfe\x00", b"null", b"[" * 100_000, b'{"student": 3, "excluded": "self_harm"}',
])
def test_a_damaged_file_gives_defaults_and_a_message_never_a_crash(roleplay_home, content):
    roleplay_home.mkdir(parents=True, exist_ok=True)
    (roleplay_home / "preferences.json").write_bytes(content)
    prefs, message = preferences.load()
    assert prefs.excluded == ()
    if content.startswith(b'{"student"'):  # readable JSON with wrong types: the bad values are dropped
        assert message is None and prefs.student == ""
    else:
        assert message and "could not be read" in message and "preferences.json" in message
    preferences.save(prefs.excluding(["suicide"]))  # and a change writes it afresh
    assert preferences.load() == (Preferences("", ("suicide",)), None)


def test_an_unreadable_file_is_not_fatal(roleplay_home):
    (roleplay_home / "preferences.json").mkdir(parents=True)  # a folder where the file should be
    prefs, message = preferences.load()
    assert prefs == Preferences() and "could not be read" in message


def test_odd_exclusions_are_dropped_on_load(roleplay_home):
    roleplay_home.mkdir(parents=True, exist_ok=True)
    (roleplay_home / "preferences.json").write_text(json.dumps(
        {"student": "Bo", "excluded": ["Self_Harm", "../x", "", 7, "a b", "suicide"]}))
    assert preferences.load()[0].excluded == ("self_harm", "suicide")
