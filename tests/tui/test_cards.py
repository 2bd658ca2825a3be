"""The picker's card index: files are validated once, again only when they (or the validator) change."""

from __future__ import annotations

import json
import os
import shutil

from roleplay.tui import cards as cards_module
from roleplay.tui.cards import CardIndex, index_path

from .helpers import BROKEN, GOOD


def test_cards_are_validated_once_then_read_from_the_index(tmp_path, roleplay_home):
    folder = tmp_path / "mine"
    shutil.copytree(GOOD, folder)
    first = CardIndex([folder], include_builtin=False)
    cards = first.load()
    assert first.validated == 1 and cards[0].ok and cards[0].title == "A phone check-in"
    assert index_path().is_file()
    second = CardIndex([folder], include_builtin=False)
    assert second.load() == cards and second.validated == 0

    f = folder / "checkin.yaml"
    f.write_text(f.read_text().replace("A phone check-in", "A changed title"))
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 5_000_000_000))
    third = CardIndex([folder], include_builtin=False)
    assert third.load()[0].title == "A changed title" and third.validated == 1


def test_broken_files_keep_their_messages_in_the_index(roleplay_home):
    first = CardIndex([BROKEN], include_builtin=False).load()
    again = CardIndex([BROKEN], include_builtin=False)
    cards = again.load()
    assert again.validated == 0 and cards == first
    card = cards[0]
    assert not card.ok and card.errors == 11
    assert card.diagnostics[0].endswith("broken.yaml:1:1: error[E103]: the file is missing the required key 'state'")


def test_a_corrupt_or_foreign_index_is_ignored(roleplay_home):
    index_path().parent.mkdir(parents=True)
    index_path().write_text("{not json")
    idx = CardIndex([GOOD], include_builtin=False)
    assert idx.load()[0].ok and idx.validated == 1
    data = json.loads(index_path().read_text())
    key = next(iter(data["files"]))
    data["files"][key]["card"] = {"nonsense": True}
    index_path().write_text(json.dumps(data))
    idx = CardIndex([GOOD], include_builtin=False)
    assert idx.load()[0].ok and idx.validated == 1


def test_a_changed_validator_revalidates(roleplay_home, monkeypatch):
    CardIndex([GOOD], include_builtin=False).load()
    monkeypatch.setattr(cards_module, "validator_fingerprint", lambda: "another validator")
    idx = CardIndex([GOOD], include_builtin=False)
    idx.load()
    assert idx.validated == 1


def test_a_read_only_data_folder_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEPLAY_HOME", str(tmp_path / "file-not-folder"))
    (tmp_path / "file-not-folder").write_text("x")
    idx = CardIndex([GOOD], include_builtin=False)
    assert idx.load()[0].ok


def test_the_index_is_never_used_when_switched_off(roleplay_home):
    idx = CardIndex([GOOD], include_builtin=False, use_index=False)
    idx.load()
    assert not index_path().exists()
