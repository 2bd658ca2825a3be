"""Sizes a file's values may reach, shared by the YAML loader and the record readers (a module of
its own so reading a record never imports the YAML machinery)."""

MAX_INT_CHARS = 30  # longer than any count, trust value or weight a scenario or record needs
