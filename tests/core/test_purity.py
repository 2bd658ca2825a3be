"""The core is headless: importing it must not pull in Textual (run in a fresh interpreter)."""

import subprocess
import sys


def test_core_never_imports_textual():
    code = (
        "import pkgutil, importlib, sys, roleplay.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('roleplay.core.' + m.name)\n"
        "import roleplay.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
