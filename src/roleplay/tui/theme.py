"""The projector theme: the only hard-coded colours in the app."""

from __future__ import annotations

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
