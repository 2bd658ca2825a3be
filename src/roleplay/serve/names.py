"""A student's name as typed on the join page, made safe to be the name of their records folder.

The name is the folder (ROLEPLAY_HOME/students/<name>/), so the class report lists students by
the names they typed. It keeps letters, marks, digits, spaces and - _ . ' ; everything else
(slashes, control and bidi characters, emoji) is dropped, and it is at most MAX_NAME characters.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_NAME = 40
_PUNCT = "-_.'"
# Names Windows refuses for a folder, whatever the case; a student called "Con" gets "Con_".
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}


class NameProblem(ValueError):
    """The name cannot be used; the message is for the student."""


def safe_name(raw: str) -> str:
    """The name to use, or NameProblem. "../../etc/passwd" gives "etc passwd": never a path."""
    text = unicodedata.normalize("NFKC", str(raw))
    kept = []
    for c in text:
        cat = unicodedata.category(c)
        kept.append(c if cat[0] in "LMN" or c in _PUNCT else " ")
    name = " ".join("".join(kept).split())
    name = name.strip(" .")[:MAX_NAME].strip(" .")
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise NameProblem("Please type your name (letters or digits).")
    return name


def name_key(name: str) -> str:
    """Two names that are one folder on a case-blind disk (macOS, Windows) are one student."""
    return unicodedata.normalize("NFKC", name).casefold()


def folder_name(name: str) -> str:
    return name + "_" if name.split(".")[0].casefold() in _RESERVED else name


def student_folder(students: Path, name: str) -> Path:
    """The student's folder under `students`: an existing folder of the same name in another
    case is reused ("sam" finds "Sam"), so a student's history follows them however they type it."""
    key = name_key(folder_name(name))
    try:
        for existing in students.iterdir():
            if existing.is_dir() and name_key(existing.name) == key:
                return existing
    except OSError:
        pass
    path = students / folder_name(name)
    if path.parent != students or path.name in ("", ".", ".."):  # safe_name makes this impossible
        raise NameProblem("That name cannot be used; please choose another.")
    return path


def numbered(name: str, taken) -> str:
    """The first "name 2", "name 3", ... whose key is not in `taken` (a suggestion for the student)."""
    n = 2
    while True:
        tail = f" {n}"
        candidate = name[: MAX_NAME - len(tail)].rstrip(" .") + tail
        if name_key(candidate) not in taken:
            return candidate
        n += 1
