"""Files replaced whole or not at all: records, preferences, caches and exports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


def _encoded(content: str | bytes | Iterable[str | bytes]) -> Iterable[bytes]:
    if isinstance(content, (str, bytes)):
        content = (content,)
    for chunk in content:
        yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")


def atomic_write(path: Path, content: str | bytes | Iterable[str | bytes], *, limit: int | None = None,
                 too_large: type[Exception] = ValueError) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.

    A crash at any moment leaves either the old file or the new one, never half of one. Content
    may come in pieces (written as they come); over `limit` bytes, nothing is replaced and
    `too_large` is raised.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            written = 0
            for chunk in _encoded(content):
                written += len(chunk)
                if limit is not None and written > limit:
                    raise too_large(f"the record would be larger than {limit // 1_000_000} MB")
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass  # some filesystems cannot fsync a folder; the rename is still atomic
