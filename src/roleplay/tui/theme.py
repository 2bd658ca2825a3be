"""How the app looks on a projector, and the start-up's pause of the garbage collector."""

from __future__ import annotations

import gc

from textual.theme import Theme

# High contrast for a projector: pure black and white, saturated accents. The only hard-coded colours.
PROJECTOR_THEME = Theme(
    name="roleplay-projector",
    primary="#5FD7FF",
    secondary="#FFFFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF5F5F",
    success="#5FFF5F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1C1C1C",
    boost="#FFFFFF10",
    dark=True,
)


_GC_WAS_ENABLED = True


def pause_gc() -> None:
    """Start-up builds thousands of long-lived objects (styles, widgets) and the cyclic collector
    would scan them again and again before the first frame; pause it until the picker is shown."""
    global _GC_WAS_ENABLED
    _GC_WAS_ENABLED = gc.isenabled()
    gc.disable()


def resume_gc() -> None:
    if _GC_WAS_ENABLED and not gc.isenabled():
        gc.freeze()  # what start-up built stays: later collections need not look at it
        gc.enable()
