"""Pausing the cyclic garbage collector while many long-lived, acyclic objects are built."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Parsing a file or loading a scorer builds many small objects that all stay alive; the cyclic
    collector would rescan them again and again (quadratic time on large files), and there are no
    cycles to find."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
