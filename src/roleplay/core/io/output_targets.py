"""May a command write its output to this path? Checked before anything is read or written.

A file is written by renaming a finished temporary file over the target (records.atomic_write),
so a FIFO or a device at the target would be replaced by a regular file (/dev/null, run as root),
and an input named as the output would be overwritten before the next run could read it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

READ_SUFFIXES = (".json", ".csv")  # what a folder of inputs is read for (report)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def is_input(target: Path, inputs: Iterable[str | Path], read_suffixes: tuple[str, ...] = READ_SUFFIXES) -> bool:
    """Whether the existing file `target` is one of `inputs`, or one a folder among them would be
    read for (a file with one of `read_suffixes` inside it)."""
    for item in map(Path, inputs):
        if item.is_dir():
            if target.suffix.lower() in read_suffixes and _inside(target, item):
                return True
        elif _same(target, item):
            return True
    return False


def target_problem(target: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False) -> str | None:
    """Why the output must not be written to `target`, in words; None when it may be.

    Refused: a folder, anything that is not a regular file (a FIFO, a socket, a device, also
    through a symbolic link), a symbolic-link loop, one of the command's own inputs, and an
    existing file unless `force`."""
    path = Path(target)
    try:
        st = os.stat(path)  # follows links: a link to /dev/null is a device
    except (FileNotFoundError, NotADirectoryError):
        return None  # a new file or a dangling link (which the rename replaces); writing says if it can't
    except OSError as exc:  # a symlink loop (ELOOP), no permission to look
        return f"cannot be checked ({exc.strerror or exc}); not writing there"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder; give a file name"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a pipe, socket or device); not writing there"
    if is_input(path, inputs):
        return "is one of this command's own input files; not overwriting it"
    if not force:
        return "already exists; add --force to replace it"
    return None
