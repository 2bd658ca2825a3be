"""Safe reading and writing: hardened YAML with positions, diagnostics, data folders and paths."""
